/**
 * All SQL of the national portal sync: the per-dossier sync state, what the local portal received,
 * and read-only views of a dossier (its scopes, and what the sync message is built from).
 *
 * The dossier reads are read-only queries on the dossiers tables: the dossiers module exposes no read
 * for system callers yet; when it does, these two functions should call it instead.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';

type Raw = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

export interface DossierScopes {
  id: string;
  code: string | null;
  state: string;
  publicStatus: number | null;
  version: number;
  deskScope: string;
  agencyScope: string;
}

export interface DossierRow {
  id: string;
  code: string | null;
  state: string;
  publicStatus: number | null;
  version: number;
  channel: 1 | 2 | 3;
  applicant: Record<string, unknown>;
  summary: string | null;
  submittedAt: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  refusedAt: string | null;
  procedureCode: string;
  procedureName: string;
  procedureField: string | null;
  agencyName: string;
}

export interface ActionRow {
  seq: number;
  action: string;
  at: string;
  actorLabel: string;
  note: string | null;
  payload: Record<string, unknown>;
}

export interface FileRow {
  fileId: string;
  componentKey: string;
  name: string;
  superseded: boolean;
  reused: boolean;
  addedSeq: number;
}

export interface SyncRow {
  dossierId: string;
  lastSeqSent: number | null;
  lastStatusSent: number | null;
  lastAttemptAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  failures: number;
}

export interface ReceivedRow {
  id: string;
  receivedAt: string;
  service: string | null;
  maHoSo: string | null;
  trangThai: number | null;
  errorCode: number;
  message: string;
  payload: unknown;
}

export interface NewReceived {
  service: string | null;
  maHoSo: string | null;
  trangThai: number | null;
  errorCode: number;
  message: string;
  payload: unknown;
}

const toSync = (r: Raw): SyncRow => ({
  dossierId: r.dossier_id as string,
  lastSeqSent: (r.last_seq_sent as number | null) ?? null,
  lastStatusSent: (r.last_status_sent as number | null) ?? null,
  lastAttemptAt: iso(r.last_attempt_at),
  lastOkAt: iso(r.last_ok_at),
  lastError: (r.last_error as string | null) ?? null,
  failures: Number(r.failures ?? 0),
});

const toReceived = (r: Raw): ReceivedRow => ({
  id: r.id as string,
  receivedAt: iso(r.received_at) as string,
  service: (r.service as string | null) ?? null,
  maHoSo: (r.ma_ho_so as string | null) ?? null,
  trangThai: (r.trang_thai as number | null) ?? null,
  errorCode: Number(r.error_code),
  message: r.message as string,
  payload: r.payload,
});

export function dvcqgRepo(db: Database) {
  const one = async (q: SQL) => (await db.rows<Raw>(q))[0];

  return {
    async scopes(id: string): Promise<DossierScopes | null> {
      const r = await one(sql`select id, code, state, public_status, version, desk_scope, agency_scope from dossiers where id = ${id}`);
      if (!r) return null;
      return {
        id: r.id as string,
        code: (r.code as string | null) ?? null,
        state: r.state as string,
        publicStatus: (r.public_status as number | null) ?? null,
        version: r.version as number,
        deskScope: r.desk_scope as string,
        agencyScope: r.agency_scope as string,
      };
    },

    /** The dossier with the names the message carries (procedure at its pinned version, resolving agency). */
    async dossier(id: string): Promise<DossierRow | null> {
      const r = await one(
        sql`select d.id, d.code, d.state, d.public_status, d.version, d.channel, d.applicant, d.summary,
                   d.submitted_at, d.received_at, d.due_at, d.refused_at,
                   p.code as procedure_code, v.name as procedure_name, v.field as procedure_field, a.name as agency_name
              from dossiers d
              join procedures p on p.id = d.procedure_id
              join procedure_versions v on v.procedure_id = d.procedure_id and v.version = d.procedure_version
              join agencies a on a.id = d.agency_id
             where d.id = ${id}`,
      );
      if (!r) return null;
      return {
        id: r.id as string,
        code: (r.code as string | null) ?? null,
        state: r.state as string,
        publicStatus: (r.public_status as number | null) ?? null,
        version: r.version as number,
        channel: Number(r.channel) as 1 | 2 | 3,
        applicant: (r.applicant as Record<string, unknown>) ?? {},
        summary: (r.summary as string | null) ?? null,
        submittedAt: iso(r.submitted_at),
        receivedAt: iso(r.received_at),
        dueAt: iso(r.due_at),
        refusedAt: iso(r.refused_at),
        procedureCode: r.procedure_code as string,
        procedureName: r.procedure_name as string,
        procedureField: (r.procedure_field as string | null) ?? null,
        agencyName: r.agency_name as string,
      };
    },

    async actions(id: string): Promise<ActionRow[]> {
      const rows = await db.rows<Raw>(
        sql`select seq, action, at, actor_label, note, payload from dossier_actions where dossier_id = ${id} order by seq`,
      );
      return rows.map((r) => ({
        seq: r.seq as number,
        action: r.action as string,
        at: iso(r.at) as string,
        actorLabel: r.actor_label as string,
        note: (r.note as string | null) ?? null,
        payload: (r.payload as Record<string, unknown>) ?? {},
      }));
    },

    async files(id: string): Promise<FileRow[]> {
      const rows = await db.rows<Raw>(
        sql`select df.file_id, df.component_key, df.superseded, df.reused, df.added_seq, f.original_name
              from dossier_files df join files f on f.id = df.file_id
             where df.dossier_id = ${id} order by df.added_seq, df.component_key, f.original_name`,
      );
      return rows.map((r) => ({
        fileId: r.file_id as string,
        componentKey: r.component_key as string,
        name: r.original_name as string,
        superseded: Boolean(r.superseded),
        reused: Boolean(r.reused),
        addedSeq: r.added_seq as number,
      }));
    },

    async syncState(dossierId: string): Promise<SyncRow | null> {
      const r = await one(sql`select * from dvcqg_sync where dossier_id = ${dossierId}`);
      return r ? toSync(r) : null;
    },

    /**
     * Records an accepted push of the state at `seq`; never moves last_seq_sent backwards (a slower
     * worker that sent an older state must not hide a newer one).
     */
    async recordSuccess(dossierId: string, seq: number, status: number, at: Date): Promise<void> {
      await db.rows(
        sql`insert into dvcqg_sync (dossier_id, last_seq_sent, last_status_sent, last_attempt_at, last_ok_at, last_error, failures)
            values (${dossierId}, ${seq}, ${status}, ${at.toISOString()}, ${at.toISOString()}, null, 0)
            on conflict (dossier_id) do update set
              last_seq_sent = greatest(coalesce(dvcqg_sync.last_seq_sent, 0), excluded.last_seq_sent),
              last_status_sent = case when coalesce(dvcqg_sync.last_seq_sent, 0) <= excluded.last_seq_sent
                                      then excluded.last_status_sent else dvcqg_sync.last_status_sent end,
              last_attempt_at = excluded.last_attempt_at,
              last_ok_at = excluded.last_ok_at,
              last_error = null,
              failures = 0`,
      );
    },

    async recordFailure(dossierId: string, error: string, at: Date): Promise<void> {
      await db.rows(
        sql`insert into dvcqg_sync (dossier_id, last_attempt_at, last_error, failures)
            values (${dossierId}, ${at.toISOString()}, ${error}, 1)
            on conflict (dossier_id) do update set
              last_attempt_at = excluded.last_attempt_at,
              last_error = excluded.last_error,
              failures = dvcqg_sync.failures + 1`,
      );
    },

    async insertReceived(rows: NewReceived[]): Promise<void> {
      if (!rows.length) return;
      await db.rows(
        sql`insert into dvcqg_local_received (service, ma_ho_so, trang_thai, error_code, message, payload)
            values ${sql.join(
              rows.map(
                (r) =>
                  sql`(${r.service}, ${r.maHoSo}, ${r.trangThai}, ${r.errorCode}, ${r.message}, ${JSON.stringify(r.payload ?? null)}::jsonb)`,
              ),
              sql`, `,
            )}`,
      );
    },

    /** Newest first; `after` = the (received_at, id) of the last row of the previous page. */
    async listReceived(code: string | undefined, after: [string, string] | null, limit: number): Promise<ReceivedRow[]> {
      const conds: SQL[] = [sql`true`];
      if (code) conds.push(sql`ma_ho_so = ${code}`);
      if (after) conds.push(sql`(received_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      const rows = await db.rows<Raw>(
        sql`select * from dvcqg_local_received where ${sql.join(conds, sql` and `)}
             order by received_at desc, id desc limit ${limit + 1}`,
      );
      return rows.map(toReceived);
    },
  };
}

export type DvcqgRepo = ReturnType<typeof dvcqgRepo>;
