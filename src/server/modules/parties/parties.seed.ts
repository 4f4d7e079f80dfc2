/**
 * Demo parties (demo mode only). Idempotent: a business run by `congdan` (legal representative,
 * declared, valid tax code) and an authorisation from `congdan2` to `congdan` for two civil-status
 * procedures (copy of a civil-status extract, death registration), valid for a year from the first seed.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { currentVersionRef } from '../catalog';
import { partiesRepo } from './parties.repo';

export const DEMO_BUSINESS = {
  taxCode: '6001234562',
  name: 'Công ty TNHH Cà phê Buôn Ma Thuột Xanh',
  address: '25 Phan Bội Châu, phường Buôn Ma Thuột, tỉnh Đắk Lắk',
} as const;

/** Cấp bản sao Trích lục hộ tịch; Đăng ký khai tử. */
export const DEMO_AUTHORISED_PROCEDURES = ['2.000635.000.00.00.H66', '1.000656.000.00.00.H66'] as const;

export async function seedDemoParties(db: Database): Promise<void> {
  const repo = partiesRepo(db);
  const known: string[] = [];
  for (const c of DEMO_AUTHORISED_PROCEDURES) if ((await currentVersionRef(db, c))?.status === 'active') known.push(c);
  await db.orm.transaction(async (tx) => {
    const congdan = await repo.accountByUsername('congdan', tx);
    const congdan2 = await repo.accountByUsername('congdan2', tx);
    if (!congdan || !congdan2) return;
    const now = new Date();
    if (!(await repo.businessByTaxCode(DEMO_BUSINESS.taxCode, tx))) {
      await repo.insertBusiness(
        tx,
        { id: randomUUID(), taxCode: DEMO_BUSINESS.taxCode, name: DEMO_BUSINESS.name, address: DEMO_BUSINESS.address, at: now },
        { id: randomUUID(), accountId: congdan.id },
      );
    }
    const given = await db.rows(
      sql`select 1 from authorisations where grantor_account_id = ${congdan2.id} and grantee_account_id = ${congdan.id}`,
      tx,
    );
    if (given.length) return;
    if (!known.length) return;
    const until = new Date(now);
    until.setUTCFullYear(until.getUTCFullYear() + 1);
    await repo.insertAuthorisation(tx, {
      id: randomUUID(),
      grantorAccountId: congdan2.id,
      granteeAccountId: congdan.id,
      procedureCodes: known,
      validFrom: now,
      validUntil: until,
      note: 'Ủy quyền nộp hồ sơ hộ tịch thay (dữ liệu demo)',
      at: now,
    });
  });
}
