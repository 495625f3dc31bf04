// Real-time events: socket.io on the API's port, one room per organisation, fed by the EventBus.
export {
  attachRealtime,
  organizationRoom,
  type RealtimeGateway,
  type ServerToClientEvents,
  SOCKET_PATH,
} from './realtime.gateway.js';
export { createScoredBatchHandler } from './scored-batch.js';
