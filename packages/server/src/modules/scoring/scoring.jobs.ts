import type { JobHandlers } from '../../jobs/index.js';
import { type TrainingDeps, trainModel } from './scoring-training.service.js';

/** The scoring module's background jobs. */
export function scoringJobHandlers(deps: TrainingDeps): Pick<JobHandlers, 'scoring.train-model'> {
  return {
    'scoring.train-model': (payload, context) => trainModel(deps, payload, context),
  };
}
