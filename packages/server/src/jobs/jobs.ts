/**
 * Every background job of the server: its name, its payload and how it runs, in one place.
 * Payloads are plain JSON (they are stored in the queue's table) and carry ids, not data, so
 * a job always works on the current rows.
 */
export interface JobPayloads {
  /** Train a model version registered with status `training` (scoring module). */
  'scoring.train-model': { readonly organizationId: string; readonly modelId: string };
  /** Backtest a model version on the organisation's decided leads (its `backtest` says how). */
  'scoring.backtest-model': { readonly organizationId: string; readonly modelId: string };
  /** Rescore every lead of the organisation after an activation (a `lead_rescores` row). */
  'scoring.rescore': { readonly organizationId: string; readonly rescoreId: string };
  /** Rescore the leads whose decayed score moved (scheduled; every organisation). */
  'scoring.decay-scores': Record<string, never>;
  /** Write a background export's file (an `exports` row) to the export storage. */
  'exports.run': { readonly organizationId: string; readonly exportId: string };
  /** Import the rows of an uploaded CSV (an `imports` row) in batches. */
  'imports.run': { readonly organizationId: string; readonly importId: string };
}

export type JobName = keyof JobPayloads;

/** What a handler is told besides its payload. */
export interface JobContext {
  readonly jobId: string;
  /** 0 on the first run; a retry after a crash or an error counts up. */
  readonly retryCount: number;
  readonly retryLimit: number;
}

export type JobHandler<K extends JobName> = (
  payload: JobPayloads[K],
  context: JobContext,
) => Promise<void>;

/** One handler per job name: a process that runs workers runs every kind of job. */
export type JobHandlers = { readonly [K in JobName]: JobHandler<K> };

export interface JobSettings {
  /** Jobs of this name one process runs at once. */
  readonly concurrency: number;
  /** Runs after the first that a failed or expired job gets. */
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  /** A job still running after this long is taken to be lost (its process died) and retried. */
  readonly expireInSeconds: number;
  /** A cron expression (UTC): the queue sends the job itself on this schedule. */
  readonly schedule?: string;
}

export const JOB_SETTINGS: { readonly [K in JobName]: JobSettings } = {
  // Training is CPU-bound and runs on the event loop: one at a time per process. A handler
  // records a training that fails for a reason of its own on the model; what reaches the
  // queue as a failure is the unexpected (a lost database connection, a killed process),
  // which is worth another try.
  'scoring.train-model': {
    concurrency: 1,
    retryLimit: 2,
    retryDelaySeconds: 30,
    expireInSeconds: 3600,
  },
  // A backtest replays history on a worker thread: one at a time per process, as training.
  // Like training, only the unexpected reaches the queue as a failure.
  'scoring.backtest-model': {
    concurrency: 1,
    retryLimit: 1,
    retryDelaySeconds: 30,
    expireInSeconds: 3600,
  },
  // A rescore resumes from the progress it commits with each batch, so a retry after a crash
  // or an expiry only finishes the work. An hour covers a million leads on this hardware; one
  // that runs longer is retried while still running, and the two take turns on its progress
  // row rather than rescoring anything twice.
  'scoring.rescore': {
    concurrency: 1,
    retryLimit: 5,
    retryDelaySeconds: 10,
    expireInSeconds: 3600,
  },
  // Each run is bounded (see pipeline/score-decay.ts) and the next tick goes on where it
  // stopped: a failed run needs no retry of its own.
  'scoring.decay-scores': {
    concurrency: 1,
    retryLimit: 0,
    retryDelaySeconds: 0,
    expireInSeconds: 900,
    schedule: '*/15 * * * *',
  },
  // An export writes its one file from the start on every run (a part of a file cannot be
  // resumed), so a retry after a crash costs the rows already written again and nothing else.
  // One at a time per process: each reads the database as fast as it can. An hour covers
  // tens of millions of rows at the export rate measured here.
  'exports.run': {
    concurrency: 1,
    retryLimit: 2,
    retryDelaySeconds: 30,
    expireInSeconds: 3600,
  },
  // An import resumes after the last batch it committed, so a retry after a crash or an expiry
  // only finishes the work. One at a time per process: each writes as fast as the database
  // takes it. An hour covers a few million rows; one that runs longer is retried while still
  // running, and the two take turns on its progress row rather than writing a row twice.
  'imports.run': {
    concurrency: 1,
    retryLimit: 5,
    retryDelaySeconds: 10,
    expireInSeconds: 3600,
  },
};
