/**
 * Demo catalogue: every procedure of data/procedures.json that has a national code (a copy of the
 * reference file described in data/README.md), as version 1, implemented by the Đắk Lắk demo
 * agencies. Idempotent: procedures have code-based ids and are only added when missing.
 *
 * Mapping from the reference file:
 * - code: the bare national code + `.000.00.00.` + the demo province's level-1 agency code.
 * - agencies: commune-level procedures → the demo People's Committees of communes/wards;
 *   province-level → the department (sở) named in the file's `agency` text, else the provincial
 *   public administration service centre (which receives the dossiers).
 * - processingDays → processing_hours = days × 8; unknown times stay null with their note.
 * - onlineLevel null (not stated) → thong_tin: the procedure is at least published online.
 * - components: as in the file; documents a citizen already holds (identity card, birth certificate,
 *   land-use right certificate …) are marked fromEdataStore with their document type.
 * - form: applicant fields plus a few procedure-specific ones (catalog.forms.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { systemContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import { DEMO_PROVINCE_AGENCY_CODE, demoAgencies, demoAgencyId } from '../org';
import { fullProcedureCode } from './catalog.codes';
import { formFor } from './catalog.forms';
import { catalogRepo } from './catalog.repo';
import type { ComponentInput, ProcedureInput } from './catalog.schemas';
import { writeVersions } from './catalog.service';
import { type CheckedProcedure, checkProcedureInput } from './catalog.validate';

interface DataProcedure {
  code: string | null;
  name: string;
  field: string;
  level: 'province' | 'commune';
  agency: string | null;
  processingDays: number | null;
  processingNote: string | null;
  fees: { name: string; amountVnd: number | null; note: string | null }[];
  components: { name: string; original: boolean | null; copies: number | null; required: boolean }[];
  onlineLevel: 'toan_trinh' | 'mot_phan' | 'thong_tin' | null;
  legalBasis: string[];
  resultType: string | null;
}

/** Procedure ids derived from the code, so every demo installation has the same ids. */
export function procedureIdFor(code: string): string {
  const h = createHash('sha1').update(`tinhso:procedure:${code}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export function readProcedureData(): DataProcedure[] {
  return JSON.parse(fs.readFileSync(new URL('./data/procedures.json', import.meta.url), 'utf8')) as DataProcedure[];
}

/** Documents issued by the State that the applicant already holds: the e-data store can supply them. */
const COPY = '^((bản chính( hoặc |\\s*/\\s*))?bản sao (được |có )?(chứng thực )?)?';
const heldDocuments: [RegExp, string][] = (
  [
    ['(giấy tờ tùy thân|thẻ căn cước|căn cước|cccd)', 'can_cuoc'],
    ['giấy khai sinh', 'giay_khai_sinh'],
    ['(giấy báo tử hoặc )?trích lục', 'trich_luc_ho_tich'],
    ['giấy chứng nhận kết hôn', 'giay_chung_nhan_ket_hon'],
    ['giấy chứng nhận (quyền sử dụng đất|qsdđ|quyền sở hữu)', 'gcn_quyen_su_dung_dat'],
    ['giấy xác nhận tình trạng hôn nhân', 'xac_nhan_tinh_trang_hon_nhan'],
    ['giấy chứng nhận đăng ký hộ kinh doanh', 'gcn_dang_ky_ho_kinh_doanh'],
    ['giấy chứng nhận người có công', 'giay_chung_nhan_nguoi_co_cong'],
    ['giấy phép lái xe', 'giay_phep_lai_xe'],
    ['hộ chiếu', 'ho_chieu'],
    ['giấy xác nhận khuyết tật', 'giay_xac_nhan_khuyet_tat'],
  ] as const
).map(([re, type]) => [new RegExp(COPY + re, 'iu'), type]);

export function heldDocumentType(componentName: string): string | null {
  return heldDocuments.find(([re]) => re.test(componentName.normalize('NFC')))?.[1] ?? null;
}

const communeAgencies = () => demoAgencies.filter((a) => a.kind === 'ubnd_xa');
const departments = () => demoAgencies.filter((a) => a.kind === 'so_nganh');
const serviceCentre = () => demoAgencies.find((a) => a.kind === 'trung_tam_pvhcc');

function agenciesFor(p: DataProcedure): { id: string; code: string }[] {
  const pick = (a: { code: string }) => ({ id: demoAgencyId(a.code), code: a.code });
  if (p.level === 'commune') return communeAgencies().map(pick);
  const named = departments().find((d) => p.agency?.includes(d.name));
  const agency = named ?? serviceCentre();
  if (!agency) throw new Error('seed: thiếu Trung tâm Phục vụ hành chính công trong tổ chức mẫu');
  return [pick(agency)];
}

function componentsFor(p: DataProcedure): ComponentInput[] {
  return p.components.map((c, i) => {
    const documentType = heldDocumentType(c.name);
    return {
      key: `tp${i + 1}`,
      name: c.name,
      original: c.original,
      copies: c.copies,
      required: c.required,
      fromEdataStore: documentType !== null,
      documentType,
    };
  });
}

/** The demo catalogue as procedure inputs (the same shape the API and the JSON import take). */
export function demoCatalogInputs(): ProcedureInput[] {
  return readProcedureData()
    .filter((p): p is DataProcedure & { code: string } => p.code !== null)
    .map((p) => {
      const onlineLevel = p.onlineLevel ?? 'thong_tin';
      return {
        code: fullProcedureCode(p.code, DEMO_PROVINCE_AGENCY_CODE),
        name: p.name,
        field: p.field,
        level: p.level,
        onlineLevel,
        processingDays: p.processingDays,
        processingNote: p.processingNote,
        fees: p.fees,
        components: componentsFor(p),
        form: formFor(p.name),
        legalBasis: p.legalBasis,
        resultType: p.resultType,
        implementingAgencyNote: p.agency,
        agencies: agenciesFor(p),
      };
    });
}

export async function seedDemoCatalog(db: Database, config: Config): Promise<void> {
  void config;
  const ctx = systemContext('seed');
  const repo = catalogRepo(db);
  const checked: CheckedProcedure[] = demoCatalogInputs().map((input) => {
    const { value, errors } = checkProcedureInput(input, '');
    if (!value) throw new Error(`seed: thủ tục ${input.code} không hợp lệ: ${JSON.stringify(errors)}`);
    return value;
  });
  await db.orm.transaction(async (tx) => {
    const known = new Set(
      (
        await repo.proceduresByCodes(
          checked.map((c) => c.code),
          tx,
        )
      ).map((p) => p.code),
    );
    const fresh = checked.filter((c) => !known.has(c.code));
    if (fresh.length === 0) return;
    await writeVersions(
      repo,
      tx,
      ctx,
      fresh.map((c) => ({
        id: procedureIdFor(c.code),
        code: c.code,
        version: 1,
        content: c.content,
        agencyIds: c.agencies.map((a) => a.id as string),
      })),
    );
    await recordAudit(tx, ctx, { action: 'catalog.seed', targetType: 'procedure', targetId: null, details: { created: fresh.length } });
  });
}
