/**
 * All SQL of parties: businesses, their representatives, authorisations. Writes take the caller's
 * transaction. Names of people are read from `accounts` (read only: username, display name, kind, status),
 * as org does for its staff lists.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Orm } from '../../platform/db/database';

export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  kind: 'staff' | 'citizen';
  status: 'active' | 'disabled';
}

export interface BusinessRow {
  id: string;
  tax_code: string;
  name: string;
  address: string | null;
  status: 'declared' | 'verified' | 'inactive';
  created_at: Date | string;
}

export interface MyBusinessRow extends BusinessRow {
  role: 'legal_representative' | 'representative';
}

export interface RepresentativeRow {
  account_id: string;
  username: string;
  display_name: string;
  role: 'legal_representative' | 'representative';
  added_at: Date | string;
}

export interface AuthorisationRow {
  id: string;
  grantor_account_id: string;
  grantor_username: string;
  grantor_name: string;
  grantee_account_id: string;
  grantee_username: string;
  grantee_name: string;
  procedure_codes: string[];
  valid_from: Date | string;
  valid_until: Date | string;
  note: string | null;
  created_at: Date | string;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

export interface LiveGrantRow {
  id: string;
  grantor_account_id: string;
  grantor_name: string;
  procedure_codes: string[];
  valid_until: Date | string;
}

const authorisationColumns = sql`z.id, z.grantor_account_id, gr.username as grantor_username, gr.display_name as grantor_name,
  z.grantee_account_id, ge.username as grantee_username, ge.display_name as grantee_name, z.procedure_codes,
  z.valid_from, z.valid_until, z.note, z.created_at, z.revoked_at, z.revoked_by`;
const authorisationFrom = sql`authorisations z
  join accounts gr on gr.id = z.grantor_account_id
  join accounts ge on ge.id = z.grantee_account_id`;

/** Live at `at`: not revoked, started, not yet expired. */
const liveAt = (at: Date) =>
  sql`z.revoked_at is null and z.valid_from <= ${at.toISOString()}::timestamptz and z.valid_until > ${at.toISOString()}::timestamptz`;

const textArray = (values: string[]) => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`;

export function partiesRepo(db: Database) {
  const one = async <T>(q: SQL, tx?: Orm): Promise<T | undefined> => (await db.rows<T>(q, tx))[0];

  return {
    // --- people -------------------------------------------------------------------------------------

    accountByUsername(username: string, tx?: Orm): Promise<AccountRow | undefined> {
      return one<AccountRow>(
        sql`select id, username, display_name, kind, status from accounts where username = ${username.trim().toLowerCase()}`,
        tx,
      );
    },

    accountById(id: string): Promise<AccountRow | undefined> {
      return one<AccountRow>(sql`select id, username, display_name, kind, status from accounts where id = ${id}`);
    },

    // --- businesses ---------------------------------------------------------------------------------

    businessByTaxCode(taxCode: string, tx?: Orm): Promise<BusinessRow | undefined> {
      return one<BusinessRow>(sql`select id, tax_code, name, address, status, created_at from businesses where tax_code = ${taxCode}`, tx);
    },

    businessById(id: string): Promise<BusinessRow | undefined> {
      return one<BusinessRow>(sql`select id, tax_code, name, address, status, created_at from businesses where id = ${id}`);
    },

    async insertBusiness(
      tx: Orm,
      b: { id: string; taxCode: string; name: string; address: string | null; at: Date },
      legalRepresentative: { id: string; accountId: string },
    ): Promise<void> {
      await db.rows(
        sql`insert into businesses (id, tax_code, name, address, status, created_at, updated_at)
            values (${b.id}, ${b.taxCode}, ${b.name}, ${b.address}, 'declared', ${b.at.toISOString()}, ${b.at.toISOString()})`,
        tx,
      );
      await db.rows(
        sql`insert into business_representatives (id, business_id, account_id, role, added_by, added_at)
            values (${legalRepresentative.id}, ${b.id}, ${legalRepresentative.accountId}, 'legal_representative',
                    ${legalRepresentative.accountId}, ${b.at.toISOString()})`,
        tx,
      );
    },

    /** Businesses the account represents now, newest first (cursor: created_at, id). */
    myBusinesses(accountId: string, after: [string, string] | null, limit: number): Promise<MyBusinessRow[]> {
      return db.rows<MyBusinessRow>(
        sql`select b.id, b.tax_code, b.name, b.address, b.status, b.created_at, r.role
              from business_representatives r join businesses b on b.id = r.business_id
             where r.account_id = ${accountId} and r.removed_at is null
               ${after ? sql`and (b.created_at, b.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
             order by b.created_at desc, b.id desc limit ${limit + 1}`,
      );
    },

    /** The account's current role in the business, or null. */
    async roleIn(businessId: string, accountId: string, tx?: Orm): Promise<'legal_representative' | 'representative' | null> {
      const r = await one<{ role: 'legal_representative' | 'representative' }>(
        sql`select role from business_representatives
             where business_id = ${businessId} and account_id = ${accountId} and removed_at is null`,
        tx,
      );
      return r?.role ?? null;
    },

    representatives(businessId: string, tx?: Orm): Promise<RepresentativeRow[]> {
      return db.rows<RepresentativeRow>(
        sql`select r.account_id, a.username, a.display_name, r.role, r.added_at
              from business_representatives r join accounts a on a.id = r.account_id
             where r.business_id = ${businessId} and r.removed_at is null
             order by (r.role = 'legal_representative') desc, r.added_at, a.username`,
        tx,
      );
    },

    async addRepresentative(tx: Orm, r: { id: string; businessId: string; accountId: string; addedBy: string; at: Date }): Promise<void> {
      await db.rows(
        sql`insert into business_representatives (id, business_id, account_id, role, added_by, added_at)
            values (${r.id}, ${r.businessId}, ${r.accountId}, 'representative', ${r.addedBy}, ${r.at.toISOString()})`,
        tx,
      );
    },

    async removeRepresentative(tx: Orm, businessId: string, accountId: string, by: string, at: Date): Promise<boolean> {
      const rows = await db.rows(
        sql`update business_representatives set removed_at = ${at.toISOString()}, removed_by = ${by}
             where business_id = ${businessId} and account_id = ${accountId} and removed_at is null and role = 'representative'
             returning id`,
        tx,
      );
      return rows.length === 1;
    },

    /** Businesses (not inactive) the account represents now: id, name, tax code, role. */
    activeBusinessesOf(accountId: string): Promise<{ id: string; name: string; tax_code: string; role: MyBusinessRow['role'] }[]> {
      return db.rows(
        sql`select b.id, b.name, b.tax_code, r.role
              from business_representatives r join businesses b on b.id = r.business_id
             where r.account_id = ${accountId} and r.removed_at is null and b.status <> 'inactive'
             order by b.name, b.id`,
      );
    },

    /** Whether the account represents the (not inactive) business now. */
    async represents(accountId: string, businessId: string): Promise<boolean> {
      const r = await one(
        sql`select 1 from business_representatives r join businesses b on b.id = r.business_id
             where r.business_id = ${businessId} and r.account_id = ${accountId} and r.removed_at is null
               and b.status <> 'inactive'`,
      );
      return r !== undefined;
    },

    // --- authorisations -----------------------------------------------------------------------------

    async insertAuthorisation(
      tx: Orm,
      z: {
        id: string;
        grantorAccountId: string;
        granteeAccountId: string;
        procedureCodes: string[];
        validFrom: Date;
        validUntil: Date;
        note: string | null;
        at: Date;
      },
    ): Promise<void> {
      await db.rows(
        sql`insert into authorisations (id, grantor_account_id, grantee_account_id, procedure_codes, valid_from, valid_until, note, created_at)
            values (${z.id}, ${z.grantorAccountId}, ${z.granteeAccountId}, ${textArray(z.procedureCodes)},
                    ${z.validFrom.toISOString()}, ${z.validUntil.toISOString()}, ${z.note}, ${z.at.toISOString()})`,
        tx,
      );
    },

    authorisationById(id: string, tx?: Orm): Promise<AuthorisationRow | undefined> {
      return one<AuthorisationRow>(sql`select ${authorisationColumns} from ${authorisationFrom} where z.id = ${id}`, tx);
    },

    /** Given (side = grantor) or received (side = grantee) by the account, newest first. */
    authorisations(
      side: 'grantor' | 'grantee',
      accountId: string,
      f: { liveOrPending: boolean; at: Date },
      after: [string, string] | null,
      limit: number,
    ): Promise<AuthorisationRow[]> {
      const who = side === 'grantor' ? sql`z.grantor_account_id = ${accountId}` : sql`z.grantee_account_id = ${accountId}`;
      return db.rows<AuthorisationRow>(
        sql`select ${authorisationColumns} from ${authorisationFrom}
             where ${who}
               ${f.liveOrPending ? sql`and z.revoked_at is null and z.valid_until > ${f.at.toISOString()}::timestamptz` : sql``}
               ${after ? sql`and (z.created_at, z.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
             order by z.created_at desc, z.id desc limit ${limit + 1}`,
      );
    },

    async revoke(tx: Orm, id: string, by: string, at: Date): Promise<boolean> {
      const rows = await db.rows(
        sql`update authorisations set revoked_at = ${at.toISOString()}, revoked_by = ${by} where id = ${id} and revoked_at is null returning id`,
        tx,
      );
      return rows.length === 1;
    },

    /**
     * A live authorisation from grantor to grantee covering the procedure (null = any authorisation is
     * enough): the one ending last, or undefined.
     */
    liveAuthorisation(grantor: string, grantee: string, procedureCode: string | null, at: Date): Promise<{ id: string } | undefined> {
      return one<{ id: string }>(
        sql`select z.id from authorisations z join accounts gr on gr.id = z.grantor_account_id
             where z.grantee_account_id = ${grantee} and z.grantor_account_id = ${grantor} and ${liveAt(at)} and gr.status = 'active'
               ${procedureCode === null ? sql`` : sql`and (cardinality(z.procedure_codes) = 0 or ${procedureCode} = any(z.procedure_codes))`}
             order by cardinality(z.procedure_codes) = 0, z.valid_until desc limit 1`,
      );
    },

    /** Every live authorisation the account received, with the grantor's name. */
    liveGrantsTo(grantee: string, at: Date): Promise<LiveGrantRow[]> {
      return db.rows<LiveGrantRow>(
        sql`select z.id, z.grantor_account_id, gr.display_name as grantor_name, z.procedure_codes, z.valid_until
              from authorisations z join accounts gr on gr.id = z.grantor_account_id
             where z.grantee_account_id = ${grantee} and ${liveAt(at)} and gr.status = 'active'
             order by gr.display_name, z.valid_until desc`,
      );
    },
  };
}

export type PartiesRepo = ReturnType<typeof partiesRepo>;
