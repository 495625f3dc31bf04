export { ScoringErrors } from './scoring.errors.js';
export { scoringJobHandlers } from './scoring.jobs.js';
export { scoringRoutes } from './scoring.routes.js';
export type { ScoringDeps, TrainingDeps } from './scoring.service.js';
