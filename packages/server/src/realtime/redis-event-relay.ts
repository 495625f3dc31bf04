import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventRelay } from './event-relay.js';
import { organizationRoom, REDIS_CHANNEL_PREFIX } from './realtime.gateway.js';

/**
 * For processes without sockets (`leadscore worker`) when Redis is configured: events are
 * published on the channels the API processes' socket.io Redis adapter subscribes to, one
 * message per event, which each API process delivers to its own sockets of the room. So every
 * client gets it once, and an API process never re-broadcasts it (the adapter only forwards
 * what its own server emits).
 */
export function createRedisEventRelay(redis: Redis, logger: Pick<Logger, 'warn'>): EventRelay {
  // The emitter ignores publish's promise; a rejection (Redis down) must be logged, not crash
  // the process as an unhandled rejection would.
  const publisher = {
    publish: (channel: string, message: Buffer) =>
      redis.publish(channel, message).catch((error: unknown) => {
        logger.warn({ err: error }, 'an event could not be published to Redis; it is lost');
        return 0;
      }),
  };
  const emitter = new Emitter(publisher, { key: REDIS_CHANNEL_PREFIX });
  return {
    send(organizationId, event, payload) {
      emitter.to(organizationRoom(organizationId)).emit(event, payload);
    },
    async close() {},
  };
}
