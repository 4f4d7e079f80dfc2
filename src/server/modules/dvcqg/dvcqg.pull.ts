/**
 * Pulling dossiers filed on the national portal into reception: the `dvcqg.pull` job (cron, and the
 * admins' "pull now") reads the portal's list of dossiers filed since the stored watermark, page by
 * page, and hands each record to the dossiers module's import, which creates and submits it at its desk.
 *
 * Watermark: the NgayNopHoSo of the newest record taken and the codes taken at that very second. A run
 * asks from that second on (inclusive) with page numbers, skips the codes already taken at it, and moves
 * the watermark record by record, so a failure in the middle resumes where it stopped and a page
 * boundary or a tie at one second loses nothing. The import is idempotent by MaHoSo, so a record read
 * twice (two processes, a retried run) creates one dossier.
 */

import type { RequestContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import type { FileService } from '../../platform/files';
import type { JobHandler, RegisterOptions } from '../../platform/jobs';
import { type FetchNationalFile, type ImportOutcome, type NationalDossier, type NationalFile, NationalFileRefused } from '../dossiers';
import { callPortal, downloadFile, type PortalConfig, PortalFailure, portalUrls } from './dvcqg.client';
import { dvcqgDate, parseDvcqgDate } from './dvcqg.payload';
import { dvcqgRepo } from './dvcqg.repo';

export const PULL_JOB = 'dvcqg.pull';
/** The list request's service. */
export const PULL_SERVICE = 'LayDanhSachHoSo';
/** A run reads at most this many pages; the next run goes on from the watermark. */
const MAX_PAGES = 50;

/** A failed run is retried twice a minute apart; after that the next scheduled run tries again. */
export const PULL_RETRY: RegisterOptions = { retryLimit: 2, retryDelay: 60, retryBackoff: false, deadLetter: false, expireInSeconds: 600 };

export type Importer = (ctx: RequestContext, record: NationalDossier, fetchFile: FetchNationalFile) => Promise<ImportOutcome>;

export interface PullDeps {
  db: Database;
  config: PortalConfig;
  files: Pick<FileService, 'maxBytes'>;
  importer: Importer;
  ctx: RequestContext;
}

export interface PullResult {
  pages: number;
  read: number;
  created: number;
  existing: number;
  rejected: number;
  /** Records at the watermark's second that an earlier run had already taken. */
  skipped: number;
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

class BadRecord extends Error {}

/** The form: DuLieuToKhai, completed with the applicant fields of the record when it leaves them out. */
function formOf(r: Raw): NationalDossier['form'] {
  const declared = r.DuLieuToKhai;
  if (declared !== undefined && !isObj(declared)) throw new BadRecord('Trường DuLieuToKhai phải là đối tượng');
  const form: NationalDossier['form'] = {};
  const fallback: [string, unknown][] = [
    ['ho_ten', r.ChuHoSo],
    ['so_dinh_danh', r.SoGiayToChuHoSo],
    ['so_dien_thoai', r.SoDienThoai],
    ['email', r.Email],
  ];
  for (const [k, v] of fallback) if (text(v)) form[k] = text(v);
  for (const [k, v] of Object.entries(declared ?? {})) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) throw new BadRecord(`Giá trị DuLieuToKhai.${k} không hợp lệ`);
    form[k] = v as string | number | boolean | null;
  }
  return form;
}

function filesOf(r: Raw): NationalFile[] {
  if (r.TaiLieuNop === undefined || r.TaiLieuNop === null) return [];
  if (!Array.isArray(r.TaiLieuNop)) throw new BadRecord('Trường TaiLieuNop phải là mảng');
  const out: NationalFile[] = [];
  for (const [i, f] of r.TaiLieuNop.entries()) {
    if (!isObj(f)) throw new BadRecord(`TaiLieuNop[${i}] phải là đối tượng`);
    if (f.IsDeleted === true) continue;
    const id = text(f.TepDinhKemId);
    const name = text(f.TenTepDinhKem);
    const componentKey = text(f.MaThanhPhanHoSo);
    const url = text(f.DuongDanTaiTepTin);
    if (!id || !name || !componentKey || !url) {
      throw new BadRecord(`TaiLieuNop[${i}] thiếu TepDinhKemId, TenTepDinhKem, MaThanhPhanHoSo hoặc DuongDanTaiTepTin`);
    }
    out.push({ id, name, componentKey, url });
  }
  return out;
}

/** Reads a portal record; throws BadRecord (Vietnamese) when a field the import needs is missing or malformed. */
export function nationalDossierOf(r: Raw): NationalDossier {
  const required = (key: string) =>
    text(r[key]) ??
    (() => {
      throw new BadRecord(`Bản ghi thiếu trường ${key}`);
    })();
  const code = required('MaHoSo');
  const procedureCode = required('MaTTHC');
  const agencyCode = required('MaDonViXuLy');
  const submittedAt = parseDvcqgDate(required('NgayNopHoSo'));
  if (!submittedAt) throw new BadRecord('NgayNopHoSo không đúng định dạng yyyyMMddHHmmss');
  return { code, procedureCode, agencyCode, submittedAt, form: formOf(r), files: filesOf(r) };
}

/** Downloads a record's file from the portal: only from the portal's own address, with the session. */
function fileFetcher(deps: PullDeps): FetchNationalFile {
  const origin = new URL(portalUrls(deps.config).pull).origin;
  return async (f) => {
    let url: URL;
    try {
      url = new URL(f.url);
    } catch {
      throw new NationalFileRefused('đường dẫn tệp không hợp lệ');
    }
    if (url.origin !== origin) throw new NationalFileRefused('đường dẫn tệp không thuộc Cổng DVC quốc gia');
    try {
      return (await downloadFile(deps.config, url.toString(), deps.files.maxBytes)).bytes;
    } catch (e) {
      // Gone, forbidden or too large stays so; a server error or an outage is worth another run.
      const status = e instanceof PortalFailure ? e.httpStatus : null;
      if (status !== null && status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429) {
        throw new NationalFileRefused((e as Error).message);
      }
      throw e;
    }
  };
}

/** One page of the portal's list. */
async function page(deps: PullDeps, since: Date | null, n: number): Promise<{ records: unknown[]; total: number | null }> {
  const answer = await callPortal(deps.config, portalUrls(deps.config).pull, {
    service: PULL_SERVICE,
    TuNgay: since ? dvcqgDate(since) : '',
    TrangSo: n,
    SoLuong: deps.config.dvcqg.pullPageSize,
  });
  if (!Array.isArray(answer.data)) throw new PortalFailure('Cổng DVC quốc gia trả danh sách hồ sơ không có mảng data');
  const total = Number(answer.TongSo);
  return { records: answer.data, total: Number.isFinite(total) ? total : null };
}

const running = new WeakMap<Database, Promise<unknown>>();

/** One pull, now (runs of one process take turns). */
export function pullOnce(deps: PullDeps): Promise<PullResult> {
  const before = running.get(deps.db) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => pullRun(deps));
  running.set(deps.db, run);
  return run;
}

async function pullRun(deps: PullDeps): Promise<PullResult> {
  const repo = dvcqgRepo(deps.db);
  const startedAt = new Date();
  const state = await repo.pullState();
  const since = state.since ? new Date(state.since) : null;
  const taken = new Set(state.codesAtSince);
  const result: PullResult = { pages: 0, read: 0, created: 0, existing: 0, rejected: 0, skipped: 0 };
  const fetchFile = fileFetcher(deps);
  // The watermark as far as the records handled so far, saved after each page and when a run stops.
  let mark: { at: Date; codes: string[] } | null = null;
  const advance = (at: Date, code: string) => {
    if (!mark || at.getTime() > mark.at.getTime()) mark = { at, codes: [code] };
    else if (at.getTime() === mark.at.getTime()) mark.codes.push(code);
  };
  const save = async () => {
    if (mark) await repo.saveWatermark(mark.at.toISOString(), mark.codes);
  };

  try {
    for (let n = 1; n <= MAX_PAGES; n++) {
      const { records, total } = await page(deps, since, n);
      result.pages++;
      for (const raw of records) {
        result.read++;
        await handle(raw);
      }
      await save();
      const size = deps.config.dvcqg.pullPageSize;
      if (records.length < size || (total !== null && n * size >= total)) break;
    }
  } catch (e) {
    await save();
    await repo.recordPullRun(startedAt, { ...result, error: (e as Error).message.slice(0, 1000) });
    throw e;
  }
  await repo.recordPullRun(startedAt, { ...result, error: null });
  return result;

  async function handle(raw: unknown): Promise<void> {
    const r = isObj(raw) ? raw : {};
    const code = text(r.MaHoSo);
    const at = text(r.NgayNopHoSo) ? parseDvcqgDate(r.NgayNopHoSo as string) : null;
    if (code && at && since && at.getTime() === since.getTime() && taken.has(code)) {
      result.skipped++;
      return;
    }
    let outcome: ImportOutcome;
    try {
      outcome = await deps.importer(deps.ctx, nationalDossierOf(r), fetchFile);
    } catch (e) {
      if (!(e instanceof BadRecord)) throw e;
      outcome = { status: 'rejected', reason: e.message };
    }
    if (outcome.status === 'created') result.created++;
    else if (outcome.status === 'exists') result.existing++;
    else {
      result.rejected++;
      // A record without a usable code is kept under a key of its own (one row per distinct record).
      const key = code && code.length <= 100 ? code : `(không có mã hợp lệ) ${JSON.stringify(raw).slice(0, 60)}`;
      await repo.upsertReject({ maHoSo: key, maTthc: text(r.MaTTHC), reason: outcome.reason, record: raw ?? null });
    }
    if (outcome.status === 'created' && code) await repo.clearReject(code);
    if (code && at) advance(at, code);
  }
}

/** The `dvcqg.pull` job handler (throwing makes pg-boss retry). */
export function pullHandler(deps: PullDeps): JobHandler<object> {
  return async () => {
    await pullOnce(deps);
  };
}
