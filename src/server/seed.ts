/**
 * Demo province seed (Đắk Lắk, 66). Idempotent: running it twice changes nothing.
 * Each module seeds its own part through its index.
 */
import type { Config } from './config';
import type { Database } from './platform/db/database';
import { seedDemoCitizens } from './modules/identity';

export async function seedDemo(db: Database, config: Config): Promise<void> {
  void config;
  await seedDemoCitizens(db);
}
