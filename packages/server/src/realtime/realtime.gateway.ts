import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Config } from '../config.js';
import type {
  DomainEventListener,
  DomainEventName,
  DomainEvents,
  EventBus,
} from '../events/event-bus.js';
import { authenticateSocket, HandshakeRefused, type SocketAuthDeps } from './socket-auth.js';

/** What a client may listen to: the domain events, each with its payload. */
export type ServerToClientEvents = {
  [K in DomainEventName]: (payload: DomainEvents[K]) => void;
};

export interface RealtimeDeps extends SocketAuthDeps {
  /** Every event published here goes to the sockets of its organisation. */
  readonly events: EventBus;
  /** Browser origins allowed to open a socket (the HTTP API's CORS_ORIGINS). */
  readonly corsOrigins: Config['corsOrigins'];
  /**
   * With Redis, emits travel through Redis pub/sub, so a client connected to any API process
   * receives the events published on every other one. It publishes on this client and
   * subscribes on a duplicate of its own.
   */
  readonly redis?: Redis | undefined;
  /**
   * Without Redis, the events of the other processes (see PostgresEventRelay): delivered to
   * this process's sockets only, as each process delivers its own.
   */
  readonly remoteEvents?: { listen(deliver: DomainEventListener): Promise<void> } | undefined;
  readonly logger: Pick<Logger, 'warn' | 'error'>;
}

export interface RealtimeGateway {
  readonly io: Server<Record<string, never>, ServerToClientEvents>;
  /** Disconnects every socket of this process and stops listening to the bus and Redis. */
  close(): Promise<void>;
}

/** socket.io's default: the dashboard's client connects to `${origin}/socket.io`. */
export const SOCKET_PATH = '/socket.io';
/**
 * Redis channel prefix, apart from anything else that may share the Redis server; the
 * workers' emitter (redis-event-relay.ts) publishes on it too.
 */
export const REDIS_CHANNEL_PREFIX = 'leadscore:socket.io';

export function organizationRoom(organizationId: string): string {
  return `org:${organizationId}`;
}

/**
 * Real-time events on the API's own HTTP server: a socket authenticates in its handshake
 * (`auth: {token}`), joins its organisation's room and nothing else, and receives every
 * domain event of that organisation. Sockets only listen: there is nothing to send.
 */
export async function attachRealtime(
  httpServer: HttpServer,
  deps: RealtimeDeps,
): Promise<RealtimeGateway> {
  const subscriber = deps.redis?.duplicate();
  subscriber?.on('error', (error) =>
    deps.logger.warn({ err: error }, 'redis subscriber connection error'),
  );
  let closing: Promise<void> | undefined;
  const io = new Server<Record<string, never>, ServerToClientEvents>(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Closing, new sessions are refused: one opened then would hold the HTTP server open.
    allowRequest: (_request, answer) => answer(null, closing === undefined),
    ...(deps.corsOrigins.length > 0 && {
      cors: { origin: deps.corsOrigins === '*' ? '*' : [...deps.corsOrigins] },
    }),
    ...(deps.redis &&
      subscriber && {
        adapter: createAdapter(deps.redis, subscriber, { key: REDIS_CHANNEL_PREFIX }),
      }),
  });

  io.use((socket, next) => {
    authenticateSocket(deps, socket.handshake.auth.token).then(
      (caller) => {
        // Joined before the connection completes: no event is missed after `connect`.
        socket.join(organizationRoom(caller.organizationId));
        if (caller.expiresAt !== undefined) {
          // The socket lives as long as its token, as a request would: a user removed or
          // demoted meanwhile stops hearing events then. The client reconnects with a new token.
          const timer = setTimeout(() => socket.disconnect(true), caller.expiresAt - Date.now());
          socket.once('disconnect', () => clearTimeout(timer));
        }
        next();
      },
      (error: unknown) => {
        if (error instanceof HandshakeRefused) return next(error);
        deps.logger.error({ err: error }, 'socket handshake failed');
        next(new Error('The server could not check the token; retry'));
      },
    );
  });

  // With the Redis adapter, io.to reaches the room's sockets on every API process; without
  // it, this process's only. Remote events go to local sockets alone: their own process's
  // relay sent them to each API process, a broadcast from here would deliver them twice.
  type Emitting = { emit(event: string, payload: unknown): void };
  const unsubscribe = deps.events.subscribe((organizationId, event, payload) => {
    (io.to(organizationRoom(organizationId)) as unknown as Emitting).emit(event, payload);
  });
  await deps.remoteEvents?.listen((organizationId, event, payload) => {
    if (closing) return;
    (io.local.to(organizationRoom(organizationId)) as unknown as Emitting).emit(event, payload);
  });

  return {
    io,
    close() {
      closing ??= (async () => {
        unsubscribe();
        // Not io.close(): that would also close the HTTP server under Fastify, which closes it
        // itself once in-flight requests are done. Clients reconnect to another process.
        io.local.disconnectSockets(true);
        await io.of('/').adapter.close();
        io.engine.close();
        await subscriber?.quit();
      })();
      return closing;
    },
  };
}
