/**
 * All SQL of the e-data store.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Orm } from '../../platform/db/database';
import type { AccessAction, DocSource, Principal } from './edata.types';

export interface DocumentRow {
  id: string;
  owner_account_id: string | null;
  owner_business_id: string | null;
  doc_type: string;
  title: string;
  number: string | null;
  issuer: string | null;
  issued_on: string | null;
  valid_until: string | null;
  file_id: string;
  source: DocSource;
  dossier_id: string | null;
  dossier_code: string | null;
  created_by: string | null;
  created_at: string;
  /** created_at as PostgreSQL text (microseconds kept): the keyset cursor. */
  created_key: string;
  updated_at: string;
  deleted_at: string | null;
  file_name: string;
  media_type: string;
  size: number;
}

export interface AccessRow {
  id: string;
  document_id: string;
  document_title: string;
  at: string;
  at_key: string;
  action: AccessAction;
  actor_label: string;
  actor_agency: string | null;
  dossier_id: string | null;
  dossier_code: string | null;
}

export interface ShareRow {
  id: string;
  document_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  opened_count: number;
}

export interface NewDocument {
  owner: Principal;
  docType: string;
  title: string;
  number: string | null;
  issuer: string | null;
  issuedOn: string | null;
  validUntil: string | null;
  fileId: string;
  source: DocSource;
  dossierId: string | null;
  dossierCode: string | null;
  createdBy: string | null;
}

export interface NewAccess {
  documentId: string;
  owner: Principal;
  action: AccessAction;
  actorAccountId: string | null;
  actorLabel: string;
  actorAgency?: string | null;
  dossierId?: string | null;
  dossierCode?: string | null;
}

const ownerCols = (p: Principal) =>
  p.kind === 'citizen' ? { account: p.accountId, business: null } : { account: null, business: p.businessId };

const ownerWhere = (p: Principal, alias = 'd'): SQL =>
  p.kind === 'citizen'
    ? sql`${sql.raw(alias)}.owner_account_id = ${p.accountId}`
    : sql`${sql.raw(alias)}.owner_business_id = ${p.businessId}`;

const DOC_SELECT = sql`select d.id, d.owner_account_id, d.owner_business_id, d.doc_type, d.title, d.number, d.issuer,
       d.issued_on::text as issued_on, d.valid_until::text as valid_until, d.file_id, d.source, d.dossier_id, d.dossier_code,
       d.created_by, d.created_at, d.created_at::text as created_key, d.updated_at, d.deleted_at, f.original_name as file_name, f.media_type, f.size::int as size
  from edata_documents d join files f on f.id = d.file_id`;

export const principalOf = (r: Pick<DocumentRow, 'owner_account_id' | 'owner_business_id'>): Principal =>
  r.owner_account_id ? { kind: 'citizen', accountId: r.owner_account_id } : { kind: 'business', businessId: r.owner_business_id as string };

export function edataRepo(db: Database) {
  return {
    async insert(tx: Orm, d: NewDocument): Promise<string> {
      const o = ownerCols(d.owner);
      const [row] = await db.rows<{ id: string }>(
        sql`insert into edata_documents (owner_account_id, owner_business_id, doc_type, title, number, issuer, issued_on, valid_until,
                                         file_id, source, dossier_id, dossier_code, created_by)
            values (${o.account}, ${o.business}, ${d.docType}, ${d.title}, ${d.number}, ${d.issuer}, ${d.issuedOn}, ${d.validUntil},
                    ${d.fileId}, ${d.source}, ${d.dossierId}, ${d.dossierCode}, ${d.createdBy})
            on conflict do nothing
            returning id`,
        tx,
      );
      return row?.id ?? '';
    },

    async byId(id: string, tx?: Orm): Promise<DocumentRow | null> {
      const [row] = await db.rows<DocumentRow>(sql`${DOC_SELECT} where d.id = ${id} and d.deleted_at is null`, tx);
      return row ?? null;
    },

    byIds(ids: string[]): Promise<DocumentRow[]> {
      if (!ids.length) return Promise.resolve([]);
      return db.rows<DocumentRow>(
        sql`${DOC_SELECT} where d.id in (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )}) and d.deleted_at is null`,
      );
    },

    /** Store documents (live or deleted) holding a file, of one owner. */
    byFile(owner: Principal, fileId: string): Promise<DocumentRow[]> {
      return db.rows<DocumentRow>(sql`${DOC_SELECT} where d.file_id = ${fileId} and ${ownerWhere(owner)}`);
    },

    list(
      owner: Principal,
      f: { type?: string; source?: string; validity?: 'valid' | 'expired'; today: string },
      after: [string, string] | null,
      limit: number,
    ): Promise<DocumentRow[]> {
      const conds: SQL[] = [ownerWhere(owner), sql`d.deleted_at is null`];
      if (f.type) conds.push(sql`d.doc_type = ${f.type}`);
      if (f.source) conds.push(sql`d.source = ${f.source}`);
      if (f.validity === 'valid') conds.push(sql`(d.valid_until is null or d.valid_until >= ${f.today}::date)`);
      if (f.validity === 'expired') conds.push(sql`d.valid_until < ${f.today}::date`);
      if (after) conds.push(sql`(d.created_at, d.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      return db.rows<DocumentRow>(
        sql`${DOC_SELECT} where ${sql.join(conds, sql` and `)} order by d.created_at desc, d.id desc limit ${limit + 1}`,
      );
    },

    async update(
      tx: Orm,
      id: string,
      v: {
        docType: string;
        title: string;
        number: string | null;
        issuer: string | null;
        issuedOn: string | null;
        validUntil: string | null;
      },
    ): Promise<void> {
      await db.rows(
        sql`update edata_documents set doc_type = ${v.docType}, title = ${v.title}, number = ${v.number}, issuer = ${v.issuer},
                   issued_on = ${v.issuedOn}, valid_until = ${v.validUntil}, updated_at = now()
             where id = ${id} and deleted_at is null`,
        tx,
      );
    },

    async softDelete(tx: Orm, id: string): Promise<boolean> {
      const rows = await db.rows(
        sql`update edata_documents set deleted_at = now(), updated_at = now()
             where id = ${id} and deleted_at is null and source <> 'result' returning id`,
        tx,
      );
      if (rows.length) await db.rows(sql`update edata_shares set revoked_at = now() where document_id = ${id} and revoked_at is null`, tx);
      return rows.length === 1;
    },

    async logAccess(entries: NewAccess[], tx?: Orm): Promise<void> {
      if (!entries.length) return;
      await db.rows(
        sql`insert into edata_access_log (document_id, owner_account_id, owner_business_id, actor_account_id, actor_label, actor_agency,
                                          action, dossier_id, dossier_code)
            values ${sql.join(
              entries.map((e) => {
                const o = ownerCols(e.owner);
                return sql`(${e.documentId}, ${o.account}, ${o.business}, ${e.actorAccountId}, ${e.actorLabel}, ${e.actorAgency ?? null},
                            ${e.action}, ${e.dossierId ?? null}, ${e.dossierCode ?? null})`;
              }),
              sql`, `,
            )}`,
        tx,
      );
    },

    /** Documents among `ids` already logged as reused in the dossier. */
    /** Names the dossier in the entries made while it was a draft (a draft has no code yet). */
    async nameDossier(tx: Orm, dossierId: string, code: string): Promise<void> {
      await db.rows(sql`update edata_access_log set dossier_code = ${code} where dossier_id = ${dossierId} and dossier_code is null`, tx);
    },
    async reusedIn(tx: Orm, dossierId: string, ids: string[]): Promise<Set<string>> {
      if (!ids.length) return new Set();
      const rows = await db.rows<{ document_id: string }>(
        sql`select distinct document_id from edata_access_log
             where dossier_id = ${dossierId} and action = 'reuse' and document_id in (${sql.join(
               ids.map((i) => sql`${i}`),
               sql`, `,
             )})`,
        tx,
      );
      return new Set(rows.map((r) => r.document_id));
    },

    accessLog(where: { owner: Principal } | { documentId: string }, after: [string, string] | null, limit: number): Promise<AccessRow[]> {
      const conds: SQL[] = [
        'documentId' in where
          ? sql`l.document_id = ${where.documentId}`
          : where.owner.kind === 'citizen'
            ? sql`l.owner_account_id = ${where.owner.accountId}`
            : sql`l.owner_business_id = ${where.owner.businessId}`,
      ];
      if (after) conds.push(sql`(l.at, l.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      return db.rows<AccessRow>(
        sql`select l.id, l.document_id, d.title as document_title, l.at, l.at::text as at_key, l.action, l.actor_label, l.actor_agency, l.dossier_id, l.dossier_code
              from edata_access_log l join edata_documents d on d.id = l.document_id
             where ${sql.join(conds, sql` and `)}
             order by l.at desc, l.id desc limit ${limit + 1}`,
      );
    },

    async insertShare(tx: Orm, documentId: string, tokenHash: string, expiresAt: Date, createdBy: string): Promise<ShareRow> {
      const [row] = await db.rows<ShareRow>(
        sql`insert into edata_shares (document_id, token_hash, expires_at, created_by)
            values (${documentId}, ${tokenHash}, ${expiresAt.toISOString()}, ${createdBy})
            returning id, document_id, created_at, expires_at, revoked_at, opened_count`,
        tx,
      );
      return row as ShareRow;
    },

    shares(documentId: string): Promise<ShareRow[]> {
      return db.rows<ShareRow>(
        sql`select id, document_id, created_at, expires_at, revoked_at, opened_count from edata_shares
             where document_id = ${documentId} order by created_at desc limit 200`,
      );
    },

    async revokeShare(tx: Orm, documentId: string, shareId: string): Promise<ShareRow | null> {
      const [row] = await db.rows<ShareRow>(
        sql`update edata_shares set revoked_at = coalesce(revoked_at, now())
             where id = ${shareId} and document_id = ${documentId}
         returning id, document_id, created_at, expires_at, revoked_at, opened_count`,
        tx,
      );
      return row ?? null;
    },

    async shareByHash(tokenHash: string): Promise<(ShareRow & { deleted: boolean }) | null> {
      const [row] = await db.rows<ShareRow & { deleted: boolean }>(
        sql`select s.id, s.document_id, s.created_at, s.expires_at, s.revoked_at, s.opened_count, d.deleted_at is not null as deleted
              from edata_shares s join edata_documents d on d.id = s.document_id where s.token_hash = ${tokenHash}`,
      );
      return row ?? null;
    },

    async countOpen(tx: Orm, shareId: string): Promise<void> {
      await db.rows(sql`update edata_shares set opened_count = opened_count + 1 where id = ${shareId}`, tx);
    },
  };
}

export type EdataRepo = ReturnType<typeof edataRepo>;
