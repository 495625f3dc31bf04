export { resolveLeadsForActivities } from './lead-resolution.js';
export { LeadsErrors } from './leads.errors.js';
export { leadRoutes } from './leads.routes.js';
export { cacheWrittenScores } from './leads.service.js';
