import type { JobHandlers } from '../../jobs/index.js';
import { DEFAULT_DECAY_OPTIONS, decayScores } from '../../pipeline/index.js';
import { runBacktest } from './scoring-backtest.service.js';
import { type RescoreDeps, runRescore } from './scoring-rescore.service.js';
import { type TrainingDeps, trainModel } from './scoring-training.service.js';

export type ScoringJobDeps = TrainingDeps &
  Pick<RescoreDeps, 'onScored' | 'recordAlerts' | 'batchSize'>;

/** The scoring module's background jobs. */
export function scoringJobHandlers(
  deps: ScoringJobDeps,
): Pick<
  JobHandlers,
  'scoring.train-model' | 'scoring.backtest-model' | 'scoring.rescore' | 'scoring.decay-scores'
> {
  return {
    'scoring.train-model': (payload, context) => trainModel(deps, payload, context),
    'scoring.backtest-model': (payload, context) => runBacktest(deps, payload, context),
    'scoring.rescore': (payload, context) => runRescore(deps, payload, context),
    'scoring.decay-scores': async () => {
      await decayScores(deps, DEFAULT_DECAY_OPTIONS);
    },
  };
}
