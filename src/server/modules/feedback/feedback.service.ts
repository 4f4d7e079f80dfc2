/**
 * Field report use cases: submit (signed in or anonymous with a contact; Idempotency-Key), routing to the
 * commune's People's Committee by boundary + category (else the provincial triage desk), nearby open reports,
 * follow, the staff workflow (feedback.state.ts), the citizen's rating and closing, and the public board.
 * Every action is an event (field_report_events) written with the row update and the audit entry in one
 * transaction.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit';
import { can, requireAccess, scopesFor } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import type { Permission } from '../../platform/auth/permissions';
import { addWorkingDays, type CalendarService } from '../../platform/calendar';
import { type Database, isUniqueViolation, type Orm, sql } from '../../platform/db/database';
import type { FileService } from '../../platform/files';
import { problems } from '../../platform/http/problem';
import { type AgencyInfo, agenciesByAdminUnit, agencyByCode, agencyById, departmentPath, staffByAccounts } from '../org';
import { bboxAround, contains, DAK_LAK_BBOX, type Geometry, haversineMeters, inBBox, parseBBox } from './feedback.geo';
import { normalizePhoto } from './feedback.photos';
import {
  actionNames,
  CITIZEN_ACTIONS,
  isAllowed,
  nextState,
  OPEN_STATES,
  type ReportAction,
  type ReportState,
  stateNames,
  TRIAGE_ACTIONS,
} from './feedback.state';

export interface FeedbackDeps {
  db: Database;
  calendar: CalendarService;
  /** When given, photos are resized and re-encoded (EXIF stripped) into new files before they are attached. */
  files?: FileService;
}

export interface CreateBody {
  categoryCode: string;
  description: string;
  location?: { lon: number; lat: number };
  address?: string;
  photoIds?: string[];
  isPublic?: boolean;
  anonymous?: boolean;
  contact?: { name?: string; phone?: string; email?: string };
}

export interface ActionBody {
  note?: string;
  reason?: string;
  publicDescription?: string;
  remove?: boolean;
  departmentCode?: string;
  accountId?: string;
  agencyId?: string;
  resultText?: string;
  photoIds?: string[];
  days?: number;
  satisfied?: boolean;
}

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
  is_public: boolean;
  anonymous: boolean;
  reporter_account_id: string | null;
  reporter_name: string | null;
  contact: { name?: string; phone?: string; email?: string } | null;
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

interface EventRow {
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

const NEARBY_METERS = 100;
const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
const notFound = () => problems.notFound('Không tìm thấy phản ánh.');
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

const reportSelect = sql`
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

function publicCode(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const tail = [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
  return `PA-${day}-${tail}`;
}

export function feedbackService(deps: FeedbackDeps) {
  const { db, calendar, files } = deps;

  /** Resized, EXIF-free JPEG copies of the checked photos (new file ids); the ids as given without a file service. */
  async function normalized(ctx: RequestContext, ids: string[]): Promise<string[]> {
    if (!files || !ids.length) return ids;
    const out: string[] = [];
    for (const [i, id] of ids.entries()) {
      const content = await files.content(ctx, id);
      const photo = await normalizePhoto(content.bytes).catch(() => {
        throw problems.validation([{ field: `photoIds/${i}`, message: 'Không đọc được ảnh' }]);
      });
      out.push((await files.upload(ctx, { name: `anh-${i + 1}.jpg`, bytes: photo.bytes })).id);
    }
    return out;
  }

  async function load(id: string, tx?: Orm, lock = false): Promise<ReportRow | null> {
    if (!uuidRe.test(id)) return null;
    const [r] = await db.rows<ReportRow>(sql`${reportSelect} where r.id = ${id} ${lock ? sql`for update of r` : sql``}`, tx);
    return r ?? null;
  }

  async function category(code: string) {
    const [c] = await db.rows<{ code: string; name: string; accept_days: number; resolve_days: number; unit_kind: string }>(
      sql`select code, name, accept_days, resolve_days, unit_kind from field_report_categories where code = ${code} and active`,
    );
    return c ?? null;
  }

  /** The commune whose boundary contains the point (bbox prefilter in SQL, ray casting here). */
  async function communeAt(lon: number, lat: number): Promise<{ code: string; name: string } | null> {
    const rows = await db.rows<{ unit_code: string; name: string; geometry: Geometry }>(
      sql`select unit_code, name, geometry from admin_boundaries
           where min_lon <= ${lon} and max_lon >= ${lon} and min_lat <= ${lat} and max_lat >= ${lat}`,
    );
    const hit = rows.find((r) => contains(r.geometry, lon, lat));
    return hit ? { code: hit.unit_code, name: hit.name } : null;
  }

  /**
   * The provincial triage desk: field_report_settings.triage_agency_code when set, else the first active
   * public administrative service centre (trung_tam_pvhcc) by code.
   */
  async function triageDesk(): Promise<AgencyInfo> {
    const [s] = await db.rows<{ triage_agency_code: string | null }>(sql`select triage_agency_code from field_report_settings`);
    const byCode = s?.triage_agency_code ? await agencyByCode(db, s.triage_agency_code) : null;
    if (byCode?.active) return byCode;
    const [centre] = await agenciesByAdminUnit(db, null, 'trung_tam_pvhcc');
    if (!centre)
      throw problems.conflict('no_triage_desk', 'Chưa cấu hình bộ phận điều phối', 'Chưa có đơn vị điều phối phản ánh của tỉnh.');
    return centre;
  }

  /** Commune containing the point + the category's kind of unit → that unit; otherwise the triage desk. */
  async function route(point: { lon: number; lat: number } | null, unitKind: string) {
    const commune = point ? await communeAt(point.lon, point.lat) : null;
    if (commune) {
      const [agency] = await agenciesByAdminUnit(db, commune.code, unitKind);
      if (agency) return { commune, agency, routed: true };
    }
    return { commune, agency: await triageDesk(), routed: false };
  }

  async function checkPhotos(ctx: RequestContext, ids: string[], field: string, tx?: Orm) {
    if (!ids.length) return;
    if (new Set(ids).size !== ids.length || ids.some((i) => !uuidRe.test(i))) {
      throw problems.validation([{ field, message: 'Mã ảnh không hợp lệ hoặc bị trùng' }]);
    }
    const rows = await db.rows<{ id: string; media_type: string; uploaded_by: string | null }>(
      sql`select id, media_type, uploaded_by from files where id = any(${uuidArray(ids)}::uuid[])`,
      tx,
    );
    const ok = rows.filter(
      (f) => f.media_type.startsWith('image/') && ctx.actor.accountId !== null && f.uploaded_by === ctx.actor.accountId,
    );
    if (ok.length !== ids.length) {
      throw problems.validation([{ field, message: 'Ảnh phải là tệp ảnh do chính Ông/Bà tải lên trước (qua /api/v1/files)' }]);
    }
  }

  async function addEvent(
    tx: Orm,
    ctx: RequestContext,
    r: { id: string },
    e: { action: string; from: string | null; to: string; note?: string | null; fileIds?: string[]; public?: boolean; details?: object },
  ) {
    await db.rows(
      sql`insert into field_report_events (id, report_id, seq, action, from_state, to_state, actor_id, actor_kind, note, file_ids, public, details)
          values (${randomUUID()}, ${r.id},
                  (select coalesce(max(seq), 0) + 1 from field_report_events where report_id = ${r.id}),
                  ${e.action}, ${e.from}, ${e.to}, ${ctx.actor.accountId}, ${ctx.actor.kind}, ${e.note ?? null},
                  ${uuidArray(e.fileIds ?? [])}::uuid[], ${e.public ?? true}, ${JSON.stringify(e.details ?? {})}::jsonb)`,
      tx,
    );
  }

  async function create(ctx: RequestContext, body: CreateBody, idempotencyKey: string | null) {
    const signedIn = ctx.actor.kind !== 'anonymous' && ctx.actor.accountId !== null;
    const contact = body.contact && (body.contact.name || body.contact.phone || body.contact.email) ? body.contact : null;
    if (!signedIn && !(contact?.phone || contact?.email)) {
      throw problems.validation(
        [{ field: 'contact', message: 'Khi không đăng nhập, Ông/Bà cần để lại số điện thoại hoặc thư điện tử để cơ quan liên hệ' }],
        'Thiếu thông tin liên hệ.',
      );
    }
    const requestScope = ctx.actor.accountId ?? `anonymous:${ctx.ip ?? ''}`;
    if (idempotencyKey) {
      const [prior] = await db.rows<{ id: string }>(
        sql`select id from field_reports where request_scope = ${requestScope} and request_key = ${idempotencyKey}`,
      );
      if (prior) return staffView((await load(prior.id)) as ReportRow);
    }
    const description = body.description.trim();
    if (!description) throw problems.validation([{ field: 'description', message: 'Vui lòng mô tả sự việc' }]);
    const cat = await category(body.categoryCode);
    if (!cat) throw problems.validation([{ field: 'categoryCode', message: 'Lĩnh vực phản ánh không tồn tại' }]);
    const point = body.location ?? null;
    if (point && !inBBox(DAK_LAK_BBOX, point.lon, point.lat)) {
      throw problems.validation([{ field: 'location', message: 'Vị trí nằm ngoài địa bàn tỉnh Đắk Lắk' }]);
    }
    const address = body.address?.trim() || null;
    if (!point && !address)
      throw problems.validation([{ field: 'location', message: 'Vui lòng chọn vị trí trên bản đồ hoặc nhập địa chỉ' }]);
    await checkPhotos(ctx, body.photoIds ?? [], 'photoIds');
    const photoIds = await normalized(ctx, body.photoIds ?? []);
    const { commune, agency, routed } = await route(point, cat.unit_kind);
    const now = new Date();
    const cal = await calendar.data();
    const acceptDue = addWorkingDays(cal, now, cat.accept_days);
    const resolveDue = addWorkingDays(cal, acceptDue, cat.resolve_days);
    const id = randomUUID();
    try {
      await db.orm.transaction(async (tx) => {
        await db.rows(
          sql`insert into field_reports (id, code, category_code, description, lon, lat, address, commune_code, agency_id, agency_scope,
                state, is_public, anonymous, reporter_account_id, contact, photo_ids, accept_due_at, resolve_due_at,
                request_key, request_scope, created_at, updated_at)
              values (${id}, ${publicCode(now)}, ${cat.code}, ${description}, ${point?.lon ?? null}, ${point?.lat ?? null}, ${address},
                ${commune?.code ?? null}, ${agency.id}, ${agency.path}, 'new', ${body.isPublic ?? true}, ${body.anonymous ?? false},
                ${signedIn ? ctx.actor.accountId : null}, ${contact ? JSON.stringify(contact) : null}::jsonb, ${uuidArray(photoIds)}::uuid[],
                ${acceptDue.toISOString()}, ${resolveDue.toISOString()}, ${idempotencyKey}, ${idempotencyKey ? requestScope : null},
                ${now.toISOString()}, ${now.toISOString()})`,
          tx,
        );
        await addEvent(
          tx,
          ctx,
          { id },
          {
            action: 'submit',
            from: null,
            to: 'new',
            fileIds: photoIds,
            details: { agencyId: agency.id, communeCode: commune?.code ?? null, routed },
          },
        );
        await recordAudit(tx, ctx, {
          action: 'field_report.created',
          targetType: 'field_report',
          targetId: id,
          details: { category: cat.code, agencyId: agency.id, communeCode: commune?.code ?? null, routed, photos: photoIds.length },
        });
      });
    } catch (e) {
      // A concurrent resend with the same key won the race: answer with its report.
      if (idempotencyKey && isUniqueViolation(e)) return create(ctx, body, idempotencyKey);
      throw e;
    }
    return staffView((await load(id)) as ReportRow);
  }

  /** Open reports of a category within 100 m of the point (bbox prefilter, then haversine); public ones only. */
  async function nearby(q: { lon: number; lat: number; category?: string }) {
    const b = bboxAround(q.lon, q.lat, NEARBY_METERS);
    const rows = await db.rows<ReportRow>(
      sql`${reportSelect}
           where r.is_public and r.moderated_at is not null and r.state in ('moderated', 'accepted', 'assigned', 'in_progress', 'triage')
             and r.lon between ${b.minLon} and ${b.maxLon} and r.lat between ${b.minLat} and ${b.maxLat}
             ${q.category ? sql`and r.category_code = ${q.category}` : sql``}
           limit 200`,
    );
    return {
      items: rows
        .map((r) => ({ ...publicView(r), distanceMeters: Math.round(haversineMeters(q.lon, q.lat, r.lon as number, r.lat as number)) }))
        .filter((r) => r.distanceMeters <= NEARBY_METERS)
        .sort((a, b2) => a.distanceMeters - b2.distanceMeters),
    };
  }

  async function follow(ctx: RequestContext, id: string) {
    if (ctx.actor.kind === 'anonymous' || !ctx.actor.accountId) throw problems.unauthorized();
    const r = await load(id);
    if (!r || !visibleTo(ctx, r)) throw notFound();
    await db.orm.transaction(async (tx) => {
      await db.rows(
        sql`insert into field_report_followers (report_id, account_id) values (${r.id}, ${ctx.actor.accountId}) on conflict do nothing`,
        tx,
      );
      await recordAudit(tx, ctx, { action: 'field_report.followed', targetType: 'field_report', targetId: r.id });
    });
    const [n] = await db.rows<{ n: number }>(sql`select count(*)::int as n from field_report_followers where report_id = ${r.id}`);
    return { following: true, followers: n?.n ?? 0 };
  }

  const isPubliclyVisible = (r: ReportRow) => r.is_public && r.moderated_at !== null && r.state !== 'removed';
  const scopeOf = (r: ReportRow) => r.handler_scope ?? r.agency_scope;
  const isReporter = (ctx: RequestContext, r: ReportRow) => ctx.actor.accountId !== null && ctx.actor.accountId === r.reporter_account_id;
  const isStaffFor = (ctx: RequestContext, r: ReportRow, p: Permission = 'feedback.handle') =>
    ctx.actor.kind !== 'citizen' &&
    (can(ctx.actor, p, { scope: r.agency_scope }) || (r.handler_scope !== null && can(ctx.actor, p, { scope: r.handler_scope })));
  const visibleTo = (ctx: RequestContext, r: ReportRow) =>
    isReporter(ctx, r) || isPubliclyVisible(r) || isStaffFor(ctx, r) || isStaffFor(ctx, r, 'feedback.triage');

  /** The reporter or staff of the responsible unit: the full record with the timeline. */
  async function get(ctx: RequestContext, id: string) {
    if (ctx.actor.kind === 'anonymous') throw problems.unauthorized();
    const r = await load(id);
    if (!r || !(isReporter(ctx, r) || isStaffFor(ctx, r) || isStaffFor(ctx, r, 'feedback.triage'))) throw notFound();
    const view =
      isStaffFor(ctx, r) || isStaffFor(ctx, r, 'feedback.triage') ? staffView(r) : { ...publicView(r), description: r.description };
    return { ...view, timeline: await timeline(r.id, false) };
  }

  async function timeline(id: string, publicOnly: boolean) {
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
      actionName: actionNames[e.action as ReportAction] ?? e.action,
      fromState: e.from_state,
      toState: e.to_state,
      // The public timeline names no one; staff see which officer acted.
      actor: publicOnly ? (e.actor_kind === 'staff' ? 'Cơ quan xử lý' : 'Người phản ánh') : (e.actor_name ?? e.actor_kind),
      note: e.note,
      fileIds: e.file_ids,
      at: iso(e.created_at) as string,
    }));
  }

  /** Staff queue: reports of the agencies in the actor's scope. */
  async function queue(ctx: RequestContext, q: { state?: string; limit?: number }) {
    requireAccess(ctx.actor, 'feedback.handle');
    const scopes = [
      ...new Set([
        ...(scopesFor(ctx.actor, 'feedback.handle') === 'all' ? [''] : (scopesFor(ctx.actor, 'feedback.handle') as string[])),
        ...(scopesFor(ctx.actor, 'feedback.triage') === 'all' ? [''] : (scopesFor(ctx.actor, 'feedback.triage') as string[])),
      ]),
    ];
    const scopeCond = scopes.includes('')
      ? sql`true`
      : sql`(${sql.join(
          scopes.map((s) => sql`(r.agency_scope = ${s} or r.agency_scope like ${`${s}/%`} or r.handler_scope like ${`${s}%`})`),
          sql` or `,
        )})`;
    const rows = await db.rows<ReportRow>(
      sql`${reportSelect} where ${scopeCond} ${q.state ? sql`and r.state = ${q.state}` : sql``}
          order by r.created_at desc limit ${Math.min(q.limit ?? 100, 500)}`,
    );
    return { items: rows.map(staffView) };
  }

  async function act(ctx: RequestContext, id: string, action: ReportAction, body: ActionBody) {
    if (ctx.actor.kind === 'anonymous') throw problems.unauthorized();
    const cal = await calendar.data();
    // Lookups in other tables happen before the transaction (PGlite has one connection: a query outside the
    // open transaction would wait for it). The row is re-read under lock and must still be at the same unit.
    const before = await load(id);
    if (!before) throw notFound();
    const desk = await triageDesk();
    const deptScope = action === 'assign' && body.departmentCode ? await departmentPath(db, before.agency_id, body.departmentCode) : null;
    const [officer] =
      action === 'assign' && body.accountId && uuidRe.test(body.accountId) ? await staffByAccounts(db, [body.accountId]) : [];
    let afterPhotos: string[] = [];
    if (action === 'resolve' && body.photoIds?.length) {
      if (!isStaffFor(ctx, before)) throw notFound();
      await checkPhotos(ctx, body.photoIds, 'photoIds');
      afterPhotos = await normalized(ctx, body.photoIds);
    }
    const target = action === 'reassign' && body.agencyId && uuidRe.test(body.agencyId) ? await agencyById(db, body.agencyId) : null;
    const outcome = await db.orm.transaction(async (tx) => {
      const r = await load(id, tx, true);
      if (!r) throw notFound();
      if (r.agency_id !== before.agency_id) {
        throw problems.conflict('concurrent_change', 'Phản ánh vừa được chuyển đơn vị', 'Vui lòng tải lại và thử lại.');
      }
      // The one access check: the reporter for rate/close, else the permission within the report's scope.
      if (CITIZEN_ACTIONS.includes(action) && isReporter(ctx, r)) {
        // the reporter
      } else if (action === 'close' && r.state === 'rated' && isStaffFor(ctx, r)) {
        // staff close a rated report
      } else if (CITIZEN_ACTIONS.includes(action)) {
        if (!visibleTo(ctx, r)) throw notFound();
        throw problems.forbidden('Chỉ người gửi phản ánh mới thực hiện được thao tác này.');
      } else {
        if (ctx.actor.kind === 'citizen') {
          if (!visibleTo(ctx, r)) throw notFound();
          throw problems.forbidden();
        }
        // Triage (reassign) is the provincial desk's: the grant must cover the desk, not just the report's unit.
        const triage = TRIAGE_ACTIONS.includes(action);
        const scope = triage ? desk.path : action === 'moderate' ? r.agency_scope : scopeOf(r);
        if (!can(ctx.actor, triage ? 'feedback.triage' : 'feedback.handle', { scope })) {
          if (visibleTo(ctx, r)) throw problems.forbidden();
          throw notFound();
        }
      }
      if (!isAllowed(action, r.state)) {
        throw problems.conflict(
          'invalid_state',
          'Không thực hiện được ở trạng thái hiện tại',
          `Phản ánh đang ở trạng thái "${stateNames[r.state]}": không thể "${actionNames[action]}".`,
        );
      }
      const to = nextState(action, { state: r.state, moderated: r.moderated_at !== null, reopened: r.reopened }, body);
      const set: ReturnType<typeof sql>[] = [sql`state = ${to}`, sql`updated_at = now()`];
      let note = body.note?.trim() || null;
      let fileIds: string[] = [];
      let isPublicEvent = true;
      const details: Record<string, unknown> = {};
      const reason = body.reason?.trim();
      switch (action) {
        case 'moderate':
          set.push(sql`moderated_at = now()`);
          if (body.publicDescription !== undefined) {
            set.push(sql`public_description = ${body.publicDescription.trim() || null}`);
            details.edited = true;
          }
          if (body.remove) {
            if (!reason) throw problems.validation([{ field: 'reason', message: 'Vui lòng nêu lý do gỡ bỏ' }]);
            note = reason;
            isPublicEvent = false;
          }
          break;
        case 'accept': {
          set.push(sql`accepted_at = now()`);
          const [c] = await db.rows<{ resolve_days: number }>(
            sql`select resolve_days from field_report_categories where code = ${r.category_code}`,
            tx,
          );
          set.push(sql`resolve_due_at = ${addWorkingDays(cal, new Date(), c?.resolve_days ?? 5).toISOString()}`);
          break;
        }
        case 'assign': {
          isPublicEvent = false;
          const scope = deptScope;
          if (body.departmentCode) {
            if (!scope) throw problems.validation([{ field: 'departmentCode', message: 'Phòng ban không thuộc đơn vị xử lý' }]);
          }
          if (body.accountId) {
            if (!officer || officer.agencyId !== r.agency_id) {
              throw problems.validation([{ field: 'accountId', message: 'Cán bộ không thuộc đơn vị xử lý' }]);
            }
          }
          if (!scope && !body.accountId) {
            throw problems.validation([{ field: 'departmentCode', message: 'Chọn phòng ban hoặc cán bộ xử lý' }]);
          }
          set.push(sql`handler_scope = ${scope}`, sql`handler_account_id = ${body.accountId ?? null}`);
          Object.assign(details, { departmentCode: body.departmentCode ?? null, accountId: body.accountId ?? null });
          break;
        }
        case 'start':
          break;
        case 'resolve': {
          const text = body.resultText?.trim();
          if (!text) throw problems.validation([{ field: 'resultText', message: 'Vui lòng nhập kết quả xử lý' }]);
          fileIds = afterPhotos;
          set.push(sql`result_text = ${text}`, sql`result_photo_ids = ${uuidArray(fileIds)}::uuid[]`, sql`resolved_at = now()`);
          note = text;
          break;
        }
        case 'return': {
          if (!reason) throw problems.validation([{ field: 'reason', message: 'Vui lòng nêu lý do không thuộc thẩm quyền' }]);
          if (desk.id === r.agency_id) {
            throw problems.conflict('already_at_triage', 'Phản ánh đang ở bộ phận điều phối', 'Hãy điều phối cho đơn vị xử lý.');
          }
          set.push(
            sql`agency_id = ${desk.id}`,
            sql`agency_scope = ${desk.path}`,
            sql`handler_scope = null`,
            sql`handler_account_id = null`,
          );
          note = reason;
          Object.assign(details, { fromAgencyId: r.agency_id, toAgencyId: desk.id });
          break;
        }
        case 'reassign': {
          if (!target?.active) throw problems.validation([{ field: 'agencyId', message: 'Đơn vị xử lý không tồn tại' }]);
          set.push(
            sql`agency_id = ${target.id}`,
            sql`agency_scope = ${target.path}`,
            sql`handler_scope = null`,
            sql`handler_account_id = null`,
          );
          Object.assign(details, { fromAgencyId: r.agency_id, toAgencyId: target.id });
          break;
        }
        case 'extend': {
          if (r.extended) throw problems.conflict('already_extended', 'Đã gia hạn', 'Mỗi phản ánh chỉ được gia hạn một lần.');
          if (!reason) throw problems.validation([{ field: 'reason', message: 'Vui lòng nêu lý do gia hạn' }]);
          const days = body.days ?? 0;
          if (!Number.isInteger(days) || days < 1 || days > 30) {
            throw problems.validation([{ field: 'days', message: 'Số ngày gia hạn từ 1 đến 30 ngày làm việc' }]);
          }
          const from = r.resolve_due_at ? new Date(r.resolve_due_at) : new Date();
          const due = addWorkingDays(cal, from, days);
          set.push(sql`extended = true`, sql`resolve_due_at = ${due.toISOString()}`);
          note = reason;
          Object.assign(details, { days, resolveDueAt: due.toISOString() });
          break;
        }
        case 'rate':
          if (typeof body.satisfied !== 'boolean')
            throw problems.validation([{ field: 'satisfied', message: 'Chọn hài lòng hoặc không hài lòng' }]);
          set.push(sql`satisfied = ${body.satisfied}`);
          if (to === 'in_progress') set.push(sql`reopened = true`, sql`resolved_at = null`);
          details.satisfied = body.satisfied;
          details.reopened = to === 'in_progress';
          break;
        case 'close':
          set.push(sql`closed_at = now()`);
          break;
      }
      await db.rows(sql`update field_reports set ${sql.join(set, sql`, `)} where id = ${r.id}`, tx);
      await addEvent(tx, ctx, r, { action, from: r.state, to, note, fileIds, public: isPublicEvent, details });
      await recordAudit(tx, ctx, {
        action: `field_report.${action}`,
        targetType: 'field_report',
        targetId: r.id,
        details: { from: r.state, to, ...details },
      });
      return r.id;
    });
    const after = (await load(outcome)) as ReportRow;
    // After a return or a reassignment the actor may no longer see the report: answer with what he just acted on.
    if (!(isReporter(ctx, after) || isStaffFor(ctx, after) || isStaffFor(ctx, after, 'feedback.triage'))) {
      return { ...staffView(after), timeline: [] };
    }
    return get(ctx, outcome);
  }

  // --- public board ---------------------------------------------------------------------------------------

  const boardCond = sql`r.is_public and r.moderated_at is not null and r.state <> 'removed'`;

  async function board(q: {
    bbox?: string;
    category?: string;
    state?: string;
    commune?: string;
    from?: string;
    to?: string;
    cursor?: string;
    limit?: number;
  }) {
    const conds = [boardCond];
    if (q.bbox) {
      const b = parseBBox(q.bbox);
      if (!b) throw problems.validation([{ field: 'bbox', message: 'bbox có dạng minLon,minLat,maxLon,maxLat' }]);
      conds.push(sql`r.lon between ${b.minLon} and ${b.maxLon} and r.lat between ${b.minLat} and ${b.maxLat}`);
    }
    if (q.category) conds.push(sql`r.category_code = ${q.category}`);
    if (q.state) conds.push(sql`r.state = ${q.state}`);
    if (q.commune) conds.push(sql`r.commune_code = ${q.commune}`);
    if (q.from) conds.push(sql`r.created_at >= ${q.from}::date`);
    if (q.to) conds.push(sql`r.created_at < (${q.to}::date + 1)`);
    if (q.cursor) {
      const [at, cid] = Buffer.from(q.cursor, 'base64url').toString().split('|');
      if (!at || !cid || !uuidRe.test(cid) || Number.isNaN(Date.parse(at))) {
        throw problems.validation([{ field: 'cursor', message: 'Con trỏ trang không hợp lệ' }]);
      }
      conds.push(sql`(r.created_at, r.id) < (${at}::timestamptz, ${cid}::uuid)`);
    }
    const limit = Math.min(q.limit ?? 100, 500);
    const rows = await db.rows<ReportRow>(
      sql`${reportSelect} where ${sql.join(conds, sql` and `)} order by r.created_at desc, r.id desc limit ${limit + 1}`,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(publicView),
      nextCursor: rows.length > limit && last ? Buffer.from(`${iso(last.created_at)}|${last.id}`).toString('base64url') : null,
    };
  }

  async function publicDetail(id: string) {
    const r = await load(id);
    if (!r || !isPubliclyVisible(r)) throw notFound();
    return { ...publicView(r), timeline: await timeline(r.id, true) };
  }

  async function communeFeed(communeCode: string, selfUrl: string) {
    const [b] = await db.rows<{ name: string }>(sql`select name from admin_boundaries where unit_code = ${communeCode}`);
    if (!b) throw problems.notFound('Không tìm thấy xã, phường.');
    const { items } = await board({ commune: communeCode, limit: 50 });
    return atomFeed(`Phản ánh hiện trường – ${b.name}`, selfUrl, items);
  }

  async function categories() {
    const rows = await db.rows<{ code: string; name: string; accept_days: number; resolve_days: number; unit_kind: string }>(
      sql`select code, name, accept_days, resolve_days, unit_kind from field_report_categories where active order by sort_order, code`,
    );
    return {
      items: rows.map((c) => ({
        code: c.code,
        name: c.name,
        acceptDays: c.accept_days,
        resolveDays: c.resolve_days,
        unitKind: c.unit_kind,
      })),
    };
  }

  return { create, nearby, follow, get, queue, act, board, publicDetail, communeFeed, categories, communeAt, route };
}

export type FeedbackService = ReturnType<typeof feedbackService>;

const xmlEscape = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

/** Atom 1.0 (RFC 4287) feed of public reports. */
export function atomFeed(title: string, selfUrl: string, items: ReturnType<typeof publicView>[]): string {
  const updated = items[0]?.updatedAt ?? new Date(0).toISOString();
  const base = selfUrl.replace(/\/api\/v1\/public\/field-reports\/feed\/.*$/, '');
  const entries = items
    .map(
      (r) => `  <entry>
    <id>urn:uuid:${r.id}</id>
    <title>${xmlEscape(`${r.code} – ${r.categoryName} – ${r.stateName}`)}</title>
    <link href="${xmlEscape(`${base}/api/v1/public/field-reports/${r.id}`)}"/>
    <updated>${r.updatedAt}</updated>
    <published>${r.createdAt}</published>
    <summary>${xmlEscape(r.description)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlEscape(selfUrl)}</id>
  <title>${xmlEscape(title)}</title>
  <link rel="self" href="${xmlEscape(selfUrl)}"/>
  <updated>${updated}</updated>
  <author><name>TinhSo</name></author>
${entries}
</feed>
`;
}

/** Imports a FeatureCollection of commune boundaries (upsert by unit code); returns how many. */
export async function importBoundaries(
  db: Database,
  features: {
    unitCode: string;
    name: string;
    provinceCode: string;
    geometry: Geometry;
    bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  }[],
): Promise<number> {
  await db.orm.transaction(async (tx) => {
    for (const f of features) {
      await db.rows(
        sql`insert into admin_boundaries (unit_code, name, province_code, geometry, min_lon, min_lat, max_lon, max_lat)
            values (${f.unitCode}, ${f.name}, ${f.provinceCode}, ${JSON.stringify(f.geometry)}::jsonb,
                    ${f.bbox.minLon}, ${f.bbox.minLat}, ${f.bbox.maxLon}, ${f.bbox.maxLat})
            on conflict (unit_code) do update set name = excluded.name, province_code = excluded.province_code,
              geometry = excluded.geometry, min_lon = excluded.min_lon, min_lat = excluded.min_lat,
              max_lon = excluded.max_lon, max_lat = excluded.max_lat, imported_at = now()`,
        tx,
      );
    }
  });
  return features.length;
}

export { OPEN_STATES };
