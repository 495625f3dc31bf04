/**
 * The worker-thread entry of a training (see scoring-thread.ts): one request in,
 * one result or failure out.
 */
import { parentPort } from 'node:worker_threads';
import { EngineError } from '@leadscore/engine';
import {
  type DecidedLead,
  TrainingDataError,
  type TrainingResult,
  type TrainingSpec,
  trainOnHistory,
} from './scoring-training.js';

export interface TrainingRequest {
  readonly leads: readonly DecidedLead[];
  readonly spec: TrainingSpec;
  /** ms since the epoch. */
  readonly now: number;
}

export type TrainingReply =
  | { readonly ok: true; readonly result: TrainingResult }
  | {
      readonly ok: false;
      /** The history (or the engine) refused it: a reason for the user, not a bug. */
      readonly refused: boolean;
      readonly message: string;
    };

parentPort?.once('message', (request: TrainingRequest) => {
  let reply: TrainingReply;
  try {
    reply = {
      ok: true,
      result: trainOnHistory(request.leads, request.spec, new Date(request.now)),
    };
  } catch (error) {
    reply = {
      ok: false,
      refused: error instanceof TrainingDataError || error instanceof EngineError,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(reply);
});
