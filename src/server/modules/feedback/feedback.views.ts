/**
 * How a field report is read: the joined row, the staff view (everything, with the contact) and the public view
 * (no reporter identity for anonymous reports, never the contact or the raw description), and the timeline.
 */
import { type Database, sql } from '../../platform/db/database';
import { problems } from '../../platform/http/problem';
import { actionNames, type ReportState, stateNames } from './feedback.state';

export interface ReportRow {
  id: string;
  code: string;
  category_code: string;
  category_name: string;
  description: string;
  public_description: string | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  commune_code: string | null;
  commune_name: string | null;
  agency_id: string;
  agency_name: string;
  agency_scope: string;
  handler_scope: string | null;
  handler_account_id: string | null;
  state: ReportState;
  channel: 'web' | 'open311' | 'zalo';
  is_public: boolean;
  anonymous: boolean;
  reporter_account_id: string | null;
  reporter_name: string | null;
  contact: { name?: string; phone?: string; email?: string; zaloUserId?: string } | null;
  photo_ids: string[];
  result_text: string | null;
  result_photo_ids: string[];
  satisfied: boolean | null;
  reopened: boolean;
  extended: boolean;
  accept_due_at: string | Date | null;
  resolve_due_at: string | Date | null;
  moderated_at: string | Date | null;
  accepted_at: string | Date | null;
  resolved_at: string | Date | null;
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
  file_ids: string[];
  public: boolean;
  created_at: string | Date;
}

export const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
export const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/** Keyset paging over (created_at, id), newest first. */
export const encodeCursor = (r: Pick<ReportRow, 'created_at' | 'id'>) => Buffer.from(`${iso(r.created_at)}|${r.id}`).toString('base64url');
export function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || !uuidRe.test(id) || Number.isNaN(Date.parse(at))) {
    throw problems.validation([{ field: 'cursor', message: 'Con trỏ trang không hợp lệ' }]);
  }
  return { at, id };
}

export const reportSelect = sql`
  select r.*, c.name as category_name, b.name as commune_name, a.name as agency_name,
         coalesce(acc.display_name, acc.username) as reporter_name
    from field_reports r
    join field_report_categories c on c.code = r.category_code
    join agencies a on a.id = r.agency_id
    left join admin_boundaries b on b.unit_code = r.commune_code
    left join accounts acc on acc.id = r.reporter_account_id`;

/** Staff view: everything, including the contact. */
export function staffView(r: ReportRow) {
  return {
    ...publicView(r),
    description: r.description,
    publicDescription: r.public_description,
    isPublic: r.is_public,
    anonymous: r.anonymous,
    reporterAccountId: r.reporter_account_id,
    reporterName: r.reporter_name,
    contact: r.contact,
    agencyId: r.agency_id,
    handlerAccountId: r.handler_account_id,
    reopened: r.reopened,
    extended: r.extended,
    acceptDueAt: iso(r.accept_due_at),
    resolveDueAt: iso(r.resolve_due_at),
  };
}

/** Public view: no reporter identity for anonymous reports, never the contact or the raw description. */
export function publicView(r: ReportRow) {
  return {
    id: r.id,
    code: r.code,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    description: r.public_description ?? r.description,
    lon: r.lon,
    lat: r.lat,
    address: r.address,
    communeCode: r.commune_code,
    communeName: r.commune_name,
    agencyName: r.agency_name,
    state: r.state,
    stateName: stateNames[r.state],
    channel: r.channel,
    reporterName: r.anonymous ? null : r.reporter_name,
    photoIds: r.photo_ids,
    resultText: r.result_text,
    resultPhotoIds: r.result_photo_ids,
    satisfied: r.satisfied,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
    resolvedAt: iso(r.resolved_at),
  };
}

const actorLabel: Record<string, string> = {
  staff: 'Cơ quan xử lý',
  system: 'Hệ thống',
  citizen: 'Người phản ánh',
  anonymous: 'Người phản ánh',
};

/** The event log as a timeline; the public one has only public events and names no one. */
export async function readTimeline(db: Database, id: string, publicOnly: boolean) {
  const rows = await db.rows<EventRow>(
    sql`select e.seq, e.action, e.from_state, e.to_state, e.actor_kind, e.note, e.file_ids, e.public, e.created_at,
               case when e.actor_kind = 'staff' then coalesce(s.full_name, acc.display_name) end as actor_name
          from field_report_events e
          left join accounts acc on acc.id = e.actor_id
          left join staff s on s.account_id = e.actor_id
         where e.report_id = ${id} ${publicOnly ? sql`and e.public` : sql``}
         order by e.seq`,
  );
  return rows.map((e) => ({
    seq: e.seq,
    action: e.action,
    actionName: actionNames[e.action as keyof typeof actionNames] ?? e.action,
    fromState: e.from_state,
    toState: e.to_state,
    // The public timeline names no one; staff see which officer acted.
    actor: publicOnly ? (actorLabel[e.actor_kind] ?? 'Người phản ánh') : (e.actor_name ?? e.actor_kind),
    note: e.note,
    fileIds: e.file_ids,
    at: iso(e.created_at) as string,
  }));
}
