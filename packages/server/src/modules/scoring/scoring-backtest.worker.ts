/**
 * The worker-thread entry of a backtest (see scoring-thread.ts): one request in, one report
 * or failure out.
 */
import { EngineError } from '@leadscore/engine';
import { loadScoringModel, ScoringModelError } from '../../pipeline/scoring-model.js';
import { type BacktestReport, backtestModel } from './scoring-backtest.js';
import { answerOneRequest } from './scoring-thread-entry.js';
import { type DecidedLead, TrainingDataError } from './scoring-training.js';

export interface BacktestRequest {
  readonly leads: readonly DecidedLead[];
  /** The version's stored config (`scoring_models.config`). */
  readonly config: unknown;
  readonly mqlThreshold: number;
}

answerOneRequest<BacktestRequest, BacktestReport>(
  (request) => backtestModel(request.leads, loadScoringModel(request.config), request.mqlThreshold),
  (error) =>
    error instanceof TrainingDataError ||
    error instanceof EngineError ||
    error instanceof ScoringModelError,
);
