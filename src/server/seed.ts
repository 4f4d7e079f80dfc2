/**
 * Demo province seed (Đắk Lắk, 66). Idempotent: running it twice changes nothing.
 * Each module seeds its own part through its index.
 */
import type { Config } from './config';
import { seedDemoCatalog } from './modules/catalog';
import { seedDemoFeedback } from './modules/feedback';
import { seedDemoOpen311 } from './modules/feedback/open311';
import { seedDemoCitizens } from './modules/identity';
import { seedDemoOrg } from './modules/org';
import { seedDemoParties } from './modules/parties';
import { seedDemoWorkflows } from './modules/workflows';
import type { Database } from './platform/db/database';

export async function seedDemo(db: Database, config: Config): Promise<void> {
  await seedDemoCitizens(db);
  await seedDemoOrg(db, config);
  await seedDemoCatalog(db, config);
  await seedDemoParties(db);
  await seedDemoWorkflows(db, config);
  await seedDemoFeedback(db);
  await seedDemoOpen311(db);
}
