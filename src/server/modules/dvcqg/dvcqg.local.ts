/**
 * The local national portal: a stand-in for Cổng DVC quốc gia that speaks the same JSON over HTTP.
 * Mounted by the app under /dvcqg-local when DVCQG_URL is unset (dev, demo, tests), so the province's
 * pushes, pulls and downloads really travel over HTTP and are really checked.
 *
 * - Token (LayMaXacThuc): issues a session token for the API key (any caller when DVCQG_API_KEY is
 *   unset); every other endpoint requires a valid, unexpired token.
 * - Sync (DongBoHoSoMC): validates each message like the real portal, answers `{ error_code, message }`
 *   and records every message — accepted or refused — in `dvcqg_local_received`.
 * - List (LayDanhSachHoSo) and files: serve the dossiers "filed on the national portal" through the
 *   admins' test-filing route, so the demo can show one arriving; what it served is recorded in
 *   `dvcqg_local_served`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Config } from '../../config';
import { requireAccess } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import { localIsoDate } from '../../platform/calendar';
import { type Database, isUniqueViolation } from '../../platform/db/database';
import { decodeCursorPair, Page, pageOf } from '../../platform/http/pagination';
import { Problem, problems } from '../../platform/http/problem';
import type { App } from '../../platform/http/types';
import { currentProcedure } from '../catalog';
import { DOSSIER_CODE_RE } from '../dossiers';
import { AUTH_SERVICE, LOCAL_AUTH_PATH, LOCAL_FILE_PATH, LOCAL_PULL_PATH, LOCAL_SYNC_PATH } from './dvcqg.client';
import { dvcqgDate, errorCodes, parseDvcqgDate, type SyncAnswer, SyncRejection, validateEnvelope } from './dvcqg.payload';
import { PULL_SERVICE } from './dvcqg.pull';
import { dvcqgRepo, type NewReceived } from './dvcqg.repo';
import {
  FiledItem,
  FileLocalBody,
  ListAnswerSchema,
  ReceivedItem,
  ReceivedQuery,
  ServedItem,
  ServedQuery,
  SyncAnswerSchema,
  TokenAnswerSchema,
} from './dvcqg.schemas';

const OK: SyncAnswer = { error_code: errorCodes.OK, message: 'Thành công' };
const AUTHEN: SyncAnswer = { error_code: errorCodes.AUTHEN_ERROR, message: 'AUTHEN_ERROR: mã xác thực không hợp lệ hoặc đã hết hạn' };

/** How long a session token of the local portal lasts. */
export const LOCAL_SESSION_SECONDS = 30 * 60;

const digest = (s: string) => createHash('sha256').update(s).digest();
const sha256 = (s: string) => digest(s).toString('hex');

/** Constant-time comparison of the presented key with the configured one. */
function keyMatches(given: unknown, key: string): boolean {
  return timingSafeEqual(digest(typeof given === 'string' ? given : ''), digest(key));
}

const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : '');

const str = (v: unknown) => (typeof v === 'string' && v.length <= 200 ? v : null);
const statusOf = (v: unknown) => {
  const n = typeof v === 'string' && /^\d{1,2}$/.test(v) ? Number(v) : null;
  return n !== null && n >= 1 && n <= 10 ? n : null;
};

/** One recorded row per dossier in the message (or one for the whole message when it has none). */
function rowsOf(body: unknown, answer: SyncAnswer): NewReceived[] {
  const o = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const service = str(o.service);
  const data = Array.isArray(o.data) ? o.data.slice(0, 100) : [];
  const base = { service, errorCode: answer.error_code, message: answer.message };
  const records = data.filter((h): h is Record<string, unknown> => typeof h === 'object' && h !== null && !Array.isArray(h));
  if (!records.length) return [{ ...base, maHoSo: null, trangThai: null, payload: body ?? null }];
  return records.map((h) => ({ ...base, maHoSo: str(h.MaHoSo), trangThai: statusOf(h.TrangThaiHoSo), payload: h }));
}

/** A small real PDF standing for a scanned paper of the test dossier. */
async function samplePaper(title: string, code: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  // Standard fonts have no Vietnamese glyphs: the sample text is ASCII.
  page.drawText(`Cong DVC quoc gia (gia lap) - ho so ${code}`, { x: 50, y: 780, size: 14, font });
  page.drawText(`Tai lieu: ${title.normalize('NFD').replace(/[^\x20-\x7e]/g, '')}`, { x: 50, y: 750, size: 12, font });
  return Buffer.from(await doc.save());
}

/** The applicant of a test filing, when the admin gives no form (fields every demo procedure asks). */
const demoApplicant: Record<string, string> = {
  ho_ten: 'Trần Thị Mai',
  ngay_sinh: '1988-03-21',
  so_dinh_danh: '066188004321',
  so_dien_thoai: '0905123456',
  email: 'tranthimai@example.vn',
  dia_chi_don_vi: '24133',
  dia_chi: '45 Phan Bội Châu',
  noi_dung_yeu_cau: 'Hồ sơ nộp trên Cổng Dịch vụ công quốc gia (thử nghiệm).',
};

export function localPortal(db: Database, config: Pick<Config, 'dvcqg' | 'publicUrl'>) {
  const repo = dvcqgRepo(db);
  const base = config.publicUrl.replace(/\/$/, '');

  const sessionOk = async (authorization: string | undefined) => {
    const token = bearer(authorization);
    return token !== '' && (await repo.sessionValid(sha256(token)));
  };

  return {
    /** LayMaXacThuc: a session token for the API key. */
    async token(body: unknown): Promise<SyncAnswer & { session?: string; expires?: string }> {
      const o = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      let answer: SyncAnswer & { session?: string; expires?: string };
      if (o.service !== AUTH_SERVICE) {
        answer = { error_code: errorCodes.DATA_INCORRECT, message: `Dịch vụ "${String(o.service ?? '')}" không được hỗ trợ` };
      } else if (config.dvcqg.apiKey && !keyMatches(o.apiKey, config.dvcqg.apiKey)) {
        answer = { error_code: errorCodes.AUTHEN_ERROR, message: 'AUTHEN_ERROR: khóa truy cập không hợp lệ' };
      } else {
        const session = randomBytes(32).toString('base64url');
        const expires = new Date(Math.floor(Date.now() / 1000) * 1000 + LOCAL_SESSION_SECONDS * 1000);
        await repo.insertSession(sha256(session), expires);
        answer = { ...OK, session, expires: dvcqgDate(expires) };
      }
      const detail = answer.expires ? { expires: answer.expires } : {};
      await repo.insertServed({ endpoint: 'token', errorCode: answer.error_code, message: answer.message, detail });
      return answer;
    },

    /** DongBoHoSoMC: handles one sync message as the national portal would. */
    async receive(body: unknown, authorization: string | undefined): Promise<SyncAnswer> {
      let answer: SyncAnswer = OK;
      if (!(await sessionOk(authorization))) {
        answer = AUTHEN;
      } else {
        try {
          validateEnvelope(body);
        } catch (e) {
          if (!(e instanceof SyncRejection)) throw e;
          answer = { error_code: e.code, message: e.message };
        }
      }
      await repo.insertReceived(rowsOf(body, answer));
      return answer;
    },

    /** LayDanhSachHoSo: dossiers filed since TuNgay (inclusive), oldest first, one page. */
    async list(body: unknown, authorization: string | undefined): Promise<SyncAnswer & { TongSo?: number; data?: unknown[] }> {
      const o = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const asked = { TuNgay: o.TuNgay ?? null, TrangSo: o.TrangSo ?? null, SoLuong: o.SoLuong ?? null };
      const refuse = async (a: SyncAnswer) => {
        await repo.insertServed({ endpoint: 'list', errorCode: a.error_code, message: a.message, detail: asked });
        return a;
      };
      if (!(await sessionOk(authorization))) return refuse(AUTHEN);
      if (o.service !== PULL_SERVICE) {
        return refuse({ error_code: errorCodes.DATA_INCORRECT, message: `Dịch vụ "${String(o.service ?? '')}" không được hỗ trợ` });
      }
      const since = o.TuNgay === undefined || o.TuNgay === null || o.TuNgay === '' ? null : parseDvcqgDate(String(o.TuNgay));
      if (since === null && o.TuNgay) {
        return refuse({ error_code: errorCodes.DATA_TYPE_INVALID, message: 'Trường TuNgay không đúng định dạng yyyyMMddHHmmss' });
      }
      const page = o.TrangSo ?? 1;
      const size = o.SoLuong ?? 50;
      if (!Number.isInteger(page) || (page as number) < 1) {
        return refuse({ error_code: errorCodes.DATA_TYPE_INVALID, message: 'Trường TrangSo phải là số nguyên từ 1' });
      }
      if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 100) {
        return refuse({ error_code: errorCodes.DATA_INCORRECT, message: 'Trường SoLuong phải từ 1 đến 100' });
      }
      const { total, rows } = await repo.listFiled(since, page as number, size as number);
      await repo.insertServed({
        endpoint: 'list',
        errorCode: 0,
        message: OK.message,
        detail: { ...asked, codes: rows.map((r) => r.maHoSo) },
      });
      return { ...OK, TongSo: total, data: rows.map((r) => r.record) };
    },

    /** A file of a filed dossier; null with the answer when refused. */
    async file(id: string, authorization: string | undefined) {
      if (!(await sessionOk(authorization))) {
        await repo.insertServed({ endpoint: 'file', errorCode: AUTHEN.error_code, message: AUTHEN.message, detail: { fileId: id } });
        return { status: 401 as const, answer: AUTHEN };
      }
      const f = /^[0-9a-f-]{36}$/i.test(id) ? await repo.localFile(id) : null;
      if (!f) {
        const answer = { error_code: 201, message: 'RECORD_NOT_FOUND: không có tệp này' };
        await repo.insertServed({ endpoint: 'file', errorCode: 201, message: answer.message, detail: { fileId: id } });
        return { status: 404 as const, answer };
      }
      await repo.insertServed({
        endpoint: 'file',
        errorCode: 0,
        message: OK.message,
        detail: { fileId: id, maHoSo: f.maHoSo, name: f.name },
      });
      return { status: 200 as const, file: f };
    },

    /**
     * Files a test dossier "on the national portal" (admins), so that the next pull brings it in.
     * Defaults come from the province's catalogue: the procedure's name, its agency when it has one,
     * a file for each required component, a demo applicant.
     */
    async fileTest(ctx: RequestContext, body: FileLocalBody) {
      requireAccess(ctx.actor, 'jobs.manage');
      const p = await currentProcedure(db, body.MaTTHC);
      const agency = body.MaDonViXuLy
        ? (p?.agencies.find((a) => a.code === body.MaDonViXuLy) ?? { code: body.MaDonViXuLy, name: body.MaDonViXuLy })
        : p?.agencies.length === 1
          ? p.agencies[0]
          : undefined;
      if (!agency) {
        throw problems.validation([{ field: 'MaDonViXuLy', message: 'Vui lòng nhập mã định danh cơ quan giải quyết' }]);
      }
      const at = body.NgayNopHoSo ? parseDvcqgDate(body.NgayNopHoSo) : new Date(Math.floor(Date.now() / 1000) * 1000);
      if (!at) throw problems.validation([{ field: 'NgayNopHoSo', message: 'Ngày nộp phải theo định dạng yyyyMMddHHmmss' }]);
      const day = localIsoDate(at).slice(2).replaceAll('-', '');
      // The portal's own numbering: "00" (the centralised system) + the day's sequence, so it never meets the province's.
      const code = body.MaHoSo ?? `${agency.code}-${day}-00${String((await repo.filedCount(day)) + 1).padStart(4, '0')}`;
      if (!DOSSIER_CODE_RE.test(code) && !body.MaHoSo) {
        throw problems.validation([{ field: 'MaDonViXuLy', message: 'Mã định danh cơ quan không hợp lệ' }]);
      }
      const keys = body.ThanhPhan ?? p?.components.filter((c) => c.required).map((c) => c.key) ?? [];
      const papers = await Promise.all(
        keys.map(async (key) => {
          const name = p?.components.find((c) => c.key === key)?.name ?? key;
          return { key, name: `${key}.pdf`, mediaType: 'application/pdf', bytes: await samplePaper(name, code) };
        }),
      );
      const formKeys = new Set(p?.form.fields.map((f) => f.key) ?? Object.keys(demoApplicant));
      const form = body.DuLieuToKhai ?? Object.fromEntries(Object.entries(demoApplicant).filter(([k]) => formKeys.has(k)));
      const s = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      try {
        return await repo.insertFiled({ maHoSo: code, filedAt: at, createdBy: ctx.actor.label }, papers, (ids) => ({
          MaHoSo: code,
          MaTTHC: body.MaTTHC,
          TenTTHC: p?.name ?? body.MaTTHC,
          MaDonViXuLy: agency.code,
          DonViXuLy: agency.name,
          KenhThucHien: '2',
          ChuHoSo: s(form.ho_ten) ?? s(form.ten_to_chuc) ?? 'Người nộp thử nghiệm',
          SoGiayToChuHoSo: s(form.so_dinh_danh),
          SoDienThoai: s(form.so_dien_thoai),
          Email: s(form.email),
          NgayNopHoSo: dvcqgDate(at),
          TrangThaiHoSo: '1',
          DuLieuToKhai: form,
          TaiLieuNop: papers.map((f, i) => ({
            TepDinhKemId: ids[i],
            TenTepDinhKem: f.name,
            MaThanhPhanHoSo: f.key,
            DuongDanTaiTepTin: `${base}${LOCAL_FILE_PATH}/${ids[i]}`,
          })),
        }));
      } catch (e) {
        if (isUniqueViolation(e)) throw problems.conflict('dvcqg_code_taken', 'Mã hồ sơ đã có', `Cổng giả lập đã có hồ sơ ${code}.`);
        throw e;
      }
    },

    /** What the local portal received, newest first (admins). */
    async received(ctx: RequestContext, q: ReceivedQuery) {
      requireAccess(ctx.actor, 'jobs.manage');
      const limit = q.limit ?? 50;
      const rows = await repo.listReceived(q.code?.trim() || undefined, decodeCursorPair(q.cursor), limit);
      return pageOf(rows, limit, (r) => [r.receivedAt, r.id]);
    },

    /** What the local portal served (tokens, list pages, files), newest first (admins). */
    async served(ctx: RequestContext, q: ServedQuery) {
      requireAccess(ctx.actor, 'jobs.manage');
      const limit = q.limit ?? 50;
      const rows = await repo.listServed(q.endpoint, decodeCursorPair(q.cursor), limit);
      return pageOf(rows, limit, (r) => [r.servedAt, r.id]);
    },
  };
}

export type LocalPortal = ReturnType<typeof localPortal>;

export function registerLocalPortalRoutes(app: App, portal: LocalPortal): void {
  const local = ['dvcqg-local'];
  const onlyLocal = 'Chỉ có khi chưa cấu hình DVCQG_URL (phát triển, demo, kiểm thử).';

  app.post(
    LOCAL_AUTH_PATH,
    {
      schema: {
        tags: local,
        summary: 'Cổng DVCQG giả lập: lấy mã xác thực phiên (LayMaXacThuc)',
        description:
          `${onlyLocal} Nhận \`{ service: "LayMaXacThuc", apiKey }\`, trả \`{ error_code, message, session, expires }\` ` +
          '(expires: yyyyMMddHHmmss giờ Việt Nam). Khi đặt DVCQG_API_KEY, apiKey phải khớp; mã phiên dùng làm `Authorization: Bearer <session>`.',
        body: Type.Unknown({ description: 'Yêu cầu lấy mã xác thực (JSON)' }),
        response: { 200: TokenAnswerSchema },
      },
    },
    async (req) => portal.token(req.body),
  );

  app.post(
    LOCAL_SYNC_PATH,
    {
      schema: {
        tags: local,
        summary: 'Cổng DVCQG giả lập: nhận thông điệp đồng bộ hồ sơ (DongBoHoSoMC)',
        description:
          `${onlyLocal} Nhận \`{ service: "DongBoHoSoMC", isUpdating, data: [HoSoDongBoDVC] }\`, ` +
          'kiểm tra như Cổng DVC quốc gia và trả `{ error_code, message }` (0 = thành công). Mọi thông điệp đều được lưu lại. ' +
          'Cần `Authorization: Bearer <mã phiên>` (LayMaXacThuc); thiếu hoặc hết hạn: error_code 100.',
        body: Type.Unknown({ description: 'Thông điệp đồng bộ (JSON)' }),
        response: { 200: SyncAnswerSchema },
      },
    },
    async (req) => portal.receive(req.body, req.headers.authorization),
  );

  app.post(
    LOCAL_PULL_PATH,
    {
      schema: {
        tags: local,
        summary: 'Cổng DVCQG giả lập: danh sách hồ sơ nộp trên Cổng (LayDanhSachHoSo)',
        description:
          `${onlyLocal} Nhận \`{ service: "LayDanhSachHoSo", TuNgay, TrangSo, SoLuong }\` (TuNgay yyyyMMddHHmmss, tính cả thời điểm đó; ` +
          'rỗng = từ đầu), trả `{ error_code, message, TongSo, data }` theo NgayNopHoSo rồi MaHoSo tăng dần. Cần mã phiên.',
        body: Type.Unknown({ description: 'Yêu cầu danh sách (JSON)' }),
        response: { 200: ListAnswerSchema },
      },
    },
    async (req) => portal.list(req.body, req.headers.authorization),
  );

  app.get(
    `${LOCAL_FILE_PATH}/:id`,
    {
      schema: {
        tags: local,
        summary: 'Cổng DVCQG giả lập: tải tệp đính kèm của hồ sơ (DuongDanTaiTepTin)',
        description: `${onlyLocal} Cần \`Authorization: Bearer <mã phiên>\`; sai hoặc hết hạn: HTTP 401.`,
        params: Type.Object({ id: Type.String({ maxLength: 60, description: 'TepDinhKemId' }) }),
      },
    },
    async (req, reply) => {
      const r = await portal.file(req.params.id, req.headers.authorization);
      // Refusals as problem details like every route of this server (the client reads only the status).
      if (r.status === 401) throw problems.unauthorized();
      if (r.status !== 200) throw new Problem(r.status, 'portal_file_refused', 'Không tải được tệp', r.answer.message);
      return reply
        .header('content-type', r.file.mediaType)
        .header('content-disposition', `attachment; filename="${r.file.name.replace(/[^\w.-]/g, '_')}"`)
        .send(r.file.bytes);
    },
  );

  app.post(
    '/api/v1/dvcqg/local/filed',
    {
      schema: {
        tags: ['dvcqg'],
        summary: 'Cổng DVCQG giả lập: nộp thử một hồ sơ trên Cổng',
        description:
          'Tạo một hồ sơ "nộp trên Cổng DVC quốc gia" (kèm tệp PDF mẫu cho từng thành phần) để lần kéo hồ sơ tiếp theo đưa về ' +
          `bộ phận một cửa. ${onlyLocal} Cần quyền \`jobs.manage\`.`,
        body: FileLocalBody,
        response: { 201: FiledItem },
        security: [{ session: [] }],
      },
    },
    async (req, reply) => reply.code(201).send(await portal.fileTest(req.ctx, req.body)),
  );

  app.get(
    '/api/v1/dvcqg/local/received',
    {
      schema: {
        tags: ['dvcqg'],
        summary: 'Cổng DVCQG giả lập: các thông điệp đã nhận',
        description:
          'Những gì tỉnh đã gửi lên Cổng DVCQG giả lập (cả thông điệp bị từ chối và mã lỗi), mới nhất trước. Cần quyền `jobs.manage`.',
        querystring: ReceivedQuery,
        response: { 200: Page(ReceivedItem) },
        security: [{ session: [] }],
      },
    },
    async (req) => portal.received(req.ctx, req.query),
  );

  app.get(
    '/api/v1/dvcqg/local/served',
    {
      schema: {
        tags: ['dvcqg'],
        summary: 'Cổng DVCQG giả lập: những gì Cổng đã cung cấp',
        description:
          'Mã xác thực đã cấp, các trang danh sách hồ sơ và tệp đã tải (kèm mã lỗi nếu bị từ chối), mới nhất trước. Cần quyền `jobs.manage`.',
        querystring: ServedQuery,
        response: { 200: Page(ServedItem) },
        security: [{ session: [] }],
      },
    },
    async (req) => portal.served(req.ctx, req.query),
  );
}
