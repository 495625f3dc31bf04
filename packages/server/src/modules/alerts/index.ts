export type { ScoreChange } from './alert-rules.js';
export { alertRoutes } from './alerts.routes.js';
export {
  type AlertEvaluationDeps,
  type AlertsDeps,
  evaluateAlertRules,
  findMqlThreshold,
} from './alerts.service.js';
