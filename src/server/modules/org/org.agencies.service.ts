/**
 * Use cases on agencies and departments: the public directory, and writes by agency
 * administrators — province-wide ones anywhere, scoped ones only inside their own subtree.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { can, requireAccess } from '../../platform/auth/access';
import type { Actor, RequestContext } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import { decodeCursor, pageOf } from '../../platform/http/pagination';
import { type FieldError, Problem, problems } from '../../platform/http/problem';
import { agencyCodeError, checkAgencyCode, legacyAgencyCodeError } from './org.codes';
import { agencyCsvColumns, checkAgencyRow, parseCsv, requireColumns } from './org.import';
import type { AgencyRow, OrgRepo, UnitRow } from './org.repo';
import {
  type Agency,
  type AgencyCreate,
  type AgencyDetail,
  type AgencyListQuery,
  type AgencyPatch,
  agencyKinds,
  type Department,
  type DepartmentCreate,
  type DepartmentPatch,
  type ImportReport,
} from './org.schemas';
import { agencyOut, departmentOut, foldVn, isUniqueViolation, requireProvinceWide } from './org.shared';
import { rejectedImport } from './org.units.service';

const MANAGE = 'org.agencies.manage' as const;

/** Sub-agencies carry the level-1 group of their parent (QĐ 20/2020: codes grow left → right). */
function level1Error(code: string, parentCode: string | null): string | null {
  if (!parentCode) return null;
  const c = checkAgencyCode(code);
  const p = checkAgencyCode(parentCode);
  if (c.ok && p.ok && c.level1 !== p.level1) return `Mã phải bắt đầu bằng mã cấp 1 của cơ quan cấp trên (${p.level1})`;
  return null;
}

function unitError(u: UnitRow | undefined, code: string): string | null {
  if (!u) return `Không có đơn vị hành chính mã ${code}`;
  if (u.level === 'district') return 'Cấp huyện không còn từ 01/7/2025; chọn tỉnh hoặc xã';
  if (u.valid_to) return `${u.name} đã hết hiệu lực từ ${u.valid_to}`;
  return null;
}

const codeTaken = (code: string) =>
  problems.conflict('agency_code_taken', 'Mã định danh đã được dùng', `Đã có cơ quan mang mã ${code}.`, [
    { field: 'body/code', message: 'Mã đã được dùng' },
  ]);

/** May the actor create a sub-agency under `parent` (or a root agency when parent is null)? */
function canPlaceUnder(actor: Actor, parent: AgencyRow | null): boolean {
  return parent ? can(actor, MANAGE, { scope: parent.path }) : can(actor, MANAGE, { scope: '' });
}

export function agenciesService(db: Database, repo: OrgRepo) {
  const inTx = <T>(fn: (tx: Orm) => Promise<T>) => db.orm.transaction(fn);

  async function loadDetail(a: AgencyRow): Promise<AgencyDetail> {
    const [parent, unit, departments, children] = await Promise.all([
      a.parent_id ? repo.agencyById(a.parent_id) : undefined,
      a.admin_unit_code ? repo.unitByCode(a.admin_unit_code) : undefined,
      repo.departmentsOf(a.id),
      repo.childrenOf(a.id),
    ]);
    return {
      ...agencyOut(a),
      parent: parent ? { id: parent.id, code: parent.code, name: parent.name } : null,
      adminUnit: unit ? { code: unit.code, name: unit.name, level: unit.level, validTo: unit.valid_to } : null,
      departments: departments.map(departmentOut),
      children: children.map(agencyOut),
    };
  }

  async function checkUnit(code: string | null | undefined, tx: Orm, errors: FieldError[]) {
    if (!code) return;
    const msg = unitError(await repo.unitByCode(code, tx), code);
    if (msg) errors.push({ field: 'body/adminUnitCode', message: msg });
  }

  function wrapUnique<T>(p: Promise<T>, code: string): Promise<T> {
    return p.catch((e) => {
      if (!(e instanceof Problem) && isUniqueViolation(e)) throw codeTaken(code);
      throw e;
    });
  }

  return {
    /** Public: the directory of agencies is public information. */
    async listAgencies(_ctx: RequestContext, query: AgencyListQuery): Promise<{ items: Agency[]; nextCursor: string | null }> {
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor);
      const fold = query.q ? foldVn(query.q) : '';
      const rows = await repo.listAgencies({
        parentId: query.parentId,
        kind: query.kind,
        adminUnitCode: query.adminUnitCode,
        fold: fold || undefined,
        includeInactive: query.includeInactive,
        afterCode: after ? String(after[0]) : undefined,
        limit: limit + 1,
      });
      const page = pageOf(rows, limit, (r) => [r.code]);
      return { items: page.items.map(agencyOut), nextCursor: page.nextCursor };
    },

    /** Public: one agency with its departments and sub-agencies. */
    async getAgency(_ctx: RequestContext, id: string): Promise<AgencyDetail> {
      const a = await repo.agencyById(id);
      if (!a) throw problems.notFound('Không tìm thấy cơ quan.');
      return loadDetail(a);
    },

    async createAgency(ctx: RequestContext, body: AgencyCreate): Promise<AgencyDetail> {
      requireAccess(ctx.actor, MANAGE);
      if (!body.parentId) requireProvinceWide(ctx.actor, MANAGE);
      const code = body.code.toUpperCase();
      const errors: FieldError[] = [];
      const codeErr = agencyCodeError(code);
      if (codeErr) errors.push({ field: 'body/code', message: codeErr });
      const legacy = body.legacyCode ? body.legacyCode.toUpperCase() : null;
      if (legacy && legacyAgencyCodeError(legacy))
        errors.push({ field: 'body/legacyCode', message: legacyAgencyCodeError(legacy) as string });
      if (errors.length) throw problems.validation(errors);
      const id = randomUUID();
      const created = await wrapUnique(
        inTx(async (tx) => {
          const parent = body.parentId ? await repo.agencyById(body.parentId, tx) : null;
          if (body.parentId && !parent) throw problems.validation([{ field: 'body/parentId', message: 'Không có cơ quan cấp trên này' }]);
          if (parent) requireAccess(ctx.actor, MANAGE, { scope: parent.path });
          if (parent && !parent.active) errors.push({ field: 'body/parentId', message: `${parent.name} đã ngừng hoạt động` });
          const l1 = level1Error(code, parent?.code ?? null);
          if (l1) errors.push({ field: 'body/code', message: l1 });
          await checkUnit(body.adminUnitCode, tx, errors);
          if (errors.length) throw problems.validation(errors);
          if (await repo.agencyByCode(code, tx)) throw codeTaken(code);
          const row = {
            id,
            code,
            legacyCode: legacy,
            name: body.name.trim(),
            shortName: body.shortName?.trim() || null,
            kind: body.kind,
            parentId: parent?.id ?? null,
            adminUnitCode: body.adminUnitCode ?? null,
            path: `${parent ? parent.path : ''}/${id}`,
          };
          await repo.insertAgency(tx, row);
          await recordAudit(tx, ctx, {
            action: 'org.agency.create',
            targetType: 'agency',
            targetId: id,
            details: { code, name: row.name, parentId: row.parentId },
          });
          return (await repo.agencyById(id, tx)) as AgencyRow;
        }),
        code,
      );
      return loadDetail(created);
    },

    /** Renames, recodes, moves (within the actor's scope) or deactivates an agency. */
    async patchAgency(ctx: RequestContext, id: string, body: AgencyPatch): Promise<AgencyDetail> {
      requireAccess(ctx.actor, MANAGE);
      const code = body.code?.toUpperCase();
      const updated = await wrapUnique(
        inTx(async (tx) => {
          const a = await repo.agencyById(id, tx);
          if (!a) throw problems.notFound('Không tìm thấy cơ quan.');
          requireAccess(ctx.actor, MANAGE, { scope: a.path });
          const errors: FieldError[] = [];
          if (code !== undefined) {
            const e = agencyCodeError(code);
            if (e) errors.push({ field: 'body/code', message: e });
          }
          const legacy = body.legacyCode === undefined ? undefined : body.legacyCode ? body.legacyCode.toUpperCase() : null;
          if (legacy && legacyAgencyCodeError(legacy))
            errors.push({ field: 'body/legacyCode', message: legacyAgencyCodeError(legacy) as string });

          // Moving: the new place must be inside the actor's scope and outside the agency's own subtree.
          let parent: AgencyRow | null = a.parent_id ? ((await repo.agencyById(a.parent_id, tx)) ?? null) : null;
          let newPath = a.path;
          const moving = body.parentId !== undefined && body.parentId !== a.parent_id;
          if (moving) {
            parent = body.parentId ? ((await repo.agencyById(body.parentId, tx)) ?? null) : null;
            if (body.parentId && !parent) throw problems.validation([{ field: 'body/parentId', message: 'Không có cơ quan cấp trên này' }]);
            if (!canPlaceUnder(ctx.actor, parent)) {
              throw problems.forbidden(
                parent ? 'Bạn không quản lý cơ quan cấp trên mới này.' : 'Chỉ quản trị toàn tỉnh mới đưa được cơ quan lên cấp gốc.',
              );
            }
            if (parent && (parent.path === a.path || parent.path.startsWith(`${a.path}/`))) {
              errors.push({ field: 'body/parentId', message: 'Không thể chuyển cơ quan vào chính nó hoặc đơn vị trực thuộc của nó' });
            }
            if (parent && !parent.active) errors.push({ field: 'body/parentId', message: `${parent.name} đã ngừng hoạt động` });
            newPath = `${parent ? parent.path : ''}/${id}`;
          }
          if (code !== undefined || moving) {
            const l1 = level1Error(code ?? a.code, parent?.code ?? null);
            if (l1) errors.push({ field: code !== undefined ? 'body/code' : 'body/parentId', message: l1 });
          }
          if (body.adminUnitCode !== undefined && body.adminUnitCode !== a.admin_unit_code) await checkUnit(body.adminUnitCode, tx, errors);
          if (errors.length) throw problems.validation(errors);
          if (code !== undefined && code !== a.code && (await repo.agencyByCode(code, tx))) throw codeTaken(code);
          if (body.active === false && a.active && (await repo.countActiveChildren(id, tx)) > 0) {
            throw problems.conflict(
              'agency_has_active_children',
              'Còn cơ quan trực thuộc đang hoạt động',
              `Hãy chuyển hoặc ngừng hoạt động các đơn vị trực thuộc ${a.name} trước.`,
            );
          }
          if (moving) await repo.movePaths(tx, a.path, newPath);
          await repo.updateAgency(tx, id, {
            ...(code !== undefined ? { code } : {}),
            ...(legacy !== undefined ? { legacyCode: legacy } : {}),
            ...(body.name !== undefined ? { name: body.name.trim() } : {}),
            ...(body.shortName !== undefined ? { shortName: body.shortName?.trim() || null } : {}),
            ...(body.kind !== undefined ? { kind: body.kind } : {}),
            ...(moving ? { parentId: parent?.id ?? null } : {}),
            ...(body.adminUnitCode !== undefined ? { adminUnitCode: body.adminUnitCode } : {}),
            ...(body.active !== undefined ? { active: body.active } : {}),
          });
          await recordAudit(tx, ctx, {
            action: 'org.agency.update',
            targetType: 'agency',
            targetId: id,
            details: { fields: Object.keys(body), ...(moving ? { parentId: parent?.id ?? null } : {}) },
          });
          return (await repo.agencyById(id, tx)) as AgencyRow;
        }),
        code ?? '',
      );
      return loadDetail(updated);
    },

    /**
     * CSV code,name,short_name,kind,parent_code,admin_unit_code. Creates new codes and updates the
     * names, kind and unit of known ones; parents may come later in the file. All or nothing.
     */
    async importAgencies(ctx: RequestContext, csv: string, opts: { dryRun?: boolean }): Promise<ImportReport> {
      requireAccess(ctx.actor, MANAGE);
      const { header, rows } = parseCsv(csv);
      requireColumns(header, agencyCsvColumns, 'cơ quan');
      return inTx(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(727277)`);
        const all = await repo.allAgencies(tx);
        const existing = new Map(all.map((a) => [a.code, a]));
        const byId = new Map(all.map((a) => [a.id, a]));
        const report: ImportReport = {
          format: 'agencies',
          applied: false,
          counts: { rows: rows.length, created: 0, updated: 0, unchanged: 0, rejected: 0 },
          created: [],
          updated: [],
          rejected: [],
        };
        const reject = (line: number, reasons: string[]) => report.rejected.push({ line, reasons });

        const checked = rows.map((r) => ({ row: r, ...checkAgencyRow(r, agencyKinds) }));
        const unitCodes = [...new Set(checked.flatMap((c) => (c.value?.adminUnitCode ? [c.value.adminUnitCode] : [])))];
        const units = new Map((await repo.unitsByCodes(unitCodes, tx)).map((u) => [u.code, u]));
        const firstLine = new Map<string, number>();
        type Planned = { id: string; path: string; code: string };
        const planned = new Map<string, Planned>();
        const pending: NonNullable<(typeof checked)[number]['value']>[] = [];
        const inserts: Parameters<OrgRepo['insertAgency']>[1][] = [];
        const updates: { id: string; patch: Parameters<OrgRepo['updateAgency']>[2] }[] = [];

        for (const c of checked) {
          const reasons = [...c.reasons];
          const v = c.value;
          if (v) {
            const dup = firstLine.get(v.code);
            if (dup) reasons.push(`code: mã ${v.code} trùng với dòng ${dup}`);
            else firstLine.set(v.code, v.line);
            if (v.adminUnitCode) {
              const e = unitError(units.get(v.adminUnitCode), v.adminUnitCode);
              if (e) reasons.push(`admin_unit_code: ${e}`);
            }
          }
          if (reasons.length || !v) {
            reject(c.row.line, reasons);
            continue;
          }
          const known = existing.get(v.code);
          if (!known) {
            pending.push(v);
            continue;
          }
          // A known agency: update its descriptive fields; moving it is PATCH's job.
          const rowReasons: string[] = [];
          if (!can(ctx.actor, MANAGE, { scope: known.path })) rowReasons.push('Cơ quan này nằm ngoài phạm vi bạn quản lý');
          const knownParent = known.parent_id ? byId.get(known.parent_id) : undefined;
          if ((knownParent?.code ?? null) !== v.parentCode) {
            rowReasons.push(
              `parent_code: cơ quan đang trực thuộc ${knownParent?.code ?? '(không có)'}; đổi cơ quan cấp trên bằng PATCH /agencies/:id`,
            );
          }
          if (rowReasons.length) {
            reject(v.line, rowReasons);
            continue;
          }
          const patch = {
            ...(known.name !== v.name ? { name: v.name } : {}),
            ...(known.short_name !== v.shortName ? { shortName: v.shortName } : {}),
            ...(known.kind !== v.kind ? { kind: v.kind } : {}),
            ...(known.admin_unit_code !== v.adminUnitCode ? { adminUnitCode: v.adminUnitCode } : {}),
          };
          if (Object.keys(patch).length) {
            updates.push({ id: known.id, patch });
            report.updated.push(v.code);
          } else report.counts.unchanged++;
        }

        // New agencies, parents first: repeat until no row can be placed.
        let progress = true;
        while (pending.length && progress) {
          progress = false;
          for (let i = 0; i < pending.length; i++) {
            const v = pending[i] as (typeof pending)[number];
            let parent: Planned | null = null;
            if (v.parentCode) {
              const p = existing.get(v.parentCode);
              parent = p ? { id: p.id, path: p.path, code: p.code } : (planned.get(v.parentCode) ?? null);
              if (!parent) continue;
            }
            pending.splice(i--, 1);
            progress = true;
            const reasons: string[] = [];
            const existingParent = v.parentCode ? existing.get(v.parentCode) : undefined;
            const allowed = parent ? can(ctx.actor, MANAGE, { scope: parent.path }) : can(ctx.actor, MANAGE, { scope: '' });
            if (!allowed)
              reasons.push(
                parent ? `parent_code: ${v.parentCode} nằm ngoài phạm vi bạn quản lý` : 'Chỉ quản trị toàn tỉnh mới tạo được cơ quan gốc',
              );
            if (existingParent && !existingParent.active) reasons.push(`parent_code: ${existingParent.name} đã ngừng hoạt động`);
            const l1 = level1Error(v.code, parent?.code ?? null);
            if (l1) reasons.push(`code: ${l1}`);
            if (reasons.length) {
              reject(v.line, reasons);
              continue;
            }
            const id = randomUUID();
            const path = `${parent ? parent.path : ''}/${id}`;
            planned.set(v.code, { id, path, code: v.code });
            inserts.push({
              id,
              code: v.code,
              name: v.name,
              shortName: v.shortName,
              kind: v.kind,
              parentId: parent?.id ?? null,
              adminUnitCode: v.adminUnitCode,
              path,
            });
            report.created.push(v.code);
          }
        }
        for (const v of pending) {
          reject(v.line, [
            `parent_code: không tìm thấy cơ quan cấp trên ${v.parentCode} (trong hệ thống hoặc trong tệp), hoặc các dòng trỏ vòng tròn`,
          ]);
        }
        report.rejected.sort((a, b) => a.line - b.line);
        report.counts.created = report.created.length;
        report.counts.updated = report.updated.length;
        report.counts.rejected = report.rejected.length;
        if (report.rejected.length) {
          if (opts.dryRun) return report;
          throw rejectedImport(report);
        }
        if (opts.dryRun) return report;
        for (const row of inserts) await repo.insertAgency(tx, row);
        for (const u of updates) await repo.updateAgency(tx, u.id, u.patch);
        const done = { ...report, applied: true };
        await recordAudit(tx, ctx, { action: 'org.agency.import', targetType: 'agency', targetId: null, details: { counts: done.counts } });
        return done;
      });
    },

    async createDepartment(ctx: RequestContext, agencyId: string, body: DepartmentCreate): Promise<Department> {
      requireAccess(ctx.actor, MANAGE);
      return inTx(async (tx) => {
        const a = await repo.agencyById(agencyId, tx);
        if (!a) throw problems.notFound('Không tìm thấy cơ quan.');
        requireAccess(ctx.actor, MANAGE, { scope: a.path });
        const taken = (await repo.departmentsOf(agencyId, tx)).some((d) => d.code === body.code);
        if (taken) {
          throw problems.conflict('department_code_taken', 'Mã phòng đã được dùng', `${a.name} đã có phòng mã ${body.code}.`, [
            { field: 'body/code', message: 'Mã đã được dùng trong cơ quan' },
          ]);
        }
        const id = randomUUID();
        const row = { id, agencyId, code: body.code, name: body.name.trim(), path: `${a.path}/d:${id}` };
        await repo.insertDepartment(tx, row);
        await recordAudit(tx, ctx, {
          action: 'org.department.create',
          targetType: 'department',
          targetId: id,
          details: { agencyId, code: body.code },
        });
        return { id, agencyId, code: row.code, name: row.name, path: row.path, active: true };
      });
    },

    async patchDepartment(ctx: RequestContext, id: string, body: DepartmentPatch): Promise<Department> {
      requireAccess(ctx.actor, MANAGE);
      return inTx(async (tx) => {
        const d = await repo.departmentById(id, tx);
        if (!d) throw problems.notFound('Không tìm thấy phòng, ban.');
        requireAccess(ctx.actor, MANAGE, { scope: d.path });
        if (body.code && body.code !== d.code && (await repo.departmentsOf(d.agency_id, tx)).some((x) => x.code === body.code)) {
          throw problems.conflict('department_code_taken', 'Mã phòng đã được dùng', `Cơ quan đã có phòng mã ${body.code}.`, [
            { field: 'body/code', message: 'Mã đã được dùng trong cơ quan' },
          ]);
        }
        const patch = {
          ...(body.code !== undefined ? { code: body.code } : {}),
          ...(body.name !== undefined ? { name: body.name.trim() } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
        };
        await repo.updateDepartment(tx, id, patch);
        await recordAudit(tx, ctx, {
          action: 'org.department.update',
          targetType: 'department',
          targetId: id,
          details: { fields: Object.keys(body) },
        });
        return departmentOut({
          ...d,
          ...(patch.code ? { code: patch.code } : {}),
          ...(patch.name ? { name: patch.name } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
        });
      });
    },
  };
}
