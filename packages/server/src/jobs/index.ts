// Background jobs: a typed queue (pg-boss) on the app's database, and what each job carries.
export { createJobQueue, type JobQueue, type JobQueueOptions } from './job-queue.js';
export {
  JOB_SETTINGS,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobName,
  type JobPayloads,
  type JobSettings,
} from './jobs.js';
