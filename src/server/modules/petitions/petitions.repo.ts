/**
 * All SQL of petitions: the settings row, the PAKN register (sequential numbers per agency and year), the
 * petitions with their event log, the staff queue, the public list of published answers and the statistics.
 */
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { RequestContext } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import type { Channel, PetitionState } from './petitions.rules';

export interface Petitioner {
  name: string;
  address?: string;
  phone?: string;
  email?: string;
  organization?: string;
}

export interface PetitionRow {
  id: string;
  agency_id: string;
  agency_name: string;
  agency_scope: string;
  register_year: number;
  register_number: number;
  category: number;
  regulation: string;
  content: string;
  proposal: string | null;
  public_summary: string | null;
  attachment_ids: string[];
  channel: Channel;
  petitioner_account_id: string | null;
  petitioner: Petitioner;
  state: PetitionState;
  received_at: string | Date;
  received_by: string | null;
  forward_due_at: string | Date;
  classified_at: string | Date | null;
  reject_reason: string | null;
  forwarded_at: string | Date | null;
  forwarded_late: boolean | null;
  forward_agency_id: string | null;
  forward_agency_name: string | null;
  forwarded_to_id: string | null;
  forwarded_from_id: string | null;
  handler_account_id: string | null;
  handler_name: string | null;
  handle_due_at: string | Date | null;
  extended: boolean;
  answer_text: string | null;
  answer_file_id: string | null;
  answered_at: string | Date | null;
  answered_late: boolean | null;
  closed_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
}

export interface EventRow {
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_kind: string;
  actor_name: string | null;
  note: string | null;
  visible: boolean;
  details: Record<string, unknown>;
  created_at: string | Date;
}

export interface NewPetition {
  id: string;
  agencyId: string;
  agencyScope: string;
  category: number;
  regulation: string;
  content: string;
  proposal: string | null;
  attachmentIds: string[];
  channel: Channel;
  petitionerAccountId: string | null;
  petitioner: Petitioner;
  receivedAt: Date;
  receivedBy: string | null;
  forwardDueAt: Date;
  forwardedFromId: string | null;
  requestKey: string | null;
  requestScope: string | null;
}

export interface StatsRow {
  agency_id: string;
  agency_name: string;
  received: number;
  rejected: number;
  forwarded: number;
  forwarded_on_time: number;
  in_competence: number;
  answered: number;
  answered_on_time: number;
  protracted: number;
  open: number;
}

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/** Rows whose `col` (an agency path) lies within one of the scopes. */
export function inScopes(col: SQL, scopes: 'all' | string[]): SQL {
  if (scopes === 'all') return sql`true`;
  if (!scopes.length) return sql`false`;
  return sql`(${sql.join(
    scopes.map((s) => sql`(${col} = ${s} or ${col} like ${`${s.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`})`),
    sql` or `,
  )})`;
}

const select = sql`
  select p.*, a.name as agency_name, coalesce(s.full_name, h.display_name) as handler_name
    from petitions p
    join agencies a on a.id = p.agency_id
    left join accounts h on h.id = p.handler_account_id
    left join staff s on s.account_id = p.handler_account_id`;

export function petitionsRepo(db: Database) {
  return {
    async settings(tx?: Orm) {
      const [s] = await db.rows<{ handle_days: number; forward_days: number }>(
        sql`select handle_days, forward_days from petition_settings`,
        tx,
      );
      return { handleDays: s?.handle_days ?? 10, forwardDays: s?.forward_days ?? 5 };
    },

    async updateSettings(tx: Orm, accountId: string | null, s: { handleDays: number; forwardDays: number }) {
      await db.rows(
        sql`update petition_settings set handle_days = ${s.handleDays}, forward_days = ${s.forwardDays},
               updated_at = now(), updated_by = ${accountId}`,
        tx,
      );
    },

    /** The next number of the agency's PAKN register for the year (row-locked upsert: sequential, never twice). */
    async nextRegisterNumber(tx: Orm, agencyId: string, year: number): Promise<number> {
      const [r] = await db.rows<{ last_number: number }>(
        sql`insert into petition_registers (agency_id, year, last_number) values (${agencyId}, ${year}, 1)
            on conflict (agency_id, year) do update set last_number = petition_registers.last_number + 1
            returning last_number`,
        tx,
      );
      return (r as { last_number: number }).last_number;
    },

    async insert(tx: Orm, p: NewPetition, year: number, number: number) {
      await db.rows(
        sql`insert into petitions (id, agency_id, agency_scope, register_year, register_number, category, regulation, content, proposal,
              attachment_ids, channel, petitioner_account_id, petitioner, state, received_at, received_by, forward_due_at,
              forwarded_from_id, request_key, request_scope)
            values (${p.id}, ${p.agencyId}, ${p.agencyScope}, ${year}, ${number}, ${p.category}, ${p.regulation}, ${p.content},
              ${p.proposal}, ${uuidArray(p.attachmentIds)}::uuid[], ${p.channel}, ${p.petitionerAccountId},
              ${JSON.stringify(p.petitioner)}::jsonb, 'received', ${p.receivedAt.toISOString()}, ${p.receivedBy},
              ${p.forwardDueAt.toISOString()}, ${p.forwardedFromId}, ${p.requestKey}, ${p.requestScope})`,
        tx,
      );
    },

    async byRequestKey(scope: string, key: string): Promise<string | null> {
      const [r] = await db.rows<{ id: string }>(sql`select id from petitions where request_scope = ${scope} and request_key = ${key}`);
      return r?.id ?? null;
    },

    async load(id: string, tx?: Orm, lock = false): Promise<PetitionRow | null> {
      const [r] = await db.rows<PetitionRow>(sql`${select} where p.id = ${id} ${lock ? sql`for update of p` : sql``}`, tx);
      return r ?? null;
    },

    async update(tx: Orm, id: string, set: SQL[]) {
      await db.rows(sql`update petitions set ${sql.join([...set, sql`updated_at = now()`], sql`, `)} where id = ${id}`, tx);
    },

    async addEvent(
      tx: Orm,
      ctx: RequestContext,
      petitionId: string,
      e: { action: string; from: string | null; to: string; note?: string | null; visible?: boolean; details?: object },
    ) {
      await db.rows(
        sql`insert into petition_events (id, petition_id, seq, action, from_state, to_state, actor_id, actor_kind, note, visible, details)
            values (${randomUUID()}, ${petitionId},
                    (select coalesce(max(seq), 0) + 1 from petition_events where petition_id = ${petitionId}),
                    ${e.action}, ${e.from}, ${e.to}, ${ctx.actor.accountId}, ${ctx.actor.kind}, ${e.note ?? null},
                    ${e.visible ?? true}, ${JSON.stringify(e.details ?? {})}::jsonb)`,
        tx,
      );
    },

    events(petitionId: string): Promise<EventRow[]> {
      return db.rows<EventRow>(
        sql`select e.seq, e.action, e.from_state, e.to_state, e.actor_kind, e.note, e.visible, e.details, e.created_at,
                   case when e.actor_kind = 'staff' then coalesce(s.full_name, acc.display_name) end as actor_name
              from petition_events e
              left join accounts acc on acc.id = e.actor_id
              left join staff s on s.account_id = e.actor_id
             where e.petition_id = ${petitionId}
             order by e.seq`,
      );
    },

    async account(accountId: string): Promise<{ display_name: string; email: string | null; phone: string | null } | null> {
      const [a] = await db.rows<{ display_name: string; email: string | null; phone: string | null }>(
        sql`select display_name, email, phone from accounts where id = ${accountId}`,
      );
      return a ?? null;
    },

    /** Of the given file ids, those uploaded by the account. */
    async filesOwnedBy(ids: string[], accountId: string | null): Promise<string[]> {
      if (!ids.length || !accountId) return [];
      const rows = await db.rows<{ id: string }>(
        sql`select id from files where id = any(${uuidArray(ids)}::uuid[]) and uploaded_by = ${accountId}`,
      );
      return rows.map((r) => r.id);
    },

    /** Active agencies (optionally only within scopes), by name: the receiving agencies to choose from. */
    agencies(scopes: 'all' | string[] = 'all') {
      return db.rows<{ id: string; code: string; name: string }>(
        sql`select id, code, name from agencies where active and ${inScopes(sql`path`, scopes)} order by code`,
      );
    },

    mine(accountId: string) {
      return db.rows<PetitionRow>(sql`${select} where p.petitioner_account_id = ${accountId} order by p.created_at desc limit 200`);
    },

    async queue(
      scopes: 'all' | string[],
      handlerAccountId: string | null,
      q: { state?: string; overdue?: boolean; agencyId?: string; cursor?: { at: string; id: string }; limit: number },
    ) {
      const conds: SQL[] = [
        handlerAccountId
          ? sql`(${inScopes(sql`p.agency_scope`, scopes)} or p.handler_account_id = ${handlerAccountId})`
          : inScopes(sql`p.agency_scope`, scopes),
      ];
      if (q.state) conds.push(sql`p.state = ${q.state}`);
      if (q.agencyId) conds.push(sql`p.agency_id = ${q.agencyId}`);
      if (q.overdue) {
        conds.push(
          sql`((p.state = 'received' and p.forward_due_at < now()) or (p.state in ('accepted', 'in_progress') and p.handle_due_at < now()))`,
        );
      }
      if (q.cursor) conds.push(sql`(p.received_at, p.id) < (${q.cursor.at}::timestamptz, ${q.cursor.id}::uuid)`);
      return db.rows<PetitionRow>(
        sql`${select} where ${sql.join(conds, sql` and `)} order by p.received_at desc, p.id desc limit ${q.limit + 1}`,
      );
    },

    async publicList(q: { q?: string; category?: number; agencyId?: string; cursor?: { at: string; id: string }; limit: number }) {
      const conds: SQL[] = [sql`p.answered_at is not null and p.state in ('answered', 'closed')`];
      if (q.category) conds.push(sql`p.category = ${q.category}`);
      if (q.agencyId) conds.push(sql`p.agency_id = ${q.agencyId}`);
      if (q.q) {
        // Accent- and case-insensitive search in the regulation, the public summary and the answer.
        conds.push(
          sql`vn_fold(p.regulation || ' ' || coalesce(p.public_summary, '') || ' ' || coalesce(p.answer_text, '')) like ${`%${q.q}%`}`,
        );
      }
      if (q.cursor) conds.push(sql`(p.answered_at, p.id) < (${q.cursor.at}::timestamptz, ${q.cursor.id}::uuid)`);
      return db.rows<PetitionRow>(
        sql`${select} where ${sql.join(conds, sql` and `)} order by p.answered_at desc, p.id desc limit ${q.limit + 1}`,
      );
    },

    async fold(text: string): Promise<string> {
      const [r] = await db.rows<{ f: string }>(sql`select vn_fold(${text}) as f`);
      return r?.f ?? text.toLowerCase();
    },

    /**
     * Per receiving agency, over petitions received in [from, to) (instants): how many were rejected, forwarded (within the
     * deadline), in competence, answered (on time), and still unanswered after their handling due date.
     */
    stats(scopes: 'all' | string[], q: { agencyId?: string; from: string; to: string }) {
      return db.rows<StatsRow>(
        sql`select p.agency_id, a.name as agency_name,
                   count(*)::int as received,
                   count(*) filter (where p.state = 'rejected')::int as rejected,
                   count(*) filter (where p.state = 'forwarded')::int as forwarded,
                   count(*) filter (where p.state = 'forwarded' and not p.forwarded_late)::int as forwarded_on_time,
                   count(*) filter (where p.handle_due_at is not null and p.state <> 'forwarded')::int as in_competence,
                   count(*) filter (where p.answered_at is not null)::int as answered,
                   count(*) filter (where p.answered_at is not null and not p.answered_late)::int as answered_on_time,
                   count(*) filter (where p.state in ('accepted', 'in_progress') and p.handle_due_at < now())::int as protracted,
                   count(*) filter (where p.state in ('received', 'accepted', 'in_progress'))::int as open
              from petitions p join agencies a on a.id = p.agency_id
             where ${inScopes(sql`p.agency_scope`, scopes)}
               ${q.agencyId ? sql`and p.agency_id = ${q.agencyId}` : sql``}
               and p.received_at >= ${q.from}::timestamptz and p.received_at < ${q.to}::timestamptz
             group by p.agency_id, a.name
             order by a.name`,
      );
    },
  };
}

export type PetitionsRepo = ReturnType<typeof petitionsRepo>;
