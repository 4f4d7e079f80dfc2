/**
 * The platform services handed to every module: database, files, jobs, notifications.
 * Each block picks its implementation from config (local by default, real servers when configured).
 */
import type { Config } from '../config';
import type { Database } from './db/database';

export interface Platform {
  config: Config;
  db: Database;
}

export async function createPlatform(config: Config, db: Database, given: Partial<Platform> = {}): Promise<Platform> {
  return { config, db, ...given };
}
