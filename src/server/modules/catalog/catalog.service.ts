/**
 * Use cases of the procedure catalogue. Reads are public (the catalogue is published information);
 * every write needs `catalog.manage` on the whole province, runs in one transaction and ends with
 * its audit record. Publishing never changes a version: it writes the next one.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { canonicalJson, recordAudit } from '../../platform/audit/audit';
import { requireAccess, scopesFor } from '../../platform/auth/access';
import { type Actor, type RequestContext, systemContext } from '../../platform/auth/actor';
import { type Database, isUniqueViolation, type Orm } from '../../platform/db/database';
import type { FileContent, FileService } from '../../platform/files';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination';
import { type FieldError, Problem, problems } from '../../platform/http/problem';
import { type AgencyInfo, agenciesByIds, agencyByCode, agencyById } from '../org';
import { BARE_CODE_RE, catalogFold, codePrefix, daysFromHours, PROCEDURE_CODE_RE } from './catalog.codes';
import { type CsvBase, csvColumnOf, csvRowToInput, parseCatalogCsv, toCsv } from './catalog.import';
import {
  type CatalogRepo,
  type CurrentRow,
  catalogRepo,
  type ProcedureRow,
  type SearchFilters,
  type VersionInfoRow,
  type VersionRow,
} from './catalog.repo';
import type {
  FacetCount,
  ImportReport,
  Procedure,
  ProcedureInput,
  ProcedureList,
  ProcedureListQuery,
  ProcedurePublish,
  ProcedureSummary,
} from './catalog.schemas';
import { type AgencyPick, type CheckedProcedure, checkProcedureInput, feeTotal, type ProcedureContent } from './catalog.validate';

const MANAGE = 'catalog.manage' as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IMPORT_LOCK = 727280;

const iso = (v: Date | string) => new Date(v).toISOString();
const notFound = () => problems.notFound('Không tìm thấy thủ tục.');
const vnCollator = new Intl.Collator('vi');

/** The catalogue is the province's: a catalog.manage grant limited to one agency is not enough. */
function requireProvinceWide(actor: Actor): void {
  if (scopesFor(actor, MANAGE) !== 'all') {
    throw problems.forbidden('Danh mục thủ tục hành chính của tỉnh chỉ do cán bộ được giao quyền trên phạm vi toàn tỉnh quản lý.');
  }
}

const codeTaken = (code: string, field = 'body/code') =>
  problems.conflict('procedure_code_taken', 'Mã thủ tục đã có trong danh mục', `Đã có thủ tục mang mã ${code}.`, [
    { field, message: 'Mã đã được dùng' },
  ]);

/** The content of a stored version, in the same normal form the validator produces. */
export function contentOf(v: VersionRow): ProcedureContent {
  return {
    name: v.name,
    field: v.field,
    level: v.level,
    onlineLevel: v.online_level,
    processingHours: v.processing_hours,
    processingNote: v.processing_note,
    fees: v.fees,
    exemptions: v.exemptions,
    components: v.components,
    form: v.form,
    legalBasis: v.legal_basis,
    resultType: v.result_type,
    resultDelivery: v.result_delivery,
    implementingAgencyNote: v.implementing_agency_note,
  };
}

/** True when publishing `content` with `agencyIds` would change nothing. */
function sameAs(v: VersionRow, content: ProcedureContent, agencyIds: string[]): boolean {
  const sorted = (a: string[]) => [...a].sort().join(',');
  return canonicalJson(contentOf(v)) === canonicalJson(content) && sorted(v.agency_ids) === sorted(agencyIds);
}

/** Agency lookups through org's index, each agency read once per use case; lists read them in one batch. */
function agencyDirectory(db: Database) {
  const byId = new Map<string, Promise<AgencyInfo | null>>();
  const byCode = new Map<string, Promise<AgencyInfo | null>>();
  const cached = <K>(cache: Map<K, Promise<AgencyInfo | null>>, key: K, read: () => Promise<AgencyInfo | null>) => {
    const hit = cache.get(key);
    if (hit) return hit;
    const p = read();
    cache.set(key, p);
    return p;
  };
  const get = (id: string) => cached(byId, id, () => agencyById(db, id));
  const getByCode = (code: string) => cached(byCode, code, () => agencyByCode(db, code));
  return {
    get,
    getByCode,
    async many(ids: Iterable<string>): Promise<Map<string, AgencyInfo | null>> {
      const unique = [...new Set(ids)];
      // One query for all agencies not read yet in this use case (no query per agency).
      const missing = unique.filter((id) => !byId.has(id));
      if (missing.length) {
        const batch = agenciesByIds(db, missing);
        for (const id of missing) {
          byId.set(
            id,
            batch.then((list) => list.find((a) => a.id === id) ?? null),
          );
        }
      }
      const found = await Promise.all(unique.map(get));
      return new Map(unique.map((id, i) => [id, found[i] ?? null]));
    },
    /** Agency ids for the picks, or field errors (`<prefix>/agencies/<i>`). */
    async resolve(picks: AgencyPick[], prefix: string): Promise<{ ids: string[]; errors: FieldError[] }> {
      const ids: string[] = [];
      const errors: FieldError[] = [];
      const at = (i: number) => [prefix, 'agencies', i].filter((x) => x !== '').join('/');
      for (const [i, pick] of picks.entries()) {
        let a = pick.id ? await get(pick.id) : null;
        // An id from another installation's export: fall back to the agency code.
        if (!a && pick.code) a = await getByCode(pick.code);
        if (!a) errors.push({ field: at(i), message: `Không có cơ quan ${pick.code ?? pick.id}` });
        else if (!a.active) errors.push({ field: at(i), message: `${a.name} đã ngừng hoạt động` });
        else if (ids.includes(a.id)) errors.push({ field: at(i), message: `${a.name} bị lặp` });
        else ids.push(a.id);
      }
      return { ids, errors };
    },
  };
}

type Agencies = Map<string, Pick<AgencyInfo, 'code' | 'name'> | null>;

function agencyRefs(ids: string[], agencies: Agencies) {
  return ids.map((id) => {
    const a = agencies.get(id);
    return { id, code: a?.code ?? '', name: a?.name ?? '(cơ quan không còn trong danh bạ)' };
  });
}

function summaryOf(
  p: Pick<ProcedureRow, 'id' | 'code' | 'status'>,
  v: Pick<VersionRow, 'name' | 'field' | 'level' | 'online_level' | 'processing_hours' | 'fee_total_vnd' | 'agency_ids' | 'version'>,
  agencies: Agencies,
): ProcedureSummary {
  return {
    id: p.id,
    code: p.code,
    name: v.name,
    field: v.field,
    level: v.level,
    onlineLevel: v.online_level,
    processingHours: v.processing_hours,
    processingDays: daysFromHours(v.processing_hours),
    feeTotalVnd: v.fee_total_vnd === null ? null : Number(v.fee_total_vnd),
    agencies: agencyRefs(v.agency_ids, agencies),
    version: v.version,
    status: p.status,
  };
}

function procedureOf(p: ProcedureRow, v: VersionRow, versions: VersionInfoRow[], agencies: Agencies): Procedure {
  return {
    ...summaryOf(p, v, agencies),
    processingNote: v.processing_note,
    fees: v.fees,
    exemptions: v.exemptions,
    components: v.components,
    form: v.form,
    legalBasis: v.legal_basis,
    resultType: v.result_type,
    resultDelivery: v.result_delivery,
    implementingAgencyNote: v.implementing_agency_note,
    publishedAt: iso(v.published_at),
    publishedBy: v.published_by,
    versions: versions.map((x) => ({ version: x.version, publishedAt: iso(x.published_at), publishedBy: x.published_by })),
  };
}

/** A version as an input (export JSON): what import reads back unchanged. */
function exportItem(p: ProcedureRow, v: VersionRow, agencies: Agencies) {
  const c = contentOf(v);
  return {
    code: p.code,
    name: c.name,
    field: c.field,
    level: c.level,
    onlineLevel: c.onlineLevel,
    processingHours: c.processingHours,
    processingNote: c.processingNote,
    fees: c.fees,
    exemptions: c.exemptions,
    components: c.components,
    form: c.form,
    legalBasis: c.legalBasis,
    resultType: c.resultType,
    resultDelivery: c.resultDelivery,
    implementingAgencyNote: c.implementingAgencyNote,
    agencies: agencyRefs(v.agency_ids, agencies),
  } satisfies ProcedureInput;
}

function rejectedImport(report: ImportReport, total: number): Problem {
  const errors = report.rejected.flatMap((r) => r.errors.map((e) => ({ field: `line/${r.line}/${e.field}`, message: e.message })));
  return new Problem(
    422,
    'import_rejected',
    'Tệp có mục không hợp lệ, chưa ghi dữ liệu nào',
    `${report.rejected.length}/${total} mục bị từ chối. Sửa các mục này rồi nhập lại cả tệp.`,
    errors.slice(0, 1000),
    { report },
  );
}

export interface VersionToWrite {
  id: string;
  code: string;
  /** 1 = a new procedure. */
  version: number;
  content: ProcedureContent;
  agencyIds: string[];
}

/**
 * Writes published versions (and the procedures of new ones), moves current_version and the
 * current agencies. Callers hold the procedure rows' locks (or create them) in `tx`.
 */
export async function writeVersions(repo: CatalogRepo, tx: Orm, ctx: RequestContext, items: VersionToWrite[]): Promise<void> {
  await repo.insertProcedures(
    tx,
    items.filter((i) => i.version === 1).map((i) => ({ id: i.id, code: i.code })),
  );
  await repo.insertVersions(
    tx,
    items.map((i) => ({
      procedureId: i.id,
      version: i.version,
      content: i.content,
      feeTotalVnd: feeTotal(i.content.fees),
      agencyIds: i.agencyIds,
      publishedBy: ctx.actor.label,
      publishedByAccount: ctx.actor.accountId,
    })),
  );
  for (const i of items) if (i.version > 1) await repo.setCurrentVersion(tx, i.id, i.version);
  await repo.replaceAgencies(
    tx,
    items.map((i) => ({ procedureId: i.id, agencyIds: i.agencyIds })),
  );
}

export type ImportPayload = { json: unknown[] } | { csv: string };

/** `files` (the platform's file store) checks template files and serves them; without it templates are refused. */
export function catalogService(db: Database, files?: FileService) {
  const repo: CatalogRepo = catalogRepo(db);
  const inTx = <T>(fn: (tx: Orm) => Promise<T>) => db.orm.transaction(fn);

  async function load(id: string, version?: number): Promise<Procedure> {
    if (!UUID_RE.test(id)) throw notFound();
    const p = await repo.procedureById(id.toLowerCase());
    if (!p) throw notFound();
    const v = await repo.version(p.id, version ?? p.current_version);
    if (!v) throw problems.notFound(`Thủ tục ${p.code} không có phiên bản ${version}.`);
    const [versions, agencies] = await Promise.all([repo.versionsOf(p.id), agencyDirectory(db).many(v.agency_ids)]);
    return procedureOf(p, v, versions, agencies);
  }

  async function findId(idOrCode: string): Promise<string | null> {
    const s = idOrCode.trim();
    if (UUID_RE.test(s)) return (await repo.procedureById(s.toLowerCase()))?.id ?? null;
    const code = s.toUpperCase();
    if (PROCEDURE_CODE_RE.test(code)) return (await repo.procedureByCode(code))?.id ?? null;
    if (BARE_CODE_RE.test(code)) {
      const found = await repo.proceduresByBareCode(code);
      return found.length === 1 ? (found[0] as ProcedureRow).id : null;
    }
    return null;
  }

  /** Checks an input and resolves its agencies; throws 400 with every field error. */
  /** Template files must exist in the file store (they become public once a version refers to them). */
  async function templateErrors(value: CheckedProcedure, prefix: string): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    for (const [i, c] of value.content.components.entries()) {
      if (!c.templateFileId) continue;
      if (!files || !(await orNull(files.read(systemContext('catalog'), c.templateFileId)))) {
        errors.push({
          field: [prefix, 'components', i, 'templateFileId'].filter((x) => x !== '').join('/'),
          message: 'Không có tệp mẫu này trong kho tệp',
        });
      }
    }
    return errors;
  }

  async function checked(body: unknown): Promise<{ value: CheckedProcedure; agencyIds: string[] }> {
    const { value, errors } = checkProcedureInput(body, 'body');
    if (!value) throw problems.validation(errors);
    const { ids, errors: agencyErrors } = await agencyDirectory(db).resolve(value.agencies, 'body');
    const more = [...agencyErrors, ...(await templateErrors(value, 'body'))];
    if (more.length) throw problems.validation(more);
    return { value, agencyIds: ids };
  }

  return {
    /** Public: search and browse the catalogue. */
    async list(_ctx: RequestContext, query: ProcedureListQuery): Promise<ProcedureList> {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor);
      if (after && !(after.length === 3 && after.every((x) => typeof x === 'string'))) {
        throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
      }
      const q = query.q?.trim() ?? '';
      const code = q ? codePrefix(q) : null;
      const empty: ProcedureList = { items: [], nextCursor: null, total: 0, facets: { field: [], level: [], onlineLevel: [], agency: [] } };
      // Only punctuation (e.g. "%"): nothing can match; never let it act as "everything".
      if (q && !catalogFold(q) && !code) return empty;
      const f: SearchFilters = {
        ...(q ? { q, codePrefix: code } : {}),
        field: query.field,
        agencyId: query.agencyId?.toLowerCase(),
        level: query.level,
        onlineLevel: query.onlineLevel,
        includeRetired: query.includeRetired,
      };
      // One statement: the matches once, then the page (one row more, to know whether a next page exists),
      // the total, the facets and the names of the agencies they mention.
      const listed = await repo.list(f, limit + 1, after as [string, string, string] | null);
      const { rows, total } = listed;
      const { field, level, onlineLevel, agency } = listed.facets;
      const items = rows.slice(0, limit);
      const last = items[items.length - 1] as CurrentRow | undefined;
      const agencies: Agencies = new Map(listed.agencies.map((a) => [a.id, a]));
      return {
        items: items.map((r) => summaryOf(r, r, agencies)),
        nextCursor: rows.length > limit && last ? encodeCursor([String(last.score), last.name_fold, last.code]) : null,
        total,
        facets: {
          field,
          level,
          onlineLevel,
          agency: agency.map((a) => ({ value: a.value, label: agencies.get(a.value)?.name ?? a.value, count: a.count })),
        },
      };
    },

    /** Public: the current version, by id or national code. */
    async get(_ctx: RequestContext, idOrCode: string): Promise<Procedure> {
      const id = await findId(idOrCode);
      if (!id) throw notFound();
      return load(id);
    },

    /** Public: a procedure as it was published in one version. */
    async getVersion(_ctx: RequestContext, id: string, version: number): Promise<Procedure> {
      return load(id, version);
    },

    /** Public: the fields (lĩnh vực) of the procedures in force, with counts. */
    async fields(_ctx: RequestContext): Promise<FacetCount[]> {
      return (await repo.fields()).sort((a, b) => vnCollator.compare(a.value, b.value));
    },

    async create(ctx: RequestContext, body: ProcedureInput): Promise<Procedure> {
      requireAccess(ctx.actor, MANAGE);
      requireProvinceWide(ctx.actor);
      const { value, agencyIds } = await checked(body);
      const id = randomUUID();
      await inTx(async (tx) => {
        if (await repo.procedureByCode(value.code, tx)) throw codeTaken(value.code);
        await writeVersions(repo, tx, ctx, [{ id, code: value.code, version: 1, content: value.content, agencyIds }]);
        await recordAudit(tx, ctx, {
          action: 'catalog.procedure.create',
          targetType: 'procedure',
          targetId: id,
          details: { code: value.code, version: 1 },
        });
      }).catch((e) => {
        throw !(e instanceof Problem) && isUniqueViolation(e) ? codeTaken(value.code) : e;
      });
      return load(id);
    },

    /** Publishes the body as the procedure's next version; earlier versions stay as they were. */
    async publish(ctx: RequestContext, id: string, body: ProcedurePublish): Promise<Procedure> {
      requireAccess(ctx.actor, MANAGE);
      requireProvinceWide(ctx.actor);
      const { value, agencyIds } = await checked(body);
      await inTx(async (tx) => {
        const p = await repo.lockProcedure(tx, id.toLowerCase());
        if (!p) throw notFound();
        if (p.status === 'retired') {
          throw problems.conflict('procedure_retired', 'Thủ tục đã bãi bỏ', `Thủ tục ${p.code} đã bãi bỏ, không công bố thêm phiên bản.`);
        }
        if (body.baseVersion !== undefined && body.baseVersion !== p.current_version) {
          throw problems.conflict(
            'version_conflict',
            'Thủ tục vừa có phiên bản mới',
            `Bạn đang sửa phiên bản ${body.baseVersion} nhưng đã có phiên bản ${p.current_version}. Hãy tải lại rồi sửa tiếp.`,
          );
        }
        if (value.code !== p.code) {
          throw problems.validation([
            { field: 'body/code', message: `Mã thủ tục không đổi được (đang là ${p.code}); thủ tục mang mã khác là một thủ tục mới` },
          ]);
        }
        const next = p.current_version + 1;
        await writeVersions(repo, tx, ctx, [{ id: p.id, code: p.code, version: next, content: value.content, agencyIds }]);
        await recordAudit(tx, ctx, {
          action: 'catalog.procedure.publish',
          targetType: 'procedure',
          targetId: p.id,
          details: { code: p.code, version: next },
        });
      });
      return load(id.toLowerCase());
    },

    /** Retires (bãi bỏ) a procedure: it leaves the public list; its versions stay readable. */
    async retire(ctx: RequestContext, id: string): Promise<Procedure> {
      requireAccess(ctx.actor, MANAGE);
      requireProvinceWide(ctx.actor);
      await inTx(async (tx) => {
        const p = await repo.lockProcedure(tx, id.toLowerCase());
        if (!p) throw notFound();
        if (p.status === 'retired') return;
        await repo.retire(tx, p.id);
        await recordAudit(tx, ctx, {
          action: 'catalog.procedure.retire',
          targetType: 'procedure',
          targetId: p.id,
          details: { code: p.code },
        });
      });
      return load(id.toLowerCase());
    },

    /**
     * Public: the template (mẫu đơn, tờ khai) of one dossier component as published in a version.
     * Uploaded files are private to their uploader; a template becomes public by being published.
     */
    async template(_ctx: RequestContext, id: string, version: number, key: string): Promise<FileContent> {
      const p = await load(id, version);
      const fileId = p.components.find((c) => c.key === key)?.templateFileId;
      if (!files || !fileId) throw problems.notFound('Thành phần hồ sơ này không có tệp mẫu.');
      return files.content(systemContext('catalog'), fileId);
    },

    /** The procedures in force as a file: JSON (complete, re-importable) or CSV (the spreadsheet columns). */
    async exportCatalog(ctx: RequestContext, format: 'json' | 'csv'): Promise<{ body: string; contentType: string; filename: string }> {
      requireAccess(ctx.actor, MANAGE);
      requireProvinceWide(ctx.actor);
      const rows = await repo.currentOf('active');
      const agencies = await agencyDirectory(db).many(rows.flatMap((r) => r.agency_ids));
      const date = new Date().toISOString().slice(0, 10);
      if (format === 'csv') {
        const body = toCsv(
          rows.map((r) => ({ code: r.code, content: contentOf(r), agencyCodes: r.agency_ids.map((a) => agencies.get(a)?.code ?? a) })),
        );
        return { body, contentType: 'text/csv; charset=utf-8', filename: `thu-tuc-hanh-chinh-${date}.csv` };
      }
      const body = JSON.stringify(
        rows.map((r) => exportItem(r, r, agencies)),
        null,
        2,
      );
      return { body, contentType: 'application/json; charset=utf-8', filename: `thu-tuc-hanh-chinh-${date}.json` };
    },

    /**
     * Imports procedures (JSON inputs or CSV rows): a new code creates a procedure, a known one with
     * different content publishes its next version, the same content changes nothing. All or
     * nothing: one rejected item and nothing is written (422 with the report; dryRun answers 200).
     */
    async importCatalog(ctx: RequestContext, payload: ImportPayload, opts: { dryRun?: boolean }): Promise<ImportReport> {
      requireAccess(ctx.actor, MANAGE);
      requireProvinceWide(ctx.actor);
      const directory = agencyDirectory(db);
      type Item = { line: number; code: string | null; raw?: unknown; errors: FieldError[]; column?: (p: string) => string };
      let items: Item[];
      if ('csv' in payload) {
        const rows = parseCatalogCsv(payload.csv);
        const codes = rows.map((r) => (r.values.code ?? '').trim().toUpperCase());
        const known = await repo.currentOf((await repo.proceduresByCodes(codes)).map((p) => p.id));
        const bases = new Map<string, CsvBase>(known.map((k) => [k.code, { content: contentOf(k), agencyIds: k.agency_ids }]));
        items = rows.map((r, i) => {
          const code = codes[i] || null;
          const { input, errors } = csvRowToInput(r, code ? bases.get(code) : undefined);
          return { line: r.line, code, raw: input, errors, column: csvColumnOf };
        });
      } else {
        items = payload.json.map((raw, i) => {
          const code =
            raw && typeof raw === 'object' && typeof (raw as { code?: unknown }).code === 'string' ? (raw as { code: string }).code : null;
          return { line: i + 1, code, raw, errors: [] };
        });
      }

      type Ready = { line: number; value: CheckedProcedure; agencyIds: string[] };
      const ready: Ready[] = [];
      const report: ImportReport = { applied: false, created: 0, updated: 0, unchanged: 0, rejected: [] };
      const reject = (it: { line: number; code: string | null; column?: (p: string) => string }, errors: FieldError[]) =>
        report.rejected.push({
          line: it.line,
          code: it.code,
          errors: errors.map((e) => ({ field: it.column ? it.column(e.field) : e.field, message: e.message })),
        });
      const firstLine = new Map<string, number>();
      for (const it of items) {
        if (it.errors.length) {
          reject(it, it.errors);
          continue;
        }
        const { value, errors } = checkProcedureInput(it.raw, '');
        if (!value) {
          reject(it, errors);
          continue;
        }
        it.code = value.code;
        const dup = firstLine.get(value.code);
        if (dup !== undefined) {
          reject(it, [{ field: 'code', message: `Mã ${value.code} trùng với mục ở dòng ${dup}` }]);
          continue;
        }
        firstLine.set(value.code, it.line);
        const { ids, errors: agencyErrors } = await directory.resolve(value.agencies, '');
        const more = [...agencyErrors, ...(await templateErrors(value, ''))];
        if (more.length) reject(it, more);
        else ready.push({ line: it.line, value, agencyIds: ids });
      }

      return inTx(async (tx) => {
        // One import at a time: two files creating the same code would otherwise race.
        await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
        const existing = new Map(
          (
            await repo.proceduresByCodes(
              ready.map((r) => r.value.code),
              tx,
            )
          ).map((p) => [p.code, p]),
        );
        const current = new Map(
          (
            await repo.currentOf(
              [...existing.values()].map((p) => p.id),
              tx,
            )
          ).map((r) => [r.id, r]),
        );
        const creates: Ready[] = [];
        const updates: (Ready & { p: ProcedureRow })[] = [];
        for (const r of ready) {
          const p = existing.get(r.value.code);
          if (!p) creates.push(r);
          else if (p.status === 'retired')
            reject({ line: r.line, code: p.code }, [{ field: 'code', message: 'Thủ tục đã bãi bỏ; không nhập được' }]);
          else if (sameAs(current.get(p.id) as VersionRow, r.value.content, r.agencyIds)) report.unchanged++;
          else updates.push({ ...r, p });
        }
        report.created = creates.length;
        report.updated = updates.length;
        report.rejected.sort((a, b) => a.line - b.line);
        if (report.rejected.length) {
          if (opts.dryRun) return report;
          throw rejectedImport(report, items.length);
        }
        if (opts.dryRun) return report;
        for (const r of updates) await repo.lockProcedure(tx, r.p.id);
        await writeVersions(repo, tx, ctx, [
          ...creates.map((r) => ({ id: randomUUID(), code: r.value.code, version: 1, content: r.value.content, agencyIds: r.agencyIds })),
          ...updates.map((r) => ({
            id: r.p.id,
            code: r.p.code,
            version: r.p.current_version + 1,
            content: r.value.content,
            agencyIds: r.agencyIds,
          })),
        ]);
        const done = { ...report, applied: true };
        await recordAudit(tx, ctx, {
          action: 'catalog.procedure.import',
          targetType: 'procedure',
          targetId: null,
          details: { format: 'csv' in payload ? 'csv' : 'json', created: done.created, updated: done.updated, unchanged: done.unchanged },
        });
        return done;
      });
    },
  };
}

export type CatalogService = ReturnType<typeof catalogService>;

/** Runs a public read, answering null instead of 404 (for other modules' lookups). */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof Problem && e.status === 404) return null;
    throw e;
  }
}
