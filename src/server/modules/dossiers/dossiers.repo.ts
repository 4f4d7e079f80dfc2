/**
 * All SQL of dossiers: the derived row, the action log, the files of a dossier, the code counter and
 * the lists. Writes take the caller's transaction.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Orm } from '../../platform/db/database';
import type { DossierState } from './dossiers.schemas';
import type { Applicant, DossierEvent, DossierRecord } from './dossiers.state';

/** The row plus the names lists and pages show (procedure at the pinned version, agencies). */
export interface DossierView extends DossierRecord {
  procedureCode: string;
  procedureName: string;
  agencyName: string;
  agencyCode: string;
  deskAgencyName: string;
}

export interface ActionRow {
  seq: number;
  action: DossierEvent['action'];
  at: string;
  actor_label: string;
  note: string | null;
  payload: Record<string, unknown>;
  file_ids: string[];
}

export interface DossierFileRow {
  file_id: string;
  component_key: string;
  added_seq: number;
  reused: boolean;
  superseded: boolean;
  name: string;
  media_type: string;
  size: number;
}

export interface PublicRow {
  code: string;
  channel: number;
  public_status: number;
  current_step: string;
  submitted_at: Date | string | null;
  received_at: Date | string | null;
  due_at: Date | string | null;
  procedure_code: string;
  procedure_name: string;
  agency_name: string;
}

export interface NewAction {
  dossierId: string;
  seq: number;
  at: Date;
  event: DossierEvent;
  actorAccountId: string | null;
  actorLabel: string;
  note: string | null;
  fileIds: string[];
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

const viewColumns = sql`d.*, p.code as procedure_code, v.name as procedure_name,
  a.name as agency_name, a.code as agency_code, desk.name as desk_agency_name`;
const viewFrom = sql`dossiers d
  join procedures p on p.id = d.procedure_id
  join procedure_versions v on v.procedure_id = d.procedure_id and v.version = d.procedure_version
  join agencies a on a.id = d.agency_id
  join agencies desk on desk.id = d.desk_agency_id`;

type Raw = Record<string, unknown>;

function toView(r: Raw): DossierView {
  return {
    id: r.id as string,
    code: (r.code as string | null) ?? null,
    procedureId: r.procedure_id as string,
    procedureVersion: r.procedure_version as number,
    agencyId: r.agency_id as string,
    agencyScope: r.agency_scope as string,
    deskAgencyId: r.desk_agency_id as string,
    deskScope: r.desk_scope as string,
    state: r.state as DossierState,
    publicStatus: (r.public_status as number | null) ?? null,
    channel: Number(r.channel) as 1 | 2 | 3,
    ownerAccountId: (r.owner_account_id as string | null) ?? null,
    createdByAccountId: (r.created_by_account_id as string | null) ?? null,
    ownerBusinessId: (r.owner_business_id as string | null) ?? null,
    actingAuthorisationId: (r.acting_authorisation_id as string | null) ?? null,
    applicant: r.applicant as Applicant,
    form: r.form as DossierRecord['form'],
    summary: (r.summary as string | null) ?? null,
    resultDelivery: r.result_delivery as DossierRecord['resultDelivery'],
    notifyChannel: (r.notify_channel as DossierRecord['notifyChannel']) ?? null,
    notifyTo: (r.notify_to as string | null) ?? null,
    clock: (r.clock as DossierRecord['clock']) ?? null,
    dueAt: iso(r.due_at),
    processingHours: (r.processing_hours as number | null) ?? null,
    currentStep: r.current_step as string,
    submittedAt: iso(r.submitted_at),
    receivedAt: iso(r.received_at),
    refusedAt: iso(r.refused_at),
    openSupplement: (r.open_supplement as DossierRecord['openSupplement']) ?? null,
    receiptFileId: (r.receipt_file_id as string | null) ?? null,
    workflowId: (r.workflow_id as string | null) ?? null,
    workflowVersion: (r.workflow_version as number | null) ?? null,
    steps: (r.steps as DossierRecord['steps'] | null) ?? [],
    consultations: (r.consultations as DossierRecord['consultations'] | null) ?? [],
    originalDueAt: iso(r.original_due_at),
    apologizedAt: iso(r.apologized_at),
    resultDraftFileId: (r.result_draft_file_id as string | null) ?? null,
    resultFileId: (r.result_file_id as string | null) ?? null,
    resultSha256: (r.result_sha256 as string | null) ?? null,
    resultSignedAt: iso(r.result_signed_at),
    completedAt: iso(r.completed_at),
    returnedAt: iso(r.returned_at),
    returnMethod: (r.return_method as DossierRecord['returnMethod']) ?? null,
    stoppedAt: iso(r.stopped_at),
    withdrawnAt: iso(r.withdrawn_at),
    requestKey: (r.request_key as string | null) ?? null,
    requestHash: (r.request_hash as string | null) ?? null,
    version: r.version as number,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
    procedureCode: r.procedure_code as string,
    procedureName: r.procedure_name as string,
    agencyName: r.agency_name as string,
    agencyCode: r.agency_code as string,
    deskAgencyName: r.desk_agency_name as string,
  };
}

const json = (v: unknown) => sql`${JSON.stringify(v ?? null)}::jsonb`;

/** The columns every write sets from the derived record. */
function rowValues(d: DossierRecord) {
  return {
    code: d.code,
    procedure_id: d.procedureId,
    procedure_version: d.procedureVersion,
    agency_id: d.agencyId,
    agency_scope: d.agencyScope,
    desk_agency_id: d.deskAgencyId,
    desk_scope: d.deskScope,
    state: d.state,
    public_status: d.publicStatus,
    channel: d.channel,
    owner_account_id: d.ownerAccountId,
    created_by_account_id: d.createdByAccountId,
    owner_business_id: d.ownerBusinessId ?? null,
    acting_authorisation_id: d.actingAuthorisationId ?? null,
    applicant: json(d.applicant),
    applicant_name: d.applicant.name,
    applicant_id_last4: d.applicant.idNumber && d.applicant.idNumber.length >= 4 ? d.applicant.idNumber.slice(-4) : null,
    form: json(d.form),
    summary: d.summary,
    result_delivery: d.resultDelivery,
    notify_channel: d.notifyChannel,
    notify_to: d.notifyTo,
    clock: d.clock ? json(d.clock) : null,
    due_at: d.dueAt,
    processing_hours: d.processingHours,
    current_step: d.currentStep,
    submitted_at: d.submittedAt,
    received_at: d.receivedAt,
    refused_at: d.refusedAt,
    open_supplement: d.openSupplement ? json(d.openSupplement) : null,
    receipt_file_id: d.receiptFileId,
    workflow_id: d.workflowId,
    workflow_version: d.workflowVersion,
    steps: json(d.steps),
    consultations: json(d.consultations),
    original_due_at: d.originalDueAt,
    apologized_at: d.apologizedAt,
    result_draft_file_id: d.resultDraftFileId,
    result_file_id: d.resultFileId,
    result_sha256: d.resultSha256,
    result_signed_at: d.resultSignedAt,
    completed_at: d.completedAt,
    returned_at: d.returnedAt,
    return_method: d.returnMethod,
    stopped_at: d.stoppedAt,
    withdrawn_at: d.withdrawnAt,
    request_key: d.requestKey,
    request_hash: d.requestHash,
    version: d.version,
    updated_at: d.updatedAt,
  };
}

const ACTION_COLUMNS = sql.raw('dossier_id, seq, action, at, actor_account_id, actor_label, note, payload, file_ids');
/** One action's row for ACTION_COLUMNS, typed (so it can also be read from a VALUES list in FROM). */
const actionValues = (a: NewAction, payload: SQL = json(a.event.payload)): SQL =>
  sql`(${a.dossierId}::uuid, ${a.seq}::int, ${a.event.action}::text, ${a.at.toISOString()}::timestamptz, ${a.actorAccountId}::uuid,
       ${a.actorLabel}::text, ${a.note}::text, ${payload}, ${sql`${`{${a.fileIds.join(',')}}`}::uuid[]`})`;

/**
 * Stands for the code of a dossier numbered by the statement that inserts it (`insertNew` with a
 * `Numbering`): the record is folded with it, the statement writes the real code in its place.
 */
export const CODE_TAKEN_ON_INSERT = '(mã cấp khi ghi)';

/** The agency's counter for the local day, and what goes before the number in the code. */
export interface Numbering {
  agencyId: string;
  day: string;
  prefix: string;
}

/**
 * The next number of the agency's day counter, as the code: the prefix and at least 4 digits (TT 01/2018 Art. 19),
 * more once the day passes 9999. Locks the counter row until commit, so codes are never repeated nor skipped.
 */
const takeCode = (n: Numbering): SQL =>
  sql`insert into dossier_code_counters (agency_id, day, last) values (${n.agencyId}, ${n.day}, 1)
      on conflict (agency_id, day) do update set last = dossier_code_counters.last + 1
      returning ${n.prefix} || lpad(last::text, greatest(4, length(last::text)), '0') as code`;

const asSql = (v: unknown): SQL => (v && typeof v === 'object' && 'getSQL' in (v as object) ? (v as SQL) : sql`${v}`);

export function dossiersRepo(db: Database) {
  const one = async (q: SQL, tx?: Orm) => (await db.rows<Raw>(q, tx))[0];

  return {
    async insert(tx: Orm, d: DossierRecord): Promise<void> {
      const values = rowValues(d);
      const cols = Object.keys(values);
      await db.rows(
        sql`insert into dossiers (id, created_at, ${sql.raw(cols.join(', '))})
            values (${d.id}, ${d.createdAt}, ${sql.join(Object.values(values).map(asSql), sql`, `)})`,
        tx,
      );
    },

    /**
     * A new dossier in one statement: its row, its first actions and its files (as insert, appendAction
     * and addFiles(…, 'none') one after the other; the foreign keys are checked at the statement's end).
     * With `numbering`, the same statement takes the next code of the agency's day counter and writes it where
     * the record and the submit action hold CODE_TAKEN_ON_INSERT: the counter row stays locked only for the
     * rest of the transaction, not for one more round trip before it. Returns the code so taken (null without
     * numbering). `audit`: an audit statement (platform/audit `auditAppend`) to run in the same statement, given
     * the SQL of the code taken.
     */
    async insertNew(
      tx: Orm,
      d: DossierRecord,
      actions: NewAction[],
      files: { componentKey: string; fileId: string; seq: number; reused?: boolean; edataDocumentId?: string }[],
      numbering?: Numbering,
      audit?: (code: SQL | null) => SQL,
    ): Promise<string | null> {
      const values: Record<string, unknown> = rowValues(d);
      const parts: SQL[] = [];
      const taken = sql`(select code from numbered)`;
      if (numbering) {
        parts.push(sql`numbered as (${takeCode(numbering)})`);
        if (values.code === CODE_TAKEN_ON_INSERT) values.code = taken;
      }
      const cols = Object.keys(values);
      parts.push(sql`row as (insert into dossiers (id, created_at, ${sql.raw(cols.join(', '))})
            values (${d.id}, ${d.createdAt}, ${sql.join(Object.values(values).map(asSql), sql`, `)}) returning id)`);
      const payloadOf = (a: NewAction): SQL | undefined =>
        numbering && a.event.action === 'submit' && a.event.payload.code === CODE_TAKEN_ON_INSERT
          ? sql`jsonb_set(${json(a.event.payload)}, '{code}', to_jsonb(${taken}))`
          : undefined;
      if (actions.length) {
        parts.push(sql`logged as (insert into dossier_actions (${ACTION_COLUMNS})
            values ${sql.join(
              actions.map((a) => actionValues(a, payloadOf(a))),
              sql`, `,
            )} returning seq)`);
      }
      if (files.length) {
        parts.push(sql`attached as (insert into dossier_files (dossier_id, file_id, component_key, added_seq, reused)
            values ${sql.join(
              files.map((f) => sql`(${d.id}, ${f.fileId}, ${f.componentKey}, ${f.seq}, ${f.reused ?? Boolean(f.edataDocumentId)})`),
              sql`, `,
            )}
            on conflict (dossier_id, file_id) do update set component_key = excluded.component_key, superseded = false returning file_id)`);
      }
      // A CTE that only selects runs if the statement reads it: the audit's is counted.
      if (audit) parts.push(sql`audited as (${audit(numbering ? taken : null)})`);
      const [r] = await db.rows<{ code: string | null }>(
        sql`with ${sql.join(parts, sql`, `)} select ${numbering ? taken : sql`null::text`} as code${audit ? sql`, (select count(*) from audited) as audited` : sql``}`,
        tx,
      );
      return r?.code ?? null;
    },

    /**
     * Writes the row a new action derives, if the row is still at `previousVersion`, and then the action itself, in
     * one statement (one round trip per action). The action is inserted only from the updated row: a concurrent
     * action waits on the row, then finds the version moved on, and inserts nothing (false: 409, not a clash of
     * action numbers).
     */
    async update(tx: Orm, d: DossierRecord, previousVersion: number, a: NewAction): Promise<boolean> {
      const sets = Object.entries(rowValues(d)).map(([k, v]) => sql`${sql.raw(k)} = ${asSql(v)}`);
      const rows = await db.rows(
        sql`with updated as (
              update dossiers set ${sql.join(sets, sql`, `)} where id = ${d.id} and version = ${previousVersion} returning id
            )
            insert into dossier_actions (${ACTION_COLUMNS})
            select v.* from (values ${actionValues(a)}) v, updated
            returning seq`,
        tx,
      );
      return rows.length === 1;
    },

    async appendAction(tx: Orm, a: NewAction): Promise<void> {
      await db.rows(sql`insert into dossier_actions (${ACTION_COLUMNS}) values ${actionValues(a)}`, tx);
    },

    /** Rewrites the work-queue rows of a dossier from its open steps (none unless it is in processing). */
    async writeQueue(tx: Orm, d: DossierRecord): Promise<void> {
      const rows =
        d.state !== 'received'
          ? []
          : d.steps.flatMap((s) =>
              s.holders.map(
                (h) =>
                  sql`(${d.id}::uuid, ${s.branch ?? ''}::text, ${s.state}::text, ${s.name}::text, ${h.agencyId}::uuid,
                       ${h.agencyScope}::text, ${`{${h.roles.join(',')}}`}::text[], ${s.assigneeId}::uuid,
                       ${s.enteredAt}::timestamptz, ${s.dueAt}::timestamptz, ${d.dueAt}::timestamptz)`,
              ),
            );
      if (!rows.length) {
        await db.rows(sql`delete from dossier_queue where dossier_id = ${d.id}`, tx);
        return;
      }
      // One round trip: the old rows are deleted first (the insert waits on the count of deleted rows), so the new
      // rows with the same keys do not conflict with them.
      await db.rows(
        sql`with gone as (delete from dossier_queue where dossier_id = ${d.id} returning 1)
            insert into dossier_queue (dossier_id, branch, step, step_name, agency_id, agency_scope, roles, assignee_account_id,
                                       entered_at, step_due_at, due_at)
            select * from (values ${sql.join(rows, sql`, `)}) as v where (select count(*) from gone) >= 0`,
        tx,
      );
    },

    /**
     * Work queue rows of dossiers in processing. `holds` is the actor's (role, scope) grants: a row is
     * theirs when one of its roles is held over its agency (or one of its departments).
     */
    async work(
      f: {
        view: 'assigned' | 'unassigned' | 'all';
        accountId: string;
        holds: { role: string; scope: string }[];
        due?: 'soon' | 'overdue';
        soonUntil: Date;
        procedureId?: string;
        q?: string;
      },
      after: [string, string] | null,
      limit: number,
    ) {
      // A grant over an agency covers its queue rows and those of agencies below it; a grant over one of its
      // departments covers the agency's rows. Written as equality / prefix tests so the scope index serves them.
      const held = f.holds.length
        ? sql.join(
            f.holds.map((h) => {
              const dept = h.scope.indexOf('/d:');
              const where =
                h.scope === ''
                  ? sql`true`
                  : dept >= 0
                    ? sql`q.agency_scope = ${h.scope.slice(0, dept)}`
                    : sql`(q.agency_scope = ${h.scope} or q.agency_scope like ${`${h.scope}/%`})`;
              return sql`(${where} and ${h.role} = any(q.roles))`;
            }),
            sql` or `,
          )
        : sql`false`;
      // Queue rows exist only for dossiers in processing, so the page is chosen on them alone and only its
      // rows are joined to the dossiers.
      const conds: SQL[] = [];
      if (f.view === 'assigned') conds.push(sql`q.assignee_account_id = ${f.accountId}`);
      else if (f.view === 'unassigned') conds.push(sql`q.assignee_account_id is null and (${held})`);
      else conds.push(sql`(q.assignee_account_id = ${f.accountId} or (${held}))`);
      if (f.due === 'overdue') conds.push(sql`q.step_due_at < now()`);
      if (f.due === 'soon') conds.push(sql`q.step_due_at >= now() and q.step_due_at <= ${f.soonUntil.toISOString()}`);
      if (f.procedureId) conds.push(sql`q.dossier_id in (select id from dossiers where procedure_id = ${f.procedureId})`);
      if (f.q) {
        const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conds.push(
          sql`q.dossier_id in (select id from dossiers where code ilike ${like} or vn_fold(applicant_name) like vn_fold(${like}))`,
        );
      }
      // Most urgent first: the step's due date (none last), then the dossier.
      const dueKey = sql`coalesce(q.step_due_at, 'infinity'::timestamptz)`;
      if (after) conds.push(sql`(${dueKey}, q.dossier_id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      const rows = await db.rows<Raw>(
        sql`with page as (
              select q.*, ${dueKey} as due_key from dossier_queue q
               where ${sql.join(conds, sql` and `)}
               order by ${dueKey}, q.dossier_id limit ${limit + 1}
            )
            select ${viewColumns}, q.branch as q_branch, q.step as q_step, q.step_name as q_step_name, q.step_due_at as q_step_due_at,
                   q.entered_at as q_entered_at, q.assignee_account_id as q_assignee, qa.name as q_agency_name
              from page q
              join (${viewFrom}) on d.id = q.dossier_id
              join agencies qa on qa.id = q.agency_id
             order by q.due_key, q.dossier_id`,
      );
      return rows.map((r) => ({
        dossier: toView(r),
        branch: (r.q_branch as string) || null,
        step: r.q_step as string,
        stepName: r.q_step_name as string,
        stepDueAt: iso(r.q_step_due_at),
        enteredAt: iso(r.q_entered_at) as string,
        assigneeId: (r.q_assignee as string | null) ?? null,
        agencyName: r.q_agency_name as string,
      }));
    },

    /** The register (sổ theo dõi hồ sơ): received dossiers in the scopes, filtered, in order of reception. */
    async register(
      scopes: string[] | 'all',
      f: { from?: string; to?: string; agencyId?: string; procedureId?: string; status?: number; channel?: number; timeliness?: string },
      after: [string, string] | null,
      limit: number,
    ): Promise<DossierView[]> {
      const conds: SQL[] = [sql`d.received_at is not null`];
      if (scopes !== 'all') {
        if (!scopes.length) return [];
        conds.push(
          sql`(${sql.join(
            scopes.map(
              (s) => sql`d.desk_scope = ${s} or d.desk_scope like ${`${s}/%`} or d.agency_scope = ${s} or d.agency_scope like ${`${s}/%`}`,
            ),
            sql` or `,
          )})`,
        );
      }
      // Days are Vietnam days (UTC+7).
      if (f.from) conds.push(sql`d.received_at >= (${f.from}::date::timestamp - interval '7 hours')`);
      if (f.to) conds.push(sql`d.received_at < (${f.to}::date::timestamp + interval '17 hours')`);
      if (f.agencyId) conds.push(sql`d.agency_id = ${f.agencyId}`);
      if (f.procedureId) conds.push(sql`d.procedure_id = ${f.procedureId}`);
      if (f.status) conds.push(sql`d.public_status = ${f.status}`);
      if (f.channel) conds.push(sql`d.channel = ${f.channel}`);
      const done = sql`coalesce(d.completed_at, d.returned_at)`;
      switch (f.timeliness) {
        case 'late':
          conds.push(sql`${done} is not null and d.due_at is not null and ${done} > d.due_at`);
          break;
        case 'on_time':
          conds.push(sql`${done} is not null and (d.due_at is null or ${done} <= d.due_at)
                         and (d.due_at is null or (${done} + interval '7 hours')::date = (d.due_at + interval '7 hours')::date)`);
          break;
        case 'early':
          conds.push(
            sql`${done} is not null and d.due_at is not null and (${done} + interval '7 hours')::date < (d.due_at + interval '7 hours')::date`,
          );
          break;
        case 'pending':
          conds.push(sql`${done} is null and d.state in ('received', 'supplement_requested') and (d.due_at is null or d.due_at >= now())`);
          break;
        case 'pending_overdue':
          conds.push(sql`${done} is null and d.state = 'received' and d.due_at < now()`);
          break;
      }
      if (after) conds.push(sql`(d.received_at, d.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      const rows = await db.rows<Raw>(
        sql`select ${viewColumns} from ${viewFrom} where ${sql.join(conds, sql` and `)}
             order by d.received_at, d.id limit ${limit + 1}`,
      );
      return rows.map(toView);
    },

    /** The e-result issued with this hash or for this code (public verification). */
    async issuedResult(by: { sha256?: string; code?: string }) {
      const where = by.sha256 ? sql`d.result_sha256 = ${by.sha256}` : sql`d.code = ${by.code ?? ''} and d.result_sha256 is not null`;
      const [r] = await db.rows<{
        code: string;
        procedure_name: string;
        agency_name: string;
        result_signed_at: string;
        result_sha256: string;
      }>(
        sql`select d.code, v.name as procedure_name, a.name as agency_name, d.result_signed_at, d.result_sha256
              from dossiers d
              join procedure_versions v on v.procedure_id = d.procedure_id and v.version = d.procedure_version
              join agencies a on a.id = d.agency_id
             where ${where}`,
      );
      return r ?? null;
    },

    /** Takes the next code of the agency's sequence for the day (locks the counter row until commit). */
    async nextCode(tx: Orm, numbering: Numbering): Promise<string> {
      const [row] = await db.rows<{ code: string }>(takeCode(numbering), tx);
      return (row as { code: string }).code;
    },

    async byId(id: string, tx?: Orm, lock = false): Promise<DossierView | null> {
      const r = await one(sql`select ${viewColumns} from ${viewFrom} where d.id = ${id} ${lock ? sql`for update of d` : sql``}`, tx);
      return r ? toView(r) : null;
    },

    /** The dossier an account created or submitted with this Idempotency-Key, if any (with the creating request's hash). */
    async byRequestKey(accountId: string, key: string): Promise<{ id: string; requestHash: string | null } | null> {
      const r = await one(sql`select id, request_hash from dossiers where created_by_account_id = ${accountId} and request_key = ${key}`);
      return r ? { id: r.id as string, requestHash: (r.request_hash as string | null) ?? null } : null;
    },

    async byCode(code: string): Promise<DossierView | null> {
      const r = await one(sql`select ${viewColumns} from ${viewFrom} where d.code = ${code}`);
      return r ? toView(r) : null;
    },

    /** What public tracking shows, by code: one prepared statement, public columns only (the hot path). */
    async publicByCode(code: string): Promise<PublicRow | null> {
      const [r] = await db.prepared<PublicRow>(
        'dossier_public_by_code',
        `select d.code, d.channel, d.public_status, d.current_step, d.submitted_at, d.received_at, d.due_at,
                p.code as procedure_code, v.name as procedure_name, a.name as agency_name
           from dossiers d
           join procedures p on p.id = d.procedure_id
           join procedure_versions v on v.procedure_id = d.procedure_id and v.version = d.procedure_version
           join agencies a on a.id = d.agency_id
          where d.code = $1 and d.public_status is not null`,
        [code],
      );
      return r ?? null;
    },

    /** The action log (as actions() reads it) and the files of a dossier, in one statement: its detail shows both. */
    async actionsAndFiles(id: string): Promise<{ actions: ActionRow[]; files: DossierFileRow[] }> {
      const [r] = await db.rows<{ actions: ActionRow[]; files: DossierFileRow[] }>(
        sql`select (select coalesce(json_agg(json_build_object('seq', a.seq, 'action', a.action, 'at', a.at, 'actor_label', a.actor_label,
                                                      'note', a.note, 'payload', a.payload, 'file_ids', a.file_ids) order by a.seq), '[]')
                      from dossier_actions a where a.dossier_id = ${id}) as actions,
                   (select coalesce(json_agg(json_build_object('file_id', df.file_id, 'component_key', df.component_key,
                                                      'added_seq', df.added_seq, 'reused', df.reused, 'superseded', df.superseded,
                                                      'name', f.original_name, 'media_type', f.media_type, 'size', f.size::int)
                                            order by df.added_seq, df.component_key, f.original_name), '[]')
                      from dossier_files df join files f on f.id = df.file_id where df.dossier_id = ${id}) as files`,
      );
      return { actions: r?.actions ?? [], files: r?.files ?? [] };
    },

    actions(id: string): Promise<ActionRow[]> {
      return db.rows<ActionRow>(
        sql`select seq, action, at, actor_label, note, payload, file_ids from dossier_actions where dossier_id = ${id} order by seq`,
      );
    },

    async hasFile(id: string, fileId: string): Promise<boolean> {
      return (await db.rows(sql`select 1 from dossier_files where dossier_id = ${id} and file_id = ${fileId}`)).length === 1;
    },

    /** Whether the file is the dossier's and was taken from the e-data store; null when it is not the dossier's. */
    async fileReused(id: string, fileId: string): Promise<boolean | null> {
      const [row] = await db.rows<{ reused: boolean }>(
        sql`select reused from dossier_files where dossier_id = ${id} and file_id = ${fileId}`,
      );
      return row ? row.reused : null;
    },

    /** Adds files; with `replace`, earlier files of the same components are marked superseded first. */
    async addFiles(
      tx: Orm,
      dossierId: string,
      seq: number,
      files: { componentKey: string; fileId: string; reused?: boolean; edataDocumentId?: string }[],
      replace: 'none' | 'components' | 'all',
    ): Promise<void> {
      if (replace === 'all') {
        // Drafts: the list sent is the whole list.
        await db.rows(sql`delete from dossier_files where dossier_id = ${dossierId} and component_key <> '_issued'`, tx);
      } else if (replace === 'components' && files.length) {
        const keys = [...new Set(files.map((f) => f.componentKey))];
        await db.rows(
          sql`update dossier_files set superseded = true
               where dossier_id = ${dossierId} and component_key in (${sql.join(
                 keys.map((k) => sql`${k}`),
                 sql`, `,
               )})`,
          tx,
        );
      }
      if (!files.length) return;
      await db.rows(
        sql`insert into dossier_files (dossier_id, file_id, component_key, added_seq, reused)
            values ${sql.join(
              files.map((f) => sql`(${dossierId}, ${f.fileId}, ${f.componentKey}, ${seq}, ${f.reused ?? Boolean(f.edataDocumentId)})`),
              sql`, `,
            )}
            on conflict (dossier_id, file_id) do update set component_key = excluded.component_key, superseded = false`,
        tx,
      );
    },

    /** The current (not superseded) component keys that have at least one file. */
    async componentsWithFiles(id: string, tx?: Orm): Promise<Set<string>> {
      const rows = await db.rows<{ component_key: string }>(
        sql`select distinct component_key from dossier_files where dossier_id = ${id} and not superseded`,
        tx,
      );
      return new Set(rows.map((r) => r.component_key));
    },

    /**
     * The applicant's dossiers: owned, and (from parties) those of the businesses represented and of the
     * citizens who authorised the account (for the procedures authorised; none listed = all).
     */
    async mine(
      owner: string,
      state: DossierState | undefined,
      after: [string, string] | null,
      limit: number,
      reach: { businessIds: string[]; grantors: { accountId: string; procedureCodes: string[] }[] } = { businessIds: [], grantors: [] },
    ): Promise<DossierView[]> {
      const others: SQL[] = [];
      if (reach.businessIds.length) {
        others.push(
          sql`d.owner_business_id in (${sql.join(
            reach.businessIds.map((b) => sql`${b}::uuid`),
            sql`, `,
          )})`,
        );
      }
      for (const g of reach.grantors) {
        const codes = g.procedureCodes.length
          ? sql` and p.code in (${sql.join(
              g.procedureCodes.map((c) => sql`${c}`),
              sql`, `,
            )})`
          : sql``;
        others.push(sql`(d.owner_account_id = ${g.accountId}::uuid${codes})`);
      }
      const whose = others.length
        ? sql`(d.owner_account_id = ${owner} or ${sql.join(others, sql` or `)})`
        : sql`d.owner_account_id = ${owner}`;
      const rows = await db.rows<Raw>(
        sql`select ${viewColumns} from ${viewFrom}
             where ${whose}
               ${state ? sql`and d.state = ${state}` : sql``}
               ${after ? sql`and (d.updated_at, d.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
             order by d.updated_at desc, d.id desc limit ${limit + 1}`,
      );
      return rows.map(toView);
    },

    async office(
      scopes: string[] | 'all',
      f: { queue: 'reception' | 'all'; state?: DossierState; channel?: number; procedureId?: string; q?: string },
      after: [string, string] | null,
      limit: number,
    ): Promise<DossierView[]> {
      const conds: SQL[] = [sql`d.state <> 'draft'`];
      if (scopes !== 'all') {
        if (!scopes.length) return [];
        conds.push(
          sql`(${sql.join(
            scopes.map((s) => sql`d.desk_scope = ${s} or d.desk_scope like ${`${s}/%`}`),
            sql` or `,
          )})`,
        );
      }
      if (f.queue === 'reception') conds.push(sql`d.state = 'submitted'`);
      if (f.state) conds.push(sql`d.state = ${f.state}`);
      if (f.channel) conds.push(sql`d.channel = ${f.channel}`);
      if (f.procedureId) conds.push(sql`d.procedure_id = ${f.procedureId}`);
      if (f.q) {
        const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conds.push(sql`(d.code ilike ${like} or vn_fold(d.applicant_name) like vn_fold(${like}))`);
      }
      // Queue order: who has waited longest first (submitted_at), then id for a stable cursor.
      if (after) conds.push(sql`(d.submitted_at, d.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      const rows = await db.rows<Raw>(
        sql`select ${viewColumns} from ${viewFrom} where ${sql.join(conds, sql` and `)}
             order by d.submitted_at, d.id limit ${limit + 1}`,
      );
      return rows.map(toView);
    },
  };
}

export type DossiersRepo = ReturnType<typeof dossiersRepo>;
