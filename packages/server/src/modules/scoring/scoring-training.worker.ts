/**
 * The worker-thread entry of a training (see scoring-thread.ts): one request in,
 * one result or failure out.
 */
import { EngineError } from '@leadscore/engine';
import { answerOneRequest } from './scoring-thread-entry.js';
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

answerOneRequest<TrainingRequest, TrainingResult>(
  (request) => trainOnHistory(request.leads, request.spec, new Date(request.now)),
  (error) => error instanceof TrainingDataError || error instanceof EngineError,
);
