/**
 * All SQL of the national portal sync: the per-dossier sync state, the pull's watermark and rejects,
 * what the local portal received, filed and served, and read-only views of a dossier (its scopes, and
 * what the sync message is built from).
 *
 * The dossier reads are read-only queries on the dossiers tables: the dossiers module exposes no read
 * for system callers yet; when it does, these two functions should call it instead.
 */
import { randomUUID } from 'node:crypto';
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

export interface PullState {
  since: string | null;
  codesAtSince: string[];
  lastRunAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
}

export interface RejectRow {
  id: string;
  maHoSo: string;
  maTthc: string | null;
  reason: string;
  record: unknown;
  firstSeenAt: string;
  lastSeenAt: string;
  seen: number;
}

export interface FiledRow {
  maHoSo: string;
  filedAt: string;
  record: Record<string, unknown>;
}

export interface ServedRow {
  id: string;
  servedAt: string;
  endpoint: 'token' | 'list' | 'file';
  errorCode: number;
  message: string;
  detail: unknown;
}

const toReject = (r: Raw): RejectRow => ({
  id: r.id as string,
  maHoSo: r.ma_ho_so as string,
  maTthc: (r.ma_tthc as string | null) ?? null,
  reason: r.reason as string,
  record: r.record,
  firstSeenAt: iso(r.first_seen_at) as string,
  lastSeenAt: iso(r.last_seen_at) as string,
  seen: Number(r.seen),
});

const toServed = (r: Raw): ServedRow => ({
  id: r.id as string,
  servedAt: iso(r.served_at) as string,
  endpoint: r.endpoint as ServedRow['endpoint'],
  errorCode: Number(r.error_code),
  message: r.message as string,
  detail: r.detail,
});

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

    /**
     * What the sync messages of several dossiers are built from, in one statement (so the row, its log and
     * its files are read in one snapshot): each dossier with its actions and files up to its version.
     */
    async sources(ids: string[]): Promise<(DossierRow & { actions: ActionRow[]; files: FileRow[] })[]> {
      if (!ids.length) return [];
      const rows = await db.rows<Raw>(
        sql`select d.id, d.code, d.state, d.public_status, d.version, d.channel, d.applicant, d.summary,
                   d.submitted_at, d.received_at, d.due_at, d.refused_at,
                   p.code as procedure_code, v.name as procedure_name, v.field as procedure_field, a.name as agency_name,
                   (select coalesce(json_agg(json_build_object('seq', x.seq, 'action', x.action, 'at', x.at, 'actor_label', x.actor_label,
                                                               'note', x.note, 'payload', x.payload) order by x.seq), '[]')
                      from dossier_actions x where x.dossier_id = d.id and x.seq <= d.version) as actions,
                   (select coalesce(json_agg(json_build_object('file_id', df.file_id, 'component_key', df.component_key,
                                                               'superseded', df.superseded, 'reused', df.reused, 'added_seq', df.added_seq,
                                                               'original_name', f.original_name)
                                             order by df.added_seq, df.component_key, f.original_name), '[]')
                      from dossier_files df join files f on f.id = df.file_id
                     where df.dossier_id = d.id and df.added_seq <= d.version) as files
              from dossiers d
              join procedures p on p.id = d.procedure_id
              join procedure_versions v on v.procedure_id = d.procedure_id and v.version = d.procedure_version
              join agencies a on a.id = d.agency_id
             where d.id in (${sql.join(
               ids.map((id) => sql`${id}::uuid`),
               sql`, `,
             )})`,
      );
      const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Raw[];
      return rows.map((r) => ({
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
        actions: json(r.actions).map((a) => ({
          seq: Number(a.seq),
          action: a.action as string,
          at: iso(a.at) as string,
          actorLabel: a.actor_label as string,
          note: (a.note as string | null) ?? null,
          payload: (a.payload as Record<string, unknown>) ?? {},
        })),
        files: json(r.files).map((f) => ({
          fileId: f.file_id as string,
          componentKey: f.component_key as string,
          name: f.original_name as string,
          superseded: Boolean(f.superseded),
          reused: Boolean(f.reused),
          addedSeq: Number(f.added_seq),
        })),
      }));
    },

    /** The sync states of several dossiers (those that have one). */
    async syncStates(dossierIds: string[]): Promise<Map<string, SyncRow>> {
      if (!dossierIds.length) return new Map();
      const rows = await db.rows<Raw>(
        sql`select * from dvcqg_sync where dossier_id in (${sql.join(
          dossierIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
      return new Map(rows.map((r) => [r.dossier_id as string, toSync(r)]));
    },

    /**
     * Accepted pushes (each dossier at most once) in one statement; never moves last_seq_sent backwards (a slower
     * worker that sent an older state must not hide a newer one).
     */
    async recordSuccesses(sent: { dossierId: string; seq: number; status: number }[], at: Date): Promise<void> {
      if (!sent.length) return;
      await db.rows(
        sql`insert into dvcqg_sync (dossier_id, last_seq_sent, last_status_sent, last_attempt_at, last_ok_at, last_error, failures)
            select x.id, x.seq, x.status, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz, null, 0
              from (values ${sql.join(
                sent.map((r) => sql`(${r.dossierId}::uuid, ${r.seq}::int, ${r.status}::smallint)`),
                sql`, `,
              )}) as x (id, seq, status)
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

    /** Refused or failed pushes (each dossier at most once) in one statement. */
    async recordFailures(failed: { dossierId: string; error: string }[], at: Date): Promise<void> {
      if (!failed.length) return;
      await db.rows(
        sql`insert into dvcqg_sync (dossier_id, last_attempt_at, last_error, failures)
            select x.id, ${at.toISOString()}::timestamptz, x.error, 1
              from (values ${sql.join(
                failed.map((r) => sql`(${r.dossierId}::uuid, ${r.error}::text)`),
                sql`, `,
              )}) as x (id, error)
            on conflict (dossier_id) do update set
              last_attempt_at = excluded.last_attempt_at,
              last_error = excluded.last_error,
              failures = dvcqg_sync.failures + 1`,
      );
    },

    async syncState(dossierId: string): Promise<SyncRow | null> {
      const r = await one(sql`select * from dvcqg_sync where dossier_id = ${dossierId}`);
      return r ? toSync(r) : null;
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

    // ---------------------------------------------------------------------------------------------
    // Pull
    // ---------------------------------------------------------------------------------------------

    async pullState(): Promise<PullState> {
      const r = await one(sql`select * from dvcqg_pull_state where id = 1`);
      return {
        since: iso(r?.since),
        codesAtSince: (r?.codes_at_since as string[] | undefined) ?? [],
        lastRunAt: iso(r?.last_run_at),
        lastOkAt: iso(r?.last_ok_at),
        lastError: (r?.last_error as string | null | undefined) ?? null,
      };
    },

    /** Moves the watermark (never backwards: a slower concurrent run must not undo a newer one). */
    async saveWatermark(since: string, codes: string[]): Promise<void> {
      const codesSql = codes.length
        ? sql`array[${sql.join(
            codes.map((c) => sql`${c}`),
            sql`, `,
          )}]::text[]`
        : sql`'{}'::text[]`;
      await db.rows(
        sql`insert into dvcqg_pull_state (id, since, codes_at_since) values (1, ${since}::timestamptz, ${codesSql})
            on conflict (id) do update set
              codes_at_since = case when dvcqg_pull_state.since = excluded.since
                                    then array(select distinct unnest(dvcqg_pull_state.codes_at_since || excluded.codes_at_since))
                                    when dvcqg_pull_state.since is null or dvcqg_pull_state.since < excluded.since
                                    then excluded.codes_at_since else dvcqg_pull_state.codes_at_since end,
              since = greatest(dvcqg_pull_state.since, excluded.since)`,
      );
    },

    async recordPullRun(at: Date, outcome: { error: string | null; created: number; existing: number; rejected: number }): Promise<void> {
      const ok = outcome.error === null;
      await db.rows(
        sql`insert into dvcqg_pull_state (id, last_run_at, last_ok_at, last_error, last_created, last_existing, last_rejected)
            values (1, ${at.toISOString()}, ${ok ? at.toISOString() : null}, ${outcome.error}, ${outcome.created}, ${outcome.existing}, ${outcome.rejected})
            on conflict (id) do update set
              last_run_at = excluded.last_run_at,
              last_ok_at = coalesce(excluded.last_ok_at, dvcqg_pull_state.last_ok_at),
              last_error = excluded.last_error,
              last_created = excluded.last_created,
              last_existing = excluded.last_existing,
              last_rejected = excluded.last_rejected`,
      );
    },

    async upsertReject(r: { maHoSo: string; maTthc: string | null; reason: string; record: unknown }): Promise<void> {
      await db.rows(
        sql`insert into dvcqg_pull_rejects (ma_ho_so, ma_tthc, reason, record)
            values (${r.maHoSo}, ${r.maTthc}, ${r.reason}, ${JSON.stringify(r.record ?? null)}::jsonb)
            on conflict (ma_ho_so) do update set
              ma_tthc = excluded.ma_tthc, reason = excluded.reason, record = excluded.record,
              last_seen_at = now(), seen = dvcqg_pull_rejects.seen + 1`,
      );
    },

    /** A record imported after all (the catalogue was completed and the portal sent it again): no longer a reject. */
    async clearReject(maHoSo: string): Promise<void> {
      await db.rows(sql`delete from dvcqg_pull_rejects where ma_ho_so = ${maHoSo}`);
    },

    /** Newest first; `after` = the (last_seen_at, id) of the last row of the previous page. */
    async listRejects(after: [string, string] | null, limit: number): Promise<RejectRow[]> {
      const cond = after ? sql`(last_seen_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql`true`;
      const rows = await db.rows<Raw>(
        sql`select * from dvcqg_pull_rejects where ${cond} order by last_seen_at desc, id desc limit ${limit + 1}`,
      );
      return rows.map(toReject);
    },

    // ---------------------------------------------------------------------------------------------
    // Local portal: sessions, filed dossiers and their files, what it served
    // ---------------------------------------------------------------------------------------------

    async insertSession(tokenSha256: string, expiresAt: Date): Promise<void> {
      await db.rows(sql`delete from dvcqg_local_sessions where expires_at < now() - interval '1 day'`);
      await db.rows(sql`insert into dvcqg_local_sessions (token_sha256, expires_at) values (${tokenSha256}, ${expiresAt.toISOString()})`);
    },

    async sessionValid(tokenSha256: string): Promise<boolean> {
      const r = await one(sql`select 1 as ok from dvcqg_local_sessions where token_sha256 = ${tokenSha256} and expires_at > now()`);
      return r !== undefined;
    },

    /** Files a dossier on the local portal with its files (bytes kept in the table); the files' ids, in order. */
    async insertFiled(
      filed: { maHoSo: string; filedAt: Date; createdBy: string },
      files: { name: string; mediaType: string; bytes: Buffer }[],
      record: (fileIds: string[]) => Record<string, unknown>,
    ): Promise<FiledRow> {
      return db.orm.transaction(async (tx) => {
        const ids = files.map(() => randomUUID());
        const body = record(ids);
        await db.rows(
          sql`insert into dvcqg_local_filed (ma_ho_so, filed_at, record, created_by)
              values (${filed.maHoSo}, ${filed.filedAt.toISOString()}, ${JSON.stringify(body)}::jsonb, ${filed.createdBy})`,
          tx,
        );
        for (const [i, f] of files.entries()) {
          await db.rows(
            sql`insert into dvcqg_local_files (id, ma_ho_so, name, media_type, content)
                values (${ids[i]}, ${filed.maHoSo}, ${f.name}, ${f.mediaType}, decode(${f.bytes.toString('base64')}, 'base64'))`,
            tx,
          );
        }
        return { maHoSo: filed.maHoSo, filedAt: filed.filedAt.toISOString(), record: body };
      });
    },

    async filedCount(day: string): Promise<number> {
      const r = await one(sql`select count(*)::int as n from dvcqg_local_filed where ma_ho_so like ${`%-${day}-%`}`);
      return Number(r?.n ?? 0);
    },

    /** Filed since `since` (inclusive), oldest first, one page; with the total. */
    async listFiled(since: Date | null, page: number, size: number): Promise<{ total: number; rows: FiledRow[] }> {
      const cond = since ? sql`filed_at >= ${since.toISOString()}::timestamptz` : sql`true`;
      const total = await one(sql`select count(*)::int as n from dvcqg_local_filed where ${cond}`);
      const rows = await db.rows<Raw>(
        sql`select ma_ho_so, filed_at, record from dvcqg_local_filed where ${cond}
             order by filed_at, ma_ho_so offset ${(page - 1) * size} limit ${size}`,
      );
      return {
        total: Number(total?.n ?? 0),
        rows: rows.map((r) => ({
          maHoSo: r.ma_ho_so as string,
          filedAt: iso(r.filed_at) as string,
          record: r.record as Record<string, unknown>,
        })),
      };
    },

    async localFile(id: string): Promise<{ name: string; mediaType: string; bytes: Buffer; maHoSo: string } | null> {
      const r = await one(sql`select ma_ho_so, name, media_type, encode(content, 'base64') as b64 from dvcqg_local_files where id = ${id}`);
      if (!r) return null;
      return {
        maHoSo: r.ma_ho_so as string,
        name: r.name as string,
        mediaType: r.media_type as string,
        bytes: Buffer.from(r.b64 as string, 'base64'),
      };
    },

    async insertServed(r: { endpoint: ServedRow['endpoint']; errorCode: number; message: string; detail: unknown }): Promise<void> {
      await db.rows(
        sql`insert into dvcqg_local_served (endpoint, error_code, message, detail)
            values (${r.endpoint}, ${r.errorCode}, ${r.message}, ${JSON.stringify(r.detail ?? {})}::jsonb)`,
      );
    },

    /** Newest first; `after` = the (served_at, id) of the last row of the previous page. */
    async listServed(endpoint: string | undefined, after: [string, string] | null, limit: number): Promise<ServedRow[]> {
      const conds: SQL[] = [sql`true`];
      if (endpoint) conds.push(sql`endpoint = ${endpoint}`);
      if (after) conds.push(sql`(served_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      const rows = await db.rows<Raw>(
        sql`select * from dvcqg_local_served where ${sql.join(conds, sql` and `)}
             order by served_at desc, id desc limit ${limit + 1}`,
      );
      return rows.map(toServed);
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
