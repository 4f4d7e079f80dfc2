/**
 * The jobs block: what the rest of the server may use.
 */
import type { Config } from '../../config';
import type { Jobs } from './jobs';

export {
  type BatchJobHandler,
  type BatchRegisterOptions,
  createJobs,
  INSERT_KEYED_JOB,
  JOBS_SCHEMA,
  type JobContext,
  type JobHandler,
  type Jobs,
  type JobsOptions,
  keyedJobId,
  type RegisterOptions,
  SCHEDULE_TZ,
  type SendOptions,
} from './jobs';
export { type JobsAdmin, jobsAdmin } from './jobs.admin';
export { registerJobsRoutes } from './jobs.routes';

/**
 * Starts the job workers of this process when the configuration asks for them (JOBS, default true).
 * The server's `start` command calls it once the app is built; `platform.jobs.stop()` (or closing the
 * app) stops them.
 */
export async function startJobs(platform: { config: Pick<Config, 'jobs'>; jobs: Jobs }): Promise<boolean> {
  if (!platform.config.jobs) return false;
  await platform.jobs.start();
  return true;
}
