export { ScoringErrors } from './scoring.errors.js';
export { type ScoringJobDeps, scoringJobHandlers } from './scoring.jobs.js';
export { scoringRoutes } from './scoring.routes.js';
export type { ScoringDeps } from './scoring.service.js';
export type { TrainingDeps } from './scoring-training.service.js';
