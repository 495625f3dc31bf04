export type { ScoreChange } from './alert-rules.js';
export { alertRoutes } from './alerts.routes.js';
export {
  type AlertRecordingDeps,
  type AlertsDeps,
  announceAlerts,
  findMqlThreshold,
  recordAlerts,
  type TriggeredAlert,
} from './alerts.service.js';
