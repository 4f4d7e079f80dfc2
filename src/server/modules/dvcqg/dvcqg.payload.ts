/**
 * The dossier-sync message of the national portal (Cổng DVC quốc gia): the "HoSoDongBoDVC" record
 * (spec §1.3) inside the `DongBoHoSoMC` envelope, and its checks. Pure: the worker builds it from the
 * dossier as it is now, the local portal validates what it receives with the same rules.
 *
 * Dates are `yyyyMMddHHmmss` in Vietnam time (UTC+7, no daylight saving), as provincial systems send
 * them to DVCQG; codes (TrangThaiHoSo, KenhThucHien, LoaiDoiTuong) are strings of digits.
 * Fields the platform does not know yet are left out rather than sent empty.
 */

/** The envelope's service name for pushing dossiers (one-stop dossier sync). */
export const SYNC_SERVICE = 'DongBoHoSoMC';

/** Error codes answered by the portal (the LGSP/NGSP convention, spec §8.2); 0 = accepted. */
export const errorCodes = {
  OK: 0,
  AUTHEN_ERROR: 100,
  RECORD_UNCOMPLETE: 200,
  DATA_TYPE_INVALID: 302,
  DATA_INCORRECT: 500,
} as const;

export interface SyncAnswer {
  error_code: number;
  message: string;
}

export interface TaiLieuNop {
  TepDinhKemId: string;
  TenTepDinhKem: string;
  IsDeleted: boolean;
  MaThanhPhanHoSo: string;
  DuocTaiSuDung: boolean;
}

export interface HoSoBoSung {
  HoSoBoSungId: string;
  NguoiYeuCauBoSung: string;
  NoiDungBoSung: string;
  NgayBoSung: string;
  NguoiTiepNhanBoSung?: string;
  NgayTiepNhanBoSung?: string;
  /** 1 = chờ bổ sung, 2 = đã bổ sung (local convention, documented in docs/dvcqg.md). */
  TrangThaiBoSung: '1' | '2';
}

export interface QuaTrinhXuLy {
  MaHoSo: string;
  NguoiXuLy: string;
  ThoiDiemXuLy: string;
  NoiDungXuLy: string;
  TrangThai?: string;
  NgayBatDau?: string;
  NgayKetThucTheoQuyDinh?: string;
}

export interface HoSoDongBoDVC {
  MaHoSo: string;
  MaTTHC: string;
  TenTTHC: string;
  TenLinhVuc?: string;
  KenhThucHien: '1' | '2' | '3';
  ChuHoSo: string;
  SoGiayToChuHoSo?: string;
  LoaiDoiTuong?: string;
  Email?: string;
  SoDienThoai?: string;
  TrichYeuHoSo?: string;
  NgayNopHoSo: string;
  NgayTiepNhan?: string;
  NgayHenTra?: string;
  NgayTuChoi?: string;
  TrangThaiHoSo: string;
  DonViXuLy: string;
  TaiLieuNop: TaiLieuNop[];
  DanhSachHoSoBoSung: HoSoBoSung[];
  QuaTrinhXuLy: QuaTrinhXuLy[];
}

export interface SyncEnvelope {
  service: typeof SYNC_SERVICE;
  /** false on the first accepted push of a dossier, true afterwards. */
  isUpdating: boolean;
  data: HoSoDongBoDVC[];
}

/** What the worker knows of a dossier (read from the database as it is now). */
export interface DossierSource {
  code: string;
  procedureCode: string;
  procedureName: string;
  procedureField: string | null;
  agencyName: string;
  channel: 1 | 2 | 3;
  publicStatus: number;
  applicant: { kind?: string; name?: string; idNumber?: string | null; phone?: string | null; email?: string | null };
  summary: string | null;
  submittedAt: string;
  receivedAt: string | null;
  dueAt: string | null;
  refusedAt: string | null;
  files: { fileId: string; componentKey: string; name: string; superseded: boolean; reused: boolean }[];
  actions: {
    seq: number;
    action: string;
    actionName: string;
    at: string;
    actorLabel: string;
    note: string | null;
    payload: Record<string, unknown>;
    /** The public status right after this action (null for drafts or when unknown). */
    statusAfter: number | null;
  }[];
}

const VN_OFFSET_MS = 7 * 3600_000;

/** `yyyyMMddHHmmss` in Vietnam time. */
export function dvcqgDate(v: string | Date): string {
  const d = new Date(new Date(v).getTime() + VN_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Parses `yyyyMMddHHmmss` (Vietnam time); null when malformed or not a real date. */
export function parseDvcqgDate(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return null;
  return new Date(t - VN_OFFSET_MS);
}

const loaiDoiTuong: Record<string, string> = { citizen: '1', business: '2' };

/** Only the keys that have a value (the portal reads a missing key as "not known"). */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
}

const opt = (v: string | null | undefined) => (v ? v : undefined);
const optDate = (v: string | null | undefined) => (v ? dvcqgDate(v) : undefined);

function supplementsOf(d: DossierSource): HoSoBoSung[] {
  const out: HoSoBoSung[] = [];
  for (const a of d.actions) {
    if (a.action === 'request_supplement') {
      const items = Array.isArray(a.payload.items) ? (a.payload.items as { text?: unknown }[]) : [];
      const lines = items.map((i, n) => `${n + 1}. ${String(i.text ?? '')}`);
      if (typeof a.payload.reason === 'string') lines.push(`Lý do: ${a.payload.reason}`);
      out.push({
        HoSoBoSungId: `${d.code}-${a.seq}`,
        NguoiYeuCauBoSung: a.actorLabel,
        NoiDungBoSung: lines.join('\n'),
        NgayBoSung: dvcqgDate(a.at),
        TrangThaiBoSung: '1',
      });
    } else if (a.action === 'supplement') {
      const open = out.at(-1);
      if (open && open.TrangThaiBoSung === '1') {
        Object.assign(open, { NguoiTiepNhanBoSung: a.actorLabel, NgayTiepNhanBoSung: dvcqgDate(a.at), TrangThaiBoSung: '2' });
      }
    }
  }
  return out;
}

function trailOf(d: DossierSource): QuaTrinhXuLy[] {
  return d.actions
    .filter((a) => a.statusAfter !== null)
    .map((a) => {
      const start = a.action === 'receive' || a.action === 'supplement';
      const due = typeof a.payload.dueAt === 'string' ? a.payload.dueAt : null;
      return compact({
        MaHoSo: d.code,
        NguoiXuLy: a.actorLabel,
        ThoiDiemXuLy: dvcqgDate(a.at),
        NoiDungXuLy: a.note ? `${a.actionName}: ${a.note}` : a.actionName,
        TrangThai: a.statusAfter === null ? undefined : String(a.statusAfter),
        NgayBatDau: start && due ? dvcqgDate(a.at) : undefined,
        NgayKetThucTheoQuyDinh: start && due ? dvcqgDate(due) : undefined,
      });
    });
}

/** The HoSoDongBoDVC record of a dossier as it is now. */
export function buildHoSo(d: DossierSource): HoSoDongBoDVC {
  const a = d.applicant;
  return compact({
    MaHoSo: d.code,
    MaTTHC: d.procedureCode,
    TenTTHC: d.procedureName,
    TenLinhVuc: opt(d.procedureField),
    KenhThucHien: String(d.channel) as '1' | '2' | '3',
    ChuHoSo: a.name ?? '',
    SoGiayToChuHoSo: opt(a.idNumber),
    LoaiDoiTuong: a.kind ? loaiDoiTuong[a.kind] : undefined,
    Email: opt(a.email),
    SoDienThoai: opt(a.phone),
    TrichYeuHoSo: opt(d.summary),
    NgayNopHoSo: dvcqgDate(d.submittedAt),
    NgayTiepNhan: optDate(d.receivedAt),
    NgayHenTra: optDate(d.dueAt),
    NgayTuChoi: optDate(d.refusedAt),
    TrangThaiHoSo: String(d.publicStatus),
    DonViXuLy: d.agencyName,
    // Applicant's components only; forms the office issued (Mẫu 01–03) are not "tài liệu nộp".
    TaiLieuNop: d.files
      .filter((f) => f.componentKey !== '_issued')
      .map((f) => ({
        TepDinhKemId: f.fileId,
        TenTepDinhKem: f.name,
        IsDeleted: f.superseded,
        MaThanhPhanHoSo: f.componentKey,
        DuocTaiSuDung: f.reused,
      })),
    DanhSachHoSoBoSung: supplementsOf(d),
    QuaTrinhXuLy: trailOf(d),
  });
}

// -------------------------------------------------------------------------------------------------
// Validation (the local portal's rules)
// -------------------------------------------------------------------------------------------------

export class SyncRejection extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (code: number, message: string): never => {
  throw new SyncRejection(code, message);
};

function requireString(o: Record<string, unknown>, key: string, at: string, max = 500): string {
  const v = o[key];
  if (v === undefined || v === null || v === '') fail(errorCodes.RECORD_UNCOMPLETE, `Thiếu trường bắt buộc ${at}${key}`);
  if (typeof v !== 'string') fail(errorCodes.DATA_TYPE_INVALID, `Trường ${at}${key} phải là chuỗi`);
  if ((v as string).length > max) fail(errorCodes.DATA_INCORRECT, `Trường ${at}${key} dài quá ${max} ký tự`);
  return v as string;
}

function checkDate(o: Record<string, unknown>, key: string, at: string, required = false): Date | null {
  if (o[key] === undefined || o[key] === null || o[key] === '') {
    if (required) fail(errorCodes.RECORD_UNCOMPLETE, `Thiếu trường bắt buộc ${at}${key}`);
    return null;
  }
  const v = o[key];
  if (typeof v !== 'string') return fail(errorCodes.DATA_TYPE_INVALID, `Trường ${at}${key} phải là chuỗi ngày giờ yyyyMMddHHmmss`);
  return parseDvcqgDate(v) ?? fail(errorCodes.DATA_TYPE_INVALID, `Trường ${at}${key} không đúng định dạng yyyyMMddHHmmss`);
}

function checkCode(o: Record<string, unknown>, key: string, at: string, allowed: readonly string[], required = true): void {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (required) fail(errorCodes.RECORD_UNCOMPLETE, `Thiếu trường bắt buộc ${at}${key}`);
    return;
  }
  if (typeof v !== 'string') fail(errorCodes.DATA_TYPE_INVALID, `Trường ${at}${key} phải là chuỗi mã`);
  if (!allowed.includes(v as string)) fail(errorCodes.DATA_INCORRECT, `Giá trị ${at}${key} = "${String(v)}" không có trong danh mục`);
}

function checkArray(o: Record<string, unknown>, key: string, at: string, each: (item: Record<string, unknown>, at: string) => void): void {
  const v = o[key];
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) fail(errorCodes.DATA_TYPE_INVALID, `Trường ${at}${key} phải là mảng`);
  (v as unknown[]).forEach((item, i) => {
    const here = `${at}${key}[${i}].`;
    if (!isObj(item)) fail(errorCodes.DATA_TYPE_INVALID, `${here.slice(0, -1)} phải là đối tượng`);
    each(item as Record<string, unknown>, here);
  });
}

const STATUSES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;
const RECEIVED_ONLY: readonly string[] = ['2', '4', '6', '8', '9', '10'];

/** Checks one HoSoDongBoDVC record; throws a SyncRejection naming the first problem. */
export function validateHoSo(h: unknown, at = 'data[0].'): void {
  if (!isObj(h)) {
    fail(errorCodes.DATA_TYPE_INVALID, `${at.slice(0, -1)} phải là đối tượng`);
    return;
  }
  const code = requireString(h, 'MaHoSo', at, 60);
  requireString(h, 'MaTTHC', at, 60);
  requireString(h, 'TenTTHC', at, 2000);
  requireString(h, 'ChuHoSo', at, 500);
  requireString(h, 'DonViXuLy', at, 500);
  checkCode(h, 'KenhThucHien', at, ['1', '2', '3']);
  checkCode(h, 'TrangThaiHoSo', at, STATUSES);
  checkCode(h, 'LoaiDoiTuong', at, ['1', '2', '3', '4', '5'], false);
  const submitted = checkDate(h, 'NgayNopHoSo', at, true) as Date;
  const status = h.TrangThaiHoSo as string;
  // Statuses only a received dossier can have. 5 (supplement) and 7 (withdrawn) may come before
  // reception: the desk asks to complete a dossier before accepting it.
  const received = checkDate(h, 'NgayTiepNhan', at, RECEIVED_ONLY.includes(status));
  checkDate(h, 'NgayHenTra', at);
  checkDate(h, 'NgayTuChoi', at, status === '3');
  if (received && received.getTime() < submitted.getTime()) fail(errorCodes.DATA_INCORRECT, `${at}NgayTiepNhan trước NgayNopHoSo`);
  checkArray(h, 'TaiLieuNop', at, (f, here) => {
    requireString(f, 'TepDinhKemId', here, 100);
    requireString(f, 'TenTepDinhKem', here, 500);
  });
  checkArray(h, 'QuaTrinhXuLy', at, (q, here) => {
    if (requireString(q, 'MaHoSo', here, 60) !== code) fail(errorCodes.DATA_INCORRECT, `${here}MaHoSo khác mã hồ sơ`);
    requireString(q, 'NguoiXuLy', here, 500);
    checkDate(q, 'ThoiDiemXuLy', here, true);
    checkCode(q, 'TrangThai', here, STATUSES, false);
  });
  checkArray(h, 'DanhSachHoSoBoSung', at, (b, here) => {
    requireString(b, 'HoSoBoSungId', here, 100);
    checkDate(b, 'NgayBoSung', here, true);
  });
}

/** Checks a whole request body; returns its records (for recording) when valid. */
export function validateEnvelope(body: unknown): HoSoDongBoDVC[] {
  if (!isObj(body)) return fail(errorCodes.DATA_TYPE_INVALID, 'Nội dung yêu cầu phải là đối tượng JSON');
  if (body.service !== SYNC_SERVICE) fail(errorCodes.DATA_INCORRECT, `Dịch vụ "${String(body.service ?? '')}" không được hỗ trợ`);
  if (!Array.isArray(body.data) || body.data.length === 0) fail(errorCodes.RECORD_UNCOMPLETE, 'Thiếu danh sách hồ sơ (data)');
  const data = body.data as unknown[];
  if (data.length > 100) fail(errorCodes.DATA_INCORRECT, 'Mỗi lần gửi tối đa 100 hồ sơ');
  for (const [i, h] of data.entries()) validateHoSo(h, `data[${i}].`);
  return data as HoSoDongBoDVC[];
}
