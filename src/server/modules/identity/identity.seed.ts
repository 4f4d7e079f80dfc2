/**
 * Demo citizens (password `demo`, demo mode only). Idempotent.
 *
 * Their ID number and birth date are the ones the VNeID sandbox issues for them (SANDBOX_IDENTITIES), so a
 * sandbox VNeID login maps to these accounts by ID number. The accounts stay at assurance level 1 until
 * they sign in through VNeID once.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { createAccount } from './identity.service';
import { SANDBOX_IDENTITIES } from './identity.vneid.sandbox';

const citizens = [
  { username: 'congdan', displayName: 'Nguyễn Thị Hồng', email: 'congdan@example.vn', phone: '0905123456' },
  { username: 'congdan2', displayName: 'Y Blốk Niê', email: 'yblok@example.vn', phone: '0912345678' },
];

export async function seedDemoCitizens(db: Database): Promise<void> {
  await db.orm.transaction(async (tx) => {
    for (const c of citizens) {
      const exists = await db.rows(sql`select 1 from accounts where username = ${c.username}`, tx);
      if (!exists.length) await createAccount(tx, { ...c, kind: 'citizen', password: 'demo' }, { skipPolicy: true });
      const vneid = SANDBOX_IDENTITIES.find((p) => p.username === c.username);
      if (vneid) {
        await db.rows(
          sql`update accounts set id_number = ${vneid.idNumber}, birth_date = coalesce(birth_date, ${vneid.birthdate}::date)
              where username = ${c.username} and id_number is null
                and not exists (select 1 from accounts o where o.id_number = ${vneid.idNumber})`,
          tx,
        );
      }
    }
  });
}
