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
import { type RequestContext, systemContext } from '../../platform/auth/actor';
import type { Permission } from '../../platform/auth/permissions';
import { addWorkingDays, type CalendarService } from '../../platform/calendar';
import { type Database, isUniqueViolation, type Orm, sql } from '../../platform/db/database';
import type { FileService } from '../../platform/files';
import { problems } from '../../platform/http/problem';
import type { Notifier } from '../../platform/notify';
import {
  type AgencyInfo,
  agenciesByAdminUnit,
  agencyByCode,
  agencyById,
  departmentPath,
  departmentsOf,
  staffByAccounts,
  staffWithRoles,
} from '../org';
import { feedbackAdmin } from './feedback.admin';
import { feedbackBoard, isPubliclyVisible } from './feedback.board';
import { bboxAround, DAK_LAK_BBOX, haversineMeters, inBBox } from './feedback.geo';
import { reporterNotices } from './feedback.notices';
import { exifLocation, needsDisplayCopy, normalizePhoto, photoToStore } from './feedback.photos';
import { referenceData } from './feedback.reference';
import {
  actionNames,
  allowedFrom,
  CITIZEN_ACTIONS,
  isAllowed,
  nextState,
  type ReportAction,
  stateNames,
  TRIAGE_ACTIONS,
} from './feedback.state';
import {
  decodeCursor,
  encodeCursor,
  iso,
  publicView,
  type ReportRow,
  readTimeline,
  reportSelect,
  staffView,
  uuidArray,
  uuidRe,
} from './feedback.views';

export interface FeedbackDeps {
  db: Database;
  calendar: CalendarService;
  /** When given, photos are resized and re-encoded (EXIF stripped) into new files before they are attached. */
  files?: FileService;
  /** When given, the reporter (and followers, for results) are told of acceptance, extension, removal, result. */
  notify?: Notifier;
  /** Base of the links in those messages (PUBLIC_URL). */
  publicUrl?: string;
}

export interface CreateBody {
  categoryCode: string;
  description: string;
  location?: { lon: number; lat: number };
  address?: string;
  photoIds?: string[];
  isPublic?: boolean;
  anonymous?: boolean;
  contact?: { name?: string; phone?: string; email?: string; zaloUserId?: string };
  /** Take the location from the first photo's EXIF GPS when no location is given (the reporter allowed it). */
  useExifLocation?: boolean;
}

export type Channel = 'web' | 'open311' | 'zalo';

export interface CreateOptions {
  channel?: Channel;
  /** Photo bytes sent with the report (multipart, Open311 media, Zalo): re-encoded and stored by the platform. */
  photos?: { name: string; bytes: Buffer }[];
  /** Scope of the Idempotency-Key (default: the account, or the anonymous caller's address). */
  requestScope?: string;
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

const NEARBY_METERS = 100;
const notFound = () => problems.notFound('Không tìm thấy phản ánh.');

function publicCode(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const tail = [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
  return `PA-${day}-${tail}`;
}

export function feedbackService(deps: FeedbackDeps) {
  const { db, calendar, files } = deps;
  const tell = deps.notify ? reporterNotices(db, deps.notify, deps.publicUrl ?? '') : null;
  const { board, publicDetail, publicDetailByCode, communeFeed } = feedbackBoard(db);
  const { categories } = feedbackAdmin(db);
  const reference = referenceData(db);

  /** The bytes of photos uploaded earlier through /api/v1/files (already checked to be the actor's). */
  async function uploadedPhotos(ctx: RequestContext, ids: string[]) {
    if (!files) return [];
    return Promise.all(ids.map(async (id) => ({ name: id, bytes: (await files.content(ctx, id)).bytes })));
  }

  /**
   * The photos without their metadata, stored as new files (owned by the actor when signed in, else by the
   * platform). Without a file service (unit tests of routing), no photo is kept.
   */
  async function storePhotos(ctx: RequestContext, photos: { bytes: Buffer }[], field: string): Promise<string[]> {
    if (!files) return [];
    const owner = ctx.actor.accountId ? ctx : systemContext('feedback');
    const out: string[] = [];
    for (const [i, p] of photos.entries()) {
      const photo = await photoToStore(p.bytes).catch(() => {
        throw problems.validation([{ field: `${field}/${i}`, message: 'Không đọc được ảnh (chỉ nhận JPEG, PNG, WebP)' }]);
      });
      out.push((await files.upload(owner, { name: `anh-${i + 1}.jpg`, bytes: photo.bytes })).id);
    }
    return out;
  }

  /** Display copies being made in this process, so that two viewers of a new photo do not both make one. */
  const making = new Map<string, Promise<string>>();

  /**
   * The id of what to show for a stored photo: its ≤ 1600 px copy, or the photo itself when it is small enough
   * (or cannot be decoded). Decided on first use and remembered, so later views cost one indexed read.
   */
  async function displayFileId(fileId: string): Promise<string> {
    const [known] = await db.rows<{ display_file_id: string }>(
      sql`select display_file_id from field_report_photo_displays where file_id = ${fileId}`,
    );
    if (known) return known.display_file_id;
    const pending = making.get(fileId) ?? decideDisplay(fileId).finally(() => making.delete(fileId));
    making.set(fileId, pending);
    return pending;
  }

  async function decideDisplay(fileId: string): Promise<string> {
    if (!files) return fileId;
    const system = systemContext('feedback');
    const stored = (await files.content(system, fileId)).bytes;
    const copy = (await needsDisplayCopy(stored).catch(() => false)) ? await normalizePhoto(stored).catch(() => null) : null;
    const displayId = copy ? (await files.upload(system, { name: 'anh-hien-thi.jpg', bytes: copy.bytes })).id : fileId;
    // Another process may have decided at the same moment: the first one stored is the one used.
    const [row] = await db.rows<{ display_file_id: string }>(
      sql`with ins as (insert into field_report_photo_displays (file_id, display_file_id) values (${fileId}, ${displayId})
                       on conflict (file_id) do nothing returning display_file_id)
          select display_file_id from ins
          union all select display_file_id from field_report_photo_displays where file_id = ${fileId}
          limit 1`,
    );
    return row?.display_file_id ?? displayId;
  }

  async function load(id: string, tx?: Orm, lock = false): Promise<ReportRow | null> {
    if (!uuidRe.test(id)) return null;
    const [r] = await db.rows<ReportRow>(sql`${reportSelect} where r.id = ${id} ${lock ? sql`for update of r` : sql``}`, tx);
    return r ?? null;
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
    const commune = point ? await reference.communeAt(point.lon, point.lat) : null;
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

  async function create(ctx: RequestContext, body: CreateBody, idempotencyKey: string | null, opts: CreateOptions = {}) {
    const channel = opts.channel ?? 'web';
    const signedIn = ctx.actor.kind !== 'anonymous' && ctx.actor.accountId !== null;
    const given = body.contact ?? {};
    const contact = given.name || given.phone || given.email || given.zaloUserId ? given : null;
    const reachable = contact?.phone || contact?.email || (channel === 'zalo' && contact?.zaloUserId);
    if (!signedIn && !reachable) {
      throw problems.validation(
        [{ field: 'contact', message: 'Khi không đăng nhập, Ông/Bà cần để lại số điện thoại hoặc thư điện tử để cơ quan liên hệ' }],
        'Thiếu thông tin liên hệ.',
      );
    }
    const requestScope = opts.requestScope ?? ctx.actor.accountId ?? `anonymous:${ctx.ip ?? ''}`;
    if (idempotencyKey) {
      const [prior] = await db.rows<{ id: string }>(
        sql`select id from field_reports where request_scope = ${requestScope} and request_key = ${idempotencyKey}`,
      );
      if (prior) return staffView((await load(prior.id)) as ReportRow);
    }
    const description = body.description.trim();
    if (!description) throw problems.validation([{ field: 'description', message: 'Vui lòng mô tả sự việc' }]);
    const cat = await reference.category(body.categoryCode);
    if (!cat) throw problems.validation([{ field: 'categoryCode', message: 'Lĩnh vực phản ánh không tồn tại' }]);
    const photoIdsGiven = body.photoIds ?? [];
    if (photoIdsGiven.length + (opts.photos?.length ?? 0) > 5) {
      throw problems.validation([{ field: 'photoIds', message: 'Tối đa 5 ảnh cho một phản ánh' }]);
    }
    await checkPhotos(ctx, photoIdsGiven, 'photoIds');
    const photos = [...(await uploadedPhotos(ctx, photoIdsGiven)), ...(opts.photos ?? [])];
    const fromExif = !body.location && body.useExifLocation && photos[0] ? await exifLocation(photos[0].bytes) : null;
    const point = body.location ?? fromExif;
    if (point && !inBBox(DAK_LAK_BBOX, point.lon, point.lat)) {
      throw problems.validation([
        {
          field: 'location',
          message: fromExif ? 'Vị trí ghi trong ảnh nằm ngoài địa bàn tỉnh Đắk Lắk' : 'Vị trí nằm ngoài địa bàn tỉnh Đắk Lắk',
        },
      ]);
    }
    const address = body.address?.trim() || null;
    if (!point && !address) {
      const message = body.useExifLocation
        ? 'Ảnh không có thông tin vị trí: vui lòng chọn vị trí trên bản đồ hoặc nhập địa chỉ'
        : 'Vui lòng chọn vị trí trên bản đồ hoặc nhập địa chỉ';
      throw problems.validation([{ field: 'location', message }]);
    }
    const photoIds = files ? await storePhotos(ctx, photos, photoIdsGiven.length ? 'photoIds' : 'photo') : photoIdsGiven;
    const { commune, agency, routed } = await route(point, cat.unit_kind);
    const now = new Date();
    const cal = await calendar.data();
    const acceptDue = addWorkingDays(cal, now, cat.accept_days);
    const resolveDue = addWorkingDays(cal, acceptDue, cat.resolve_days);
    const id = randomUUID();
    try {
      await db.orm.transaction(async (tx) => {
        await db.rows(
          sql`insert into field_reports (id, code, channel, category_code, description, lon, lat, address, commune_code, agency_id, agency_scope,
                state, is_public, anonymous, reporter_account_id, contact, photo_ids, accept_due_at, resolve_due_at,
                request_key, request_scope, created_at, updated_at)
              values (${id}, ${publicCode(now)}, ${channel}, ${cat.code}, ${description}, ${point?.lon ?? null}, ${point?.lat ?? null}, ${address},
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
            details: { channel, agencyId: agency.id, communeCode: commune?.code ?? null, routed },
          },
        );
        await recordAudit(tx, ctx, {
          action: 'field_report.created',
          targetType: 'field_report',
          targetId: id,
          details: {
            channel,
            category: cat.code,
            agencyId: agency.id,
            communeCode: commune?.code ?? null,
            routed,
            photos: photoIds.length,
            exifLocation: fromExif !== null,
          },
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
    return { ...view, timeline: await readTimeline(db, r.id, false) };
  }

  /** Staff queue: reports of the agencies in the actor's scope, newest first, cursor-paged; overdue = past a due date. */
  async function queue(ctx: RequestContext, q: { state?: string; overdue?: boolean; cursor?: string; limit?: number }) {
    requireAccess(ctx.actor, 'feedback.handle');
    const scopes = [
      ...new Set([
        ...(scopesFor(ctx.actor, 'feedback.handle') === 'all' ? [''] : (scopesFor(ctx.actor, 'feedback.handle') as string[])),
        ...(scopesFor(ctx.actor, 'feedback.triage') === 'all' ? [''] : (scopesFor(ctx.actor, 'feedback.triage') as string[])),
      ]),
    ];
    const conds = [
      scopes.includes('')
        ? sql`true`
        : sql`(${sql.join(
            scopes.map((s) => sql`(r.agency_scope = ${s} or r.agency_scope like ${`${s}/%`} or r.handler_scope like ${`${s}%`})`),
            sql` or `,
          )})`,
    ];
    if (q.state) conds.push(sql`r.state = ${q.state}`);
    if (q.overdue) {
      conds.push(sql`((r.state in ('new', 'moderated', 'triage') and r.accept_due_at < now())
                   or (r.state in ('accepted', 'assigned', 'in_progress') and r.resolve_due_at < now()))`);
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      conds.push(sql`(r.created_at, r.id) < (${c.at}::timestamptz, ${c.id}::uuid)`);
    }
    const limit = Math.min(q.limit ?? 50, 200);
    const rows = await db.rows<ReportRow>(
      sql`${reportSelect} where ${sql.join(conds, sql` and `)} order by r.created_at desc, r.id desc limit ${limit + 1}`,
    );
    const page = rows.slice(0, limit);
    return { items: page.map(staffView), nextCursor: rows.length > limit ? encodeCursor(page.at(-1) as ReportRow) : null };
  }

  /** The signed-in person's own reports and the ones he follows (citizen view: no staff fields). */
  async function mine(ctx: RequestContext, q: { limit?: number }) {
    if (ctx.actor.kind === 'anonymous' || !ctx.actor.accountId) throw problems.unauthorized();
    const limit = Math.min(q.limit ?? 100, 200);
    const own = await db.rows<ReportRow>(
      sql`${reportSelect} where r.reporter_account_id = ${ctx.actor.accountId} order by r.created_at desc limit ${limit}`,
    );
    const followed = await db.rows<ReportRow>(
      sql`${reportSelect} join field_report_followers f on f.report_id = r.id and f.account_id = ${ctx.actor.accountId}
           order by f.created_at desc limit ${limit}`,
    );
    const citizenView = (r: ReportRow) => ({
      ...publicView(r),
      description: r.description,
      isPublic: r.is_public,
      anonymous: r.anonymous,
      acceptDueAt: iso(r.accept_due_at),
      resolveDueAt: iso(r.resolve_due_at),
    });
    return { items: own.map(citizenView), following: followed.filter(isPubliclyVisible).map(publicView) };
  }

  /** What this officer may do with the report now, and the choices for assigning and (at the desk) reassigning. */
  async function options(ctx: RequestContext, id: string) {
    if (ctx.actor.kind === 'anonymous') throw problems.unauthorized();
    const r = await load(id);
    if (!r || !(isStaffFor(ctx, r) || isStaffFor(ctx, r, 'feedback.triage'))) throw notFound();
    const desk = await triageDesk();
    const mayTriage = can(ctx.actor, 'feedback.triage', { scope: desk.path });
    const actions = (Object.keys(allowedFrom) as ReportAction[]).filter((a) => {
      if (CITIZEN_ACTIONS.includes(a) && a !== 'close') return false;
      if (a === 'close') return r.state === 'rated' && isStaffFor(ctx, r);
      if (!isAllowed(a, r.state)) return false;
      if (a === 'extend' && r.extended) return false;
      if (a === 'return' && r.agency_id === desk.id) return false;
      if (TRIAGE_ACTIONS.includes(a)) return mayTriage;
      return can(ctx.actor, 'feedback.handle', { scope: a === 'moderate' ? r.agency_scope : (r.handler_scope ?? r.agency_scope) });
    });
    const agency = (await agencyById(db, r.agency_id)) as AgencyInfo;
    const [departments, officers, agencies] = await Promise.all([
      departmentsOf(db, r.agency_id),
      staffWithRoles(db, agency, ['motcua', 'chuyenvien', 'lanhdao']),
      mayTriage ? triageTargets() : Promise.resolve([]),
    ]);
    return {
      actions,
      departments,
      officers: officers.map((o) => ({ accountId: o.accountId, name: o.name, department: o.department })),
      agencies,
    };
  }

  /** Agencies a triage desk may hand a report to: the communes' People's Committees and the provincial departments. */
  async function triageTargets() {
    return db.rows<{ id: string; code: string; name: string }>(
      sql`select id, code, name from agencies where active and kind in ('ubnd_xa', 'so_nganh', 'ubnd_tinh', 'trung_tam_pvhcc')
           order by kind, name limit 500`,
    );
  }

  /**
   * A photo of a report: on the public board (public reports only), or for the reporter and the unit's staff.
   * The ≤ 1600 px display copy unless `original` (staff and the reporter only: the photo as stored, full size).
   */
  async function photo(ctx: RequestContext | null, id: string, fileId: string, original = false) {
    const r = await load(id);
    const allowed =
      r && (ctx === null ? isPubliclyVisible(r) : isReporter(ctx, r) || isStaffFor(ctx, r) || isStaffFor(ctx, r, 'feedback.triage'));
    if (!r || !allowed || !files || ![...r.photo_ids, ...r.result_photo_ids].includes(fileId)) {
      throw problems.notFound('Không tìm thấy ảnh.');
    }
    const shown = original && ctx !== null ? fileId : await displayFileId(fileId);
    const content = await files.content(systemContext('feedback'), shown);
    return { bytes: content.bytes, mediaType: content.file.mediaType, sha256: content.file.sha256 };
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
      afterPhotos = await storePhotos(ctx, await uploadedPhotos(ctx, body.photoIds), 'photoIds');
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
      let resolveDue: string | null = null;
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
          resolveDue = addWorkingDays(cal, new Date(), c?.resolve_days ?? 5).toISOString();
          set.push(sql`resolve_due_at = ${resolveDue}`);
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
          resolveDue = due.toISOString();
          set.push(sql`extended = true`, sql`resolve_due_at = ${resolveDue}`);
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
      await tell?.(tx, ctx, r, {
        action,
        to,
        resultText: body.resultText?.trim(),
        reason,
        resolveDueAt: resolveDue,
        removed: body.remove === true,
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

  return {
    create,
    nearby,
    follow,
    get,
    queue,
    mine,
    options,
    photo,
    act,
    board,
    publicDetail,
    publicDetailByCode,
    communeFeed,
    categories,
    route,
  };
}

export type FeedbackService = ReturnType<typeof feedbackService>;
