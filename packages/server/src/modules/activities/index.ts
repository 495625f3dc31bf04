export { ActivityErrors } from './activities.errors.js';
export { activityRoutes } from './activities.routes.js';
export type { ActivitiesDeps } from './activities.service.js';
export { checkActivity, type ValidActivity } from './activities.validation.js';
export { type ActivityWriteOutcome, writeActivityBatch } from './activity-bulk-write.js';
export {
  type ActivityFilters,
  type ActivityRecord,
  activityRecordsQuery,
} from './activity-export.repository.js';
