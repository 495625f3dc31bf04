export { ActivityErrors } from './activities.errors.js';
export { activityRoutes } from './activities.routes.js';
export type { ActivitiesDeps } from './activities.service.js';
