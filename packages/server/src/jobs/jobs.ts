/**
 * Every background job of the server: its name, its payload and how it runs, in one place.
 * Payloads are plain JSON (they are stored in the queue's table) and carry ids, not data, so
 * a job always works on the current rows.
 */
export interface JobPayloads {
  /** Train a model version registered with status `training` (scoring module). */
  'scoring.train-model': { readonly organizationId: string; readonly modelId: string };
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
};
