/**
 * The platform services handed to every module: database, files, jobs, notifications.
 * Each block picks its implementation from config (local by default, real servers when configured).
 */
import type { Config } from '../config';
import { type CalendarService, createCalendar } from './calendar';
import type { Database } from './db/database';
import { createFiles, type FileService } from './files';
import { createJobs, type Jobs } from './jobs';
import { createNotifier, type Notifier } from './notify';
import { createSigning, type SigningService } from './signing';

export { startJobs } from './jobs';

export interface Platform {
  config: Config;
  db: Database;
  files: FileService;
  /** Background jobs (pg-boss on the same database). Workers run only after startJobs(platform). */
  jobs: Jobs;
  notify: Notifier;
  /** The province's working calendar (legal time engine): `await calendar.data()` + the pure functions of ./calendar. */
  calendar: CalendarService;
  /** PAdES signatures on PDF with each agency's certificate (`signerFor(agencyCode)`), and their verification. */
  signing: SigningService;
}

export async function createPlatform(config: Config, db: Database, given: Partial<Platform> = {}): Promise<Platform> {
  const jobs = given.jobs ?? createJobs(db, config);
  const notify = given.notify ?? (await createNotifier({ db, config, jobs }));
  // Installs the job tables and queues; starts no worker.
  await jobs.init();
  return {
    config,
    db,
    ...given,
    files: given.files ?? (await createFiles(config, db)),
    jobs,
    notify,
    calendar: given.calendar ?? createCalendar(config, db),
    signing: given.signing ?? createSigning(config),
  };
}
