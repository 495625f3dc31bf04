/**
 * The worker-thread entry of a backtest (see scoring-thread.ts): one request in, one report
 * or failure out.
 */
import { parentPort } from 'node:worker_threads';
import { EngineError } from '@leadscore/engine';
import { loadScoringModel, ScoringModelError } from '../../pipeline/scoring-model.js';
import { type BacktestReport, backtestModel } from './scoring-backtest.js';
import { type DecidedLead, TrainingDataError } from './scoring-training.js';

export interface BacktestRequest {
  readonly leads: readonly DecidedLead[];
  /** The version's stored config (`scoring_models.config`). */
  readonly config: unknown;
  readonly mqlThreshold: number;
}

export type BacktestReply =
  | { readonly ok: true; readonly result: BacktestReport }
  | {
      readonly ok: false;
      /** The history or the version refused it: a reason for the user, not a bug. */
      readonly refused: boolean;
      readonly message: string;
    };

parentPort?.once('message', (request: BacktestRequest) => {
  let reply: BacktestReply;
  try {
    const model = loadScoringModel(request.config);
    reply = { ok: true, result: backtestModel(request.leads, model, request.mqlThreshold) };
  } catch (error) {
    reply = {
      ok: false,
      refused:
        error instanceof TrainingDataError ||
        error instanceof EngineError ||
        error instanceof ScoringModelError,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(reply);
});
