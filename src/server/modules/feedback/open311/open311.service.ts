/**
 * Open311 GeoReport v2 over the field reports (anchors §4.2): services = the active categories, service requests =
 * the public reports, updates = their public events (FixMyStreet extension). Only reports the public board shows
 * (public, moderated, not removed) ever leave through here, and never the reporter's name or contact.
 * A POSTed request is created through FeedbackService.create: the same record as one made in the app.
 */
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../../platform/auth/actor';
import { type Database, sql } from '../../../platform/db/database';
import { Problem } from '../../../platform/http/problem';
import type { FeedbackService } from '../feedback.service';
import { actionNames, type ReportAction, type ReportState, stateNames } from '../feedback.state';

/** Open311 status of our states: open while it is being handled, closed once there is a result. */
export const OPEN311_OPEN: readonly ReportState[] = ['new', 'moderated', 'accepted', 'assigned', 'in_progress', 'triage'];
export const OPEN311_CLOSED: readonly ReportState[] = ['resolved', 'rated', 'closed'];
export const openOrClosed = (s: string): 'open' | 'closed' => ((OPEN311_CLOSED as readonly string[]).includes(s) ? 'closed' : 'open');

/** Default and largest page (the spec's default answer is at most 1000 requests of the last 90 days). */
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 1000;
const DEFAULT_DAYS = 90;
const MAX_RADIUS_M = 10_000;
const DEFAULT_RADIUS_M = 500;

/** An error in the Open311 shape: `[{ code, description }]` with this HTTP status. */
export const o311Error = (status: number, description: string) => new Problem(status, `open311_${status}`, description, description);

/** "Đắk Lắk" → "dak-lak": the jurisdiction_id of this province. */
export function jurisdictionOf(provinceName: string): string {
  return provinceName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const unitKindNames: Record<string, string> = {
  ubnd_xa: 'Ủy ban nhân dân xã, phường',
  so_nganh: 'Sở, ngành',
  trung_tam_pvhcc: 'Trung tâm Phục vụ hành chính công',
  ubnd_tinh: 'Ủy ban nhân dân tỉnh',
  don_vi_su_nghiep: 'Đơn vị sự nghiệp',
};

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

interface RequestRow {
  id: string;
  code: string;
  category_code: string;
  category_name: string;
  description: string;
  state: ReportState;
  lon: number | null;
  lat: number | null;
  address: string | null;
  agency_name: string;
  photo_ids: string[];
  result_text: string | null;
  resolve_due_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
}

/** The only reports Open311 shows: the public board's (public, moderated, not removed). */
const visible = sql`r.is_public and r.moderated_at is not null and r.state <> 'removed'`;

const requestSelect = sql`
  select r.id, r.code, r.category_code, c.name as category_name, coalesce(r.public_description, r.description) as description,
         r.state, r.lon, r.lat, r.address, a.name as agency_name, r.photo_ids, r.result_text, r.resolve_due_at,
         r.created_at, r.updated_at
    from field_reports r
    join field_report_categories c on c.code = r.category_code
    join agencies a on a.id = r.agency_id`;

export interface Attribute {
  code: 'public' | 'anonymous';
  description: string;
  datatypeDescription: string;
}

/** The attributes every service takes (service definition, POST attribute[code]). */
export const ATTRIBUTES: Attribute[] = [
  {
    code: 'public',
    description: 'Công khai phản ánh trên bảng phản ánh (mặc định: có). Phản ánh không công khai chỉ cơ quan xử lý xem được.',
    datatypeDescription: 'true = công khai, false = không công khai',
  },
  {
    code: 'anonymous',
    description: 'Ẩn danh với công chúng (mặc định: không). Cơ quan xử lý vẫn thấy thông tin liên hệ.',
    datatypeDescription: 'true = ẩn danh, false = không ẩn danh',
  },
];

export interface PostInput {
  service_code?: string;
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
  description?: string;
  email?: string;
  phone?: string;
  first_name?: string;
  last_name?: string;
  media_url?: string;
  attributes: Record<string, string>;
  photos: { name: string; bytes: Buffer }[];
}

const PHONE_RE = /^\+?[0-9 .-]{8,20}$/;
const EMAIL_RE = /^[^@\s]+@[^@\s]+$/;

function parseBool(v: string | undefined, code: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  const s = v.toLowerCase();
  if (['true', '1', 'yes', 'co', 'có'].includes(s)) return true;
  if (['false', '0', 'no', 'khong', 'không'].includes(s)) return false;
  throw o311Error(400, `attribute[${code}] phải là true hoặc false.`);
}

/** A W3C date-time (with a timezone) or a date; 400 otherwise. */
function parseDate(v: string | undefined, name: string): Date | null {
  if (v === undefined || v === '') return null;
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(v);
  const d = new Date(v);
  if (!ok || Number.isNaN(d.getTime())) throw o311Error(400, `${name} phải theo định dạng W3C (ví dụ 2026-12-01T00:00:00+07:00).`);
  return d;
}

function parseCoord(v: string | undefined, name: 'lat' | 'long'): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  const max = name === 'lat' ? 90 : 180;
  if (!/^-?\d+(\.\d+)?$/.test(v.trim()) || !Number.isFinite(n) || Math.abs(n) > max) {
    throw o311Error(400, `${name} không hợp lệ (số thập phân WGS84, ${name === 'lat' ? '-90…90' : '-180…180'}).`);
  }
  return n;
}

function parsePaging(q: { page?: string; page_size?: string }) {
  const page = q.page === undefined || q.page === '' ? 1 : Number(q.page);
  const size = q.page_size === undefined || q.page_size === '' ? DEFAULT_PAGE_SIZE : Number(q.page_size);
  if (!Number.isInteger(page) || page < 1 || page > 100_000) throw o311Error(400, 'page phải là số nguyên từ 1.');
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
    throw o311Error(400, `page_size phải là số nguyên từ 1 đến ${MAX_PAGE_SIZE}.`);
  return { page, size };
}

/** Start and end of a search window: both given; one given (90 days from/to it); none (the last 90 days). */
function window(q: { start_date?: string; end_date?: string }) {
  const start = parseDate(q.start_date, 'start_date');
  const end = parseDate(q.end_date, 'end_date');
  const day = 86_400_000;
  const to = end ?? (start ? null : new Date());
  const from = start ?? new Date((to ?? new Date()).getTime() - DEFAULT_DAYS * day);
  if (to && from > to) throw o311Error(400, 'start_date phải trước end_date.');
  return { from, to };
}

export function open311Service(deps: { db: Database; feedback: FeedbackService; publicUrl: string }) {
  const { db, feedback } = deps;
  const base = deps.publicUrl.replace(/\/+$/, '');
  const photoUrl = (reportId: string, fileId: string) => `${base}/api/v1/public/field-reports/${reportId}/photos/${fileId}`;

  function requestView(r: RequestRow) {
    const state = stateNames[r.state] ?? r.state;
    return {
      service_request_id: r.code,
      status: openOrClosed(r.state),
      status_notes: r.result_text && openOrClosed(r.state) === 'closed' ? `${state}: ${r.result_text}` : state,
      service_name: r.category_name,
      service_code: r.category_code,
      description: r.description,
      agency_responsible: r.agency_name,
      service_notice: null,
      requested_datetime: iso(r.created_at) as string,
      updated_datetime: iso(r.updated_at) as string,
      expected_datetime: openOrClosed(r.state) === 'open' ? iso(r.resolve_due_at) : null,
      address: r.address,
      address_id: null,
      zipcode: null,
      lat: r.lat,
      long: r.lon,
      media_url: r.photo_ids[0] ? photoUrl(r.id, r.photo_ids[0]) : null,
    };
  }

  async function categories() {
    return db.rows<{ code: string; name: string; accept_days: number; resolve_days: number; unit_kind: string }>(
      sql`select code, name, accept_days, resolve_days, unit_kind from field_report_categories where active order by sort_order, code`,
    );
  }

  async function services() {
    return (await categories()).map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: `${c.name}. Tiếp nhận trong ${c.accept_days} ngày làm việc, xử lý trong ${c.resolve_days} ngày làm việc.`,
      metadata: ATTRIBUTES.length > 0,
      type: 'realtime' as const,
      keywords: c.name
        .toLowerCase()
        .split(/\s*,\s*/)
        .filter(Boolean)
        .join(','),
      group: unitKindNames[c.unit_kind] ?? c.unit_kind,
    }));
  }

  async function serviceDefinition(code: string) {
    const cat = (await categories()).find((c) => c.code === code);
    if (!cat) throw o311Error(404, `Không có dịch vụ (lĩnh vực phản ánh) "${code}".`);
    return {
      service_code: cat.code,
      attributes: ATTRIBUTES.map((a, i) => ({
        variable: true,
        code: a.code,
        datatype: 'singlevaluelist' as const,
        required: false,
        datatype_description: a.datatypeDescription,
        order: i + 1,
        description: a.description,
        values: [
          { key: 'true', name: 'Có' },
          { key: 'false', name: 'Không' },
        ],
      })),
    };
  }

  async function requests(q: {
    service_request_id?: string;
    service_code?: string;
    start_date?: string;
    end_date?: string;
    status?: string;
    page?: string;
    page_size?: string;
    lat?: string;
    long?: string;
    radius?: string;
  }) {
    const { page, size } = parsePaging(q);
    const conds = [visible];
    const ids = (q.service_request_id ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length > 200) throw o311Error(400, 'Tối đa 200 service_request_id mỗi lần.');
    if (ids.length) {
      // The spec: a list of ids overrides every other filter.
      conds.push(sql`r.code = any(${`{${ids.map((i) => i.replace(/[^A-Za-z0-9-]/g, '')).join(',')}}`}::text[])`);
    } else {
      if (q.service_code) {
        const codes = q.service_code.split(',').map((s) => s.trim());
        conds.push(sql`r.category_code = any(${`{${codes.map((c) => c.replace(/[^a-z0-9_]/g, '')).join(',')}}`}::text[])`);
      }
      const { from, to } = window(q);
      conds.push(sql`r.created_at >= ${from.toISOString()}`);
      if (to) conds.push(sql`r.created_at <= ${to.toISOString()}`);
      if (q.status) {
        const wanted = new Set(q.status.split(',').map((s) => s.trim().toLowerCase()));
        for (const s of wanted) if (s !== 'open' && s !== 'closed') throw o311Error(400, 'status chỉ nhận open, closed.');
        if (wanted.size === 1) {
          const states = wanted.has('open') ? OPEN311_OPEN : OPEN311_CLOSED;
          conds.push(sql`r.state = any(${`{${states.join(',')}}`}::text[])`);
        }
      }
      const lat = parseCoord(q.lat, 'lat');
      const lon = parseCoord(q.long, 'long');
      if ((lat === null) !== (lon === null)) throw o311Error(400, 'Cần cả lat và long để tìm theo vị trí.');
      if (lat !== null && lon !== null) {
        const radius = q.radius === undefined || q.radius === '' ? DEFAULT_RADIUS_M : Number(q.radius);
        if (!Number.isFinite(radius) || radius <= 0 || radius > MAX_RADIUS_M) {
          throw o311Error(400, `radius (mét) phải từ 1 đến ${MAX_RADIUS_M}.`);
        }
        const dLat = radius / 111_320;
        const dLon = radius / (111_320 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
        conds.push(
          sql`r.lat between ${lat - dLat} and ${lat + dLat} and r.lon between ${lon - dLon} and ${lon + dLon}`,
          sql`6371000 * 2 * asin(sqrt(power(sin(radians(r.lat - ${lat}) / 2), 2)
                + cos(radians(${lat})) * cos(radians(r.lat)) * power(sin(radians(r.lon - ${lon}) / 2), 2))) <= ${radius}`,
        );
      }
    }
    const rows = await db.rows<RequestRow>(
      sql`${requestSelect} where ${sql.join(conds, sql` and `)}
          order by r.created_at desc, r.id desc limit ${size + 1} offset ${(page - 1) * size}`,
    );
    return { items: rows.slice(0, size).map(requestView), more: rows.length > size, page, size };
  }

  async function request(code: string) {
    const [r] = await db.rows<RequestRow>(sql`${requestSelect} where r.code = ${code} and ${visible}`);
    if (!r) throw o311Error(404, `Không tìm thấy yêu cầu ${code} (hoặc yêu cầu chưa được công khai).`);
    return [requestView(r)];
  }

  /** The requests created with this token (made through Open311). */
  async function token(tok: string) {
    const rows = await db.rows<{ code: string }>(
      sql`select code from field_reports where request_key = ${tok} and request_scope like 'open311:%' order by created_at`,
    );
    if (!rows.length) throw o311Error(404, 'Không tìm thấy token.');
    return rows.map((r) => ({ service_request_id: r.code, token: tok }));
  }

  /** FixMyStreet extension: public events of public reports within the window. */
  async function updates(q: { start_date?: string; end_date?: string; page?: string; page_size?: string }) {
    const { page, size } = parsePaging(q);
    const { from, to } = window(q);
    const rows = await db.rows<{
      id: string;
      report_id: string;
      code: string;
      action: string;
      to_state: string;
      note: string | null;
      file_ids: string[];
      created_at: string | Date;
    }>(
      sql`select e.id, e.report_id, r.code, e.action, e.to_state, e.note, e.file_ids, e.created_at
            from field_report_events e
            join field_reports r on r.id = e.report_id
           where e.public and ${visible} and e.created_at >= ${from.toISOString()}
             ${to ? sql`and e.created_at <= ${to.toISOString()}` : sql``}
           order by e.created_at, e.seq, e.id limit ${size + 1} offset ${(page - 1) * size}`,
    );
    const items = rows.slice(0, size).map((e) => ({
      update_id: e.id,
      service_request_id: e.code,
      status: openOrClosed(e.to_state),
      updated_datetime: iso(e.created_at) as string,
      description: e.note ?? actionNames[e.action as ReportAction] ?? e.action,
      media_url: e.file_ids[0] ? photoUrl(e.report_id, e.file_ids[0]) : null,
    }));
    return { items, more: rows.length > size, page, size };
  }

  /** POST requests: validates the Open311 fields, then FeedbackService.create for the client. */
  async function post(ctx: RequestContext, client: { id: string }, input: PostInput, idempotencyKey: string | null) {
    const code = input.service_code?.trim();
    if (!code) throw o311Error(400, 'Thiếu service_code.');
    if (!(await categories()).some((c) => c.code === code)) throw o311Error(400, `Không có dịch vụ (lĩnh vực phản ánh) "${code}".`);
    const lat = parseCoord(input.lat, 'lat');
    const lon = parseCoord(input.long, 'long');
    if ((lat === null) !== (lon === null)) throw o311Error(400, 'Cần cả lat và long.');
    const address = input.address_string?.trim() || undefined;
    if (lat === null && !address) {
      throw o311Error(
        400,
        input.address_id ? 'address_id không được hỗ trợ: hãy gửi lat, long hoặc address_string.' : 'Cần lat và long hoặc address_string.',
      );
    }
    if (address && address.length > 500) throw o311Error(400, 'address_string không được dài quá 500 ký tự.');
    const description = input.description?.trim();
    if (!description) throw o311Error(400, 'Thiếu description (mô tả sự việc).');
    if (description.length > 2000) throw o311Error(400, 'description không được dài quá 2000 ký tự.');
    const email = input.email?.trim() || undefined;
    const phone = input.phone?.trim() || undefined;
    if (email && (email.length > 254 || !EMAIL_RE.test(email))) throw o311Error(400, 'email không hợp lệ.');
    if (phone && !PHONE_RE.test(phone)) throw o311Error(400, 'phone không hợp lệ.');
    if (!email && !phone) throw o311Error(400, 'Cần email hoặc phone của người phản ánh để cơ quan liên hệ.');
    const name =
      [input.first_name, input.last_name]
        .map((s) => s?.trim())
        .filter(Boolean)
        .join(' ')
        .slice(0, 200) || undefined;
    for (const k of Object.keys(input.attributes)) {
      if (!ATTRIBUTES.some((a) => a.code === k)) throw o311Error(400, `Không có thuộc tính attribute[${k}].`);
    }
    if (input.photos.length > 5) throw o311Error(400, 'Tối đa 5 tệp media.');
    const tok = idempotencyKey ?? randomBytes(18).toString('base64url');
    const report = await feedback.create(
      ctx,
      {
        categoryCode: code,
        description,
        ...(lat !== null && lon !== null ? { location: { lon, lat } } : {}),
        ...(address ? { address } : {}),
        isPublic: parseBool(input.attributes.public, 'public') ?? true,
        anonymous: parseBool(input.attributes.anonymous, 'anonymous') ?? false,
        contact: { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
      },
      tok,
      { channel: 'open311', photos: input.photos, requestScope: `open311:${client.id}` },
    );
    const notices = ['Phản ánh đã được gửi; phản ánh công khai sẽ hiện trên bảng phản ánh sau khi cơ quan biên tập.'];
    if (input.media_url) notices.push('media_url không được tải về (vì an toàn); hãy gửi ảnh trong trường tệp "media".');
    return [{ service_request_id: report.code, token: tok, service_notice: notices.join(' '), account_id: null }];
  }

  return { services, serviceDefinition, requests, request, token, updates, post };
}

export type Open311Service = ReturnType<typeof open311Service>;
