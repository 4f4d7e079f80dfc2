/**
 * A dossier filed on the national portal (Cổng DVC quốc gia) becomes a dossier of the province: the
 * portal's procedure code (MaTTHC) gives the procedure version in force, its agency code the resolving
 * agency and, through it, the one-stop desk that receives it; the form values and files come with it.
 * It is created and submitted at once (channel 2, online) and waits in the desk's reception queue, with
 * the portal's MaHoSo as its code, so the portal and the province speak of the same dossier.
 *
 * Idempotent by MaHoSo (the dossier code is unique): a record read twice creates one dossier. A record
 * that cannot be mapped is not an error of the run: the outcome says why (in Vietnamese) and the caller
 * keeps it for the administrators. Transient failures (database, an unreachable portal while
 * downloading a file) are thrown, for the caller's job to retry.
 */

import { randomUUID } from 'node:crypto';
import { requireAccess } from '../../platform/auth/access';
import { type RequestContext, systemContext } from '../../platform/auth/actor';
import { isUniqueViolation } from '../../platform/db/database';
import { Problem } from '../../platform/http/problem';
import { currentVersionRef, type Procedure, procedureVersion } from '../catalog';
import { agencyByCode, receptionDeskOf } from '../org';
import { createPayload } from './dossiers.create';
import { checkFormValues } from './dossiers.form-values';
import type { FormValues } from './dossiers.schemas';
import type { DossiersCore } from './dossiers.service';
import type { DossierRecord } from './dossiers.state';

/** The dossier code pattern (the `dossiers.code` check, TT 01/2018 Art. 19; TT 03/2025 Art. 13). */
export const DOSSIER_CODE_RE = /^[A-Za-z0-9.]+-[0-9]{6}-[0-9]{4,}$/;

/** One file of a national dossier: where the portal serves it and which component it is. */
export interface NationalFile {
  /** TepDinhKemId on the portal. */
  id: string;
  /** TenTepDinhKem. */
  name: string;
  /** MaThanhPhanHoSo: the component key of the procedure. */
  componentKey: string;
  /** DuongDanTaiTepTin. */
  url: string;
}

/** A dossier as the national portal reports it, already read out of its JSON record. */
export interface NationalDossier {
  /** MaHoSo: becomes the dossier code. */
  code: string;
  /** MaTTHC. */
  procedureCode: string;
  /** The resolving agency's identifier code (mã định danh) on the portal. */
  agencyCode: string;
  /** NgayNopHoSo. */
  submittedAt: Date;
  /** Values of the procedure's form, by field key. */
  form: FormValues;
  files: NationalFile[];
}

/** The bytes of a file of the record; throws NationalFileRefused when the portal will never serve it. */
export type FetchNationalFile = (file: NationalFile) => Promise<Buffer>;

/** A file the portal refuses for good (gone, too large, not the portal's): the record is rejected, not retried. */
export class NationalFileRefused extends Error {}

export type ImportOutcome =
  | { status: 'created'; dossierId: string; code: string }
  | { status: 'exists'; dossierId: string; code: string }
  | { status: 'rejected'; reason: string };

class Rejected extends Error {}
const reject = (reason: string): never => {
  throw new Rejected(reason);
};

/** A dossier only the import writes: online, without an owner account or an officer who registered it. */
const isImported = (d: Pick<DossierRecord, 'channel' | 'ownerAccountId' | 'createdByAccountId'>) =>
  d.channel === 2 && d.ownerAccountId === null && d.createdByAccountId === null;

async function procedureOf(core: DossiersCore, code: string): Promise<Procedure> {
  const ref = await currentVersionRef(core.db, code);
  if (ref?.status !== 'active') return reject(`Thủ tục có mã "${code}" không có trong danh mục thủ tục đang áp dụng của tỉnh`);
  const p = await procedureVersion(core.db, ref.id, ref.version);
  if (!p) return reject(`Thủ tục có mã "${code}" không có trong danh mục thủ tục đang áp dụng của tỉnh`);
  if (p.onlineLevel === 'thong_tin') return reject(`Thủ tục "${p.name}" chỉ cung cấp thông tin, không nhận hồ sơ trực tuyến`);
  return p;
}

async function agencyOf(core: DossiersCore, p: Procedure, code: string) {
  const agency = await agencyByCode(core.db, code);
  if (!agency?.active) return reject(`Không tìm thấy cơ quan đang hoạt động có mã định danh "${code}"`);
  if (!p.agencies.some((a) => a.id === agency.id)) return reject(`Cơ quan "${agency.name}" không thực hiện thủ tục "${p.name}"`);
  const desk = await receptionDeskOf(core.db, agency);
  if (!desk) return reject(`Cơ quan "${agency.name}" chưa có bộ phận một cửa tiếp nhận hồ sơ`);
  return { agency, desk };
}

/** Form values and components as a submission needs them (the same rules as an online submission). */
function checkContent(p: Procedure, r: NationalDossier): void {
  const formErrors = checkFormValues(p.form, r.form, true);
  if (formErrors.length) {
    reject(`Tờ khai chưa hợp lệ: ${formErrors.map((e) => `${e.field.replace(/^form\//, '')} — ${e.message}`).join('; ')}`);
  }
  const components = new Map(p.components.map((c) => [c.key, c]));
  for (const f of r.files) {
    if (!components.has(f.componentKey)) reject(`Thủ tục không có thành phần hồ sơ "${f.componentKey}" (tệp "${f.name}")`);
  }
  const present = new Set(r.files.map((f) => f.componentKey));
  const missing = p.components.filter((c) => c.required && !present.has(c.key));
  if (missing.length) reject(`Thiếu thành phần hồ sơ bắt buộc: ${missing.map((c) => c.name).join('; ')}`);
}

/** Downloads every file into the file store; a refused or unacceptable file rejects the record. */
async function storeFiles(core: DossiersCore, r: NationalDossier, fetchFile: FetchNationalFile) {
  const stored: { componentKey: string; fileId: string }[] = [];
  for (const f of r.files) {
    let bytes: Buffer;
    try {
      bytes = await fetchFile(f);
    } catch (e) {
      if (e instanceof NationalFileRefused) reject(`Không tải được tệp "${f.name}": ${e.message}`);
      throw e;
    }
    try {
      const meta = await core.files.upload(systemContext('dvcqg'), { name: f.name, bytes });
      stored.push({ componentKey: f.componentKey, fileId: meta.id });
    } catch (e) {
      if (e instanceof Problem) reject(`Tệp "${f.name}" không được chấp nhận: ${e.detail ?? e.title}`);
      throw e;
    }
  }
  return stored;
}

/**
 * Creates and submits the dossier of a national record, or says why it cannot. The caller is the
 * pull job (a system context) or a desk officer of the desk the dossier lands at.
 */
export async function importFromNational(
  core: DossiersCore,
  ctx: RequestContext,
  record: NationalDossier,
  fetchFile: FetchNationalFile,
): Promise<ImportOutcome> {
  requireAccess(ctx.actor, 'dossiers.receive');
  try {
    const existing = await existingImport(core, record.code);
    if (existing) return existing;
    const p = await procedureOf(core, record.procedureCode);
    const { agency, desk } = await agencyOf(core, p, record.agencyCode);
    requireAccess(ctx.actor, 'dossiers.receive', { scope: desk.path });
    checkContent(p, record);
    const files = await storeFiles(core, record, fetchFile);
    // The dossier was filed when the portal says (never later than now: clocks differ).
    const at = new Date(Math.min(record.submittedAt.getTime(), Date.now()));
    const id = randomUUID();
    try {
      await core.db.orm.transaction(async (tx) => {
        const created = await core.append(
          tx,
          ctx,
          null,
          {
            event: {
              action: 'create',
              payload: createPayload({
                id,
                procedure: p,
                agency,
                desk,
                channel: 2,
                ownerAccountId: null,
                createdByAccountId: null,
                form: record.form,
                resultDelivery: p.resultDelivery[0] ?? 'counter',
                requestKey: null,
              }),
            },
            note: 'Hồ sơ nộp trên Cổng Dịch vụ công quốc gia',
            fileIds: files.map((f) => f.fileId),
          },
          at,
        );
        await core.repo.addFiles(tx, id, created.version, files, 'none');
        const submitted = await core.append(tx, ctx, created, { event: { action: 'submit', payload: { code: record.code } } }, at);
        await core.audit(tx, ctx, 'imported', submitted, { channel: 2, source: 'dvcqg', files: files.length });
      });
    } catch (e) {
      // Another run imported the same code meanwhile.
      if (isUniqueViolation(e)) return (await existingImport(core, record.code)) ?? reject(`Mã hồ sơ "${record.code}" đã được dùng`);
      throw e;
    }
    return { status: 'created', dossierId: id, code: record.code };
  } catch (e) {
    if (e instanceof Rejected) return { status: 'rejected', reason: e.message };
    throw e;
  }
}

/** The dossier already imported with this code; rejects a code that is not a dossier code or belongs to another dossier. */
async function existingImport(core: DossiersCore, code: string): Promise<ImportOutcome | null> {
  if (code.length > 60 || !DOSSIER_CODE_RE.test(code)) {
    return reject(`Mã hồ sơ "${code.slice(0, 80)}" không đúng cấu trúc mã hồ sơ (mã cơ quan-YYMMDD-số thứ tự)`);
  }
  const d = await core.repo.byCode(code);
  if (!d) return null;
  if (!isImported(d)) return reject(`Mã hồ sơ "${code}" trùng với một hồ sơ khác đã có trong hệ thống của tỉnh`);
  return { status: 'exists', dossierId: d.id, code };
}

/** The use case bound to the module's core (dossiersService exposes it). */
export function nationalImport(core: DossiersCore) {
  return (ctx: RequestContext, record: NationalDossier, fetchFile: FetchNationalFile) => importFromNational(core, ctx, record, fetchFile);
}
