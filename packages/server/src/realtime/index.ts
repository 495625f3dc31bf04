// Real-time events: socket.io on the API's port, one room per organisation, fed by the EventBus;
// relays carry the events of other processes to it.
export type { EventRelay } from './event-relay.js';
export { createPostgresEventRelay, type PostgresEventRelay } from './postgres-event-relay.js';
export {
  attachRealtime,
  organizationRoom,
  type RealtimeGateway,
  type ServerToClientEvents,
  SOCKET_PATH,
} from './realtime.gateway.js';
export { createRedisEventRelay } from './redis-event-relay.js';
export { createAlertRecorder, createScoredBatchHandler } from './scored-batch.js';
