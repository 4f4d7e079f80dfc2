/**
 * Demo citizens (password `demo`, demo mode only). Idempotent.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { createAccount } from './identity.service';

const citizens = [
  { username: 'congdan', displayName: 'Nguyễn Thị Hồng', email: 'congdan@example.vn', phone: '0905123456' },
  { username: 'congdan2', displayName: 'Y Blốk Niê', email: 'yblok@example.vn', phone: '0912345678' },
];

export async function seedDemoCitizens(db: Database): Promise<void> {
  await db.orm.transaction(async (tx) => {
    for (const c of citizens) {
      const exists = await db.rows(sql`select 1 from accounts where username = ${c.username}`, tx);
      if (exists.length) continue;
      await createAccount(tx, { ...c, kind: 'citizen', password: 'demo' }, { skipPolicy: true });
    }
  });
}
