/**
 * Use cases on staff, positions, roles and role assignments. An assignment gives a role within a
 * part of the tree; nobody may grant outside their own scope, nor a role carrying a permission
 * they do not hold there themselves.
 */
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit';
import { can, requireAccess, scopesFor } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import { isPermission, permissionCatalogue } from '../../platform/auth/permissions';
import type { Database, Orm } from '../../platform/db/database';
import { decodeCursor, pageOf } from '../../platform/http/pagination';
import { type FieldError, Problem, problems } from '../../platform/http/problem';
import { createAccount } from '../identity';
import type { AgencyRow, DepartmentRow, OrgRepo, StaffRow } from './org.repo';
import type {
  Assignment,
  AssignmentCreate,
  Position,
  PositionCreate,
  Role,
  RoleCreate,
  RolePatch,
  Staff,
  StaffCreate,
  StaffDetail,
  StaffListQuery,
  StaffPatch,
} from './org.schemas';
import { assignmentOut, foldVn, isUniqueViolation, requireProvinceWide, roleOut, rolePermissions, staffOut } from './org.shared';

const READ = 'org.staff.read' as const;
const MANAGE = 'org.staff.manage' as const;

export function staffService(db: Database, repo: OrgRepo) {
  const inTx = <T>(fn: (tx: Orm) => Promise<T>) => db.orm.transaction(fn);

  async function detail(s: StaffRow, tx?: Orm): Promise<StaffDetail> {
    const assignments = await repo.assignmentsOf(s.account_id, tx);
    return { ...staffOut(s), assignments: assignments.map(assignmentOut) };
  }

  /** Permissions of a role list, checked against the catalogue and against what the actor holds. */
  function checkRolePermissions(ctx: RequestContext, perms: string[]): void {
    const unknown = perms.filter((p) => !isPermission(p));
    if (unknown.length) {
      throw problems.validation(unknown.map((p) => ({ field: 'body/permissions', message: `Không có quyền "${p}" trong danh mục` })));
    }
    const notHeld = perms.filter((p) => isPermission(p) && !can(ctx.actor, p, { scope: '' }));
    if (notHeld.length) {
      throw new Problem(
        403,
        'grant_exceeds_own_permissions',
        'Không thể trao quyền mình không có',
        `Bạn không có các quyền sau trên phạm vi toàn tỉnh: ${notHeld.join(', ')}.`,
      );
    }
  }

  /** Resolves agency and department for a staff placement; returns field errors instead of throwing. */
  async function placement(agencyId: string, departmentId: string | null | undefined, tx: Orm, errors: FieldError[]) {
    const agency = await repo.agencyById(agencyId, tx);
    if (!agency) {
      errors.push({ field: 'body/agencyId', message: 'Không có cơ quan này' });
      return null;
    }
    let dept: DepartmentRow | undefined;
    if (departmentId) {
      dept = await repo.departmentById(departmentId, tx);
      if (!dept || dept.agency_id !== agency.id)
        errors.push({ field: 'body/departmentId', message: `Phòng này không thuộc ${agency.name}` });
      else if (!dept.active) errors.push({ field: 'body/departmentId', message: `${dept.name} đã ngừng hoạt động` });
    }
    if (!agency.active) errors.push({ field: 'body/agencyId', message: `${agency.name} đã ngừng hoạt động` });
    return { agency, dept: dept ?? null, path: dept?.path ?? agency.path };
  }

  return {
    // ---------------------------------------------------------------------------------------------
    // Positions, roles, permissions
    // ---------------------------------------------------------------------------------------------

    async listPositions(ctx: RequestContext): Promise<Position[]> {
      requireAccess(ctx.actor, READ);
      return repo.listPositions();
    },

    async createPosition(ctx: RequestContext, body: PositionCreate): Promise<Position> {
      requireProvinceWide(ctx.actor, MANAGE);
      const row = { code: body.code, name: body.name.trim(), rank: body.rank ?? 100 };
      try {
        return await inTx(async (tx) => {
          if (!(await repo.insertPosition(tx, row))) throw positionTaken(row.code);
          await recordAudit(tx, ctx, {
            action: 'org.position.create',
            targetType: 'position',
            targetId: row.code,
            details: { name: row.name },
          });
          return row;
        });
      } catch (e) {
        if (!(e instanceof Problem) && isUniqueViolation(e)) throw positionTaken(row.code);
        throw e;
      }
    },

    async listRoles(ctx: RequestContext): Promise<Role[]> {
      requireAccess(ctx.actor, READ);
      return (await repo.listRoles()).map(roleOut);
    },

    async createRole(ctx: RequestContext, body: RoleCreate): Promise<Role> {
      requireProvinceWide(ctx.actor, 'org.roles.manage');
      checkRolePermissions(ctx, body.permissions);
      return inTx(async (tx) => {
        const row = { code: body.code, name: body.name.trim(), description: body.description ?? null, permissions: body.permissions };
        if (!(await repo.insertRole(tx, row))) {
          throw problems.conflict('role_code_taken', 'Mã vai trò đã được dùng', `Đã có vai trò mã ${body.code}.`, [
            { field: 'body/code', message: 'Mã đã được dùng' },
          ]);
        }
        await recordAudit(tx, ctx, {
          action: 'org.role.create',
          targetType: 'role',
          targetId: body.code,
          details: { permissions: body.permissions },
        });
        return roleOut({ ...row, grants_all: false, builtin: false });
      });
    },

    /** Built-in roles keep their code; the administrator's role always has every permission. */
    async patchRole(ctx: RequestContext, code: string, body: RolePatch): Promise<Role> {
      requireProvinceWide(ctx.actor, 'org.roles.manage');
      return inTx(async (tx) => {
        const role = await repo.roleByCode(code, tx);
        if (!role) throw problems.notFound('Không có vai trò này.');
        if (body.permissions) {
          if (role.grants_all) {
            throw problems.unprocessable(
              'role_grants_all',
              'Không sửa được quyền của vai trò này',
              `${role.name} luôn có mọi quyền của hệ thống.`,
            );
          }
          checkRolePermissions(ctx, body.permissions);
        }
        const patch = {
          ...(body.name !== undefined ? { name: body.name.trim() } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.permissions !== undefined ? { permissions: body.permissions } : {}),
        };
        await repo.updateRole(tx, code, patch);
        await recordAudit(tx, ctx, {
          action: 'org.role.update',
          targetType: 'role',
          targetId: code,
          details: { fields: Object.keys(body), ...(body.permissions ? { permissions: body.permissions } : {}) },
        });
        return roleOut({ ...role, ...patch });
      });
    },

    async listPermissions(ctx: RequestContext): Promise<{ code: string; label: string }[]> {
      requireAccess(ctx.actor, READ);
      return Object.entries(permissionCatalogue).map(([code, label]) => ({ code, label }));
    },

    // ---------------------------------------------------------------------------------------------
    // Staff
    // ---------------------------------------------------------------------------------------------

    /** Staff in the actor's scopes only. */
    async listStaff(ctx: RequestContext, query: StaffListQuery): Promise<{ items: Staff[]; nextCursor: string | null }> {
      requireAccess(ctx.actor, READ);
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor);
      if (after && (after.length !== 2 || typeof after[0] !== 'string' || typeof after[1] !== 'string' || !isUuid(after[1]))) {
        throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
      }
      const fold = query.q ? foldVn(query.q) : '';
      const rows = await repo.listStaff({
        scopes: scopesFor(ctx.actor, READ),
        agencyId: query.agencyId,
        departmentId: query.departmentId,
        fold: fold || undefined,
        active: query.active,
        after: after ? [after[0] as string, after[1] as string] : undefined,
        limit: limit + 1,
      });
      const page = pageOf(rows, limit, (r) => [r.sort_key, r.id]);
      return { items: page.items.map(staffOut), nextCursor: page.nextCursor };
    },

    async getStaff(ctx: RequestContext, id: string): Promise<StaffDetail> {
      requireAccess(ctx.actor, READ);
      const s = await repo.staffById(id);
      if (!s) throw problems.notFound('Không tìm thấy cán bộ.');
      requireAccess(ctx.actor, READ, { scope: s.path, ownerAccountId: s.account_id });
      return detail(s);
    },

    /** Creates the account (identity module) and the staff record in one transaction. */
    async createStaff(ctx: RequestContext, body: StaffCreate): Promise<StaffDetail> {
      requireAccess(ctx.actor, MANAGE);
      return inTx(async (tx) => {
        const errors: FieldError[] = [];
        const place = await placement(body.agencyId, body.departmentId, tx, errors);
        if (place) requireAccess(ctx.actor, MANAGE, { scope: place.path });
        if (!(await repo.positionByCode(body.positionCode, tx)))
          errors.push({ field: 'body/positionCode', message: 'Không có chức vụ này' });
        if (errors.length || !place) throw problems.validation(errors);
        const account = await createAccount(tx, {
          username: body.username,
          displayName: body.displayName,
          kind: 'staff',
          password: body.password,
          email: body.email ?? null,
          phone: body.phone ?? null,
        });
        const id = randomUUID();
        await repo.insertStaff(tx, {
          id,
          accountId: account.id,
          fullName: body.displayName.trim(),
          agencyId: place.agency.id,
          departmentId: place.dept?.id ?? null,
          positionCode: body.positionCode,
        });
        await recordAudit(tx, ctx, {
          action: 'org.staff.create',
          targetType: 'staff',
          targetId: id,
          details: {
            accountId: account.id,
            agencyId: place.agency.id,
            departmentId: place.dept?.id ?? null,
            positionCode: body.positionCode,
          },
        });
        return detail((await repo.staffById(id, tx)) as StaffRow, tx);
      });
    },

    /**
     * Moves a staff member, changes the position or deactivates. A move to another agency also ends
     * the roles that were scoped inside the old agency: rights follow the job, not the person.
     */
    async patchStaff(ctx: RequestContext, id: string, body: StaffPatch): Promise<StaffDetail> {
      requireAccess(ctx.actor, MANAGE);
      return inTx(async (tx) => {
        const s = await repo.staffById(id, tx);
        if (!s) throw problems.notFound('Không tìm thấy cán bộ.');
        requireAccess(ctx.actor, MANAGE, { scope: s.path });
        if (body.active === false && s.account_id === ctx.actor.accountId) {
          throw problems.unprocessable('self_deactivation', 'Không thể tự cho thôi công tác', 'Hãy nhờ một quản trị khác thực hiện.');
        }
        const errors: FieldError[] = [];
        const agencyId = body.agencyId ?? s.agency_id;
        const movingAgency = agencyId !== s.agency_id;
        const departmentId = body.departmentId !== undefined ? body.departmentId : movingAgency ? null : s.department_id;
        const moving = movingAgency || departmentId !== s.department_id;
        let oldAgency: AgencyRow | undefined;
        if (moving) {
          const place = await placement(agencyId, departmentId, tx, errors);
          if (place && !can(ctx.actor, MANAGE, { scope: place.path })) {
            throw problems.forbidden('Bạn không quản lý cơ quan, phòng ban chuyển đến.');
          }
          if (movingAgency) oldAgency = await repo.agencyById(s.agency_id, tx);
        }
        if (body.positionCode && !(await repo.positionByCode(body.positionCode, tx))) {
          errors.push({ field: 'body/positionCode', message: 'Không có chức vụ này' });
        }
        if (errors.length) throw problems.validation(errors);
        await repo.updateStaff(tx, id, {
          ...(moving ? { agencyId, departmentId } : {}),
          ...(body.positionCode ? { positionCode: body.positionCode } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          ...(body.fullName ? { fullName: body.fullName.trim() } : {}),
        });
        const revoked: string[] = [];
        if (oldAgency) {
          const within = (scope: string) => scope === oldAgency.path || scope.startsWith(`${oldAgency.path}/`);
          for (const a of await repo.assignmentsOf(s.account_id, tx)) {
            if (a.scope !== '' && within(a.scope) && (await repo.deleteAssignment(tx, a.id, s.account_id))) revoked.push(a.id);
          }
        }
        await recordAudit(tx, ctx, {
          action: 'org.staff.update',
          targetType: 'staff',
          targetId: id,
          details: {
            fields: Object.keys(body),
            ...(moving ? { agencyId, departmentId } : {}),
            ...(revoked.length ? { revokedAssignments: revoked } : {}),
          },
        });
        return detail((await repo.staffById(id, tx)) as StaffRow, tx);
      });
    },

    async addAssignment(ctx: RequestContext, staffId: string, body: AssignmentCreate): Promise<Assignment> {
      requireAccess(ctx.actor, MANAGE);
      return inTx(async (tx) => {
        const s = await repo.staffById(staffId, tx);
        if (!s) throw problems.notFound('Không tìm thấy cán bộ.');
        requireAccess(ctx.actor, MANAGE, { scope: s.path });
        if (s.account_id === ctx.actor.accountId) {
          throw problems.forbidden('Không thể tự phân quyền cho chính mình; hãy nhờ một quản trị khác.');
        }
        const role = await repo.roleByCode(body.roleCode, tx);
        const errors: FieldError[] = [];
        if (!role) errors.push({ field: 'body/roleCode', message: 'Không có vai trò này' });
        let agencyId = body.scopeAgencyId ?? null;
        const departmentId = body.scopeDepartmentId ?? null;
        let scope = '';
        if (departmentId) {
          const d = await repo.departmentById(departmentId, tx);
          if (!d) errors.push({ field: 'body/scopeDepartmentId', message: 'Không có phòng, ban này' });
          else if (agencyId && agencyId !== d.agency_id)
            errors.push({ field: 'body/scopeDepartmentId', message: 'Phòng không thuộc cơ quan đã chọn' });
          else {
            agencyId = d.agency_id;
            scope = d.path;
          }
        } else if (agencyId) {
          const a = await repo.agencyById(agencyId, tx);
          if (!a) errors.push({ field: 'body/scopeAgencyId', message: 'Không có cơ quan này' });
          else scope = a.path;
        }
        if (errors.length || !role) throw problems.validation(errors);
        if (!can(ctx.actor, MANAGE, { scope })) {
          throw new Problem(
            403,
            'grant_outside_scope',
            'Ngoài phạm vi phân quyền',
            'Bạn chỉ được phân quyền trong phạm vi cơ quan, phòng ban mình quản lý.',
          );
        }
        const missing = rolePermissions(role).filter((p) => !isPermission(p) || !can(ctx.actor, p, { scope }));
        if (missing.length) {
          throw new Problem(
            403,
            'grant_exceeds_own_permissions',
            'Không thể trao quyền mình không có',
            `Vai trò ${role.name} có các quyền bạn không có trong phạm vi này: ${missing.join(', ')}.`,
          );
        }
        const id = await repo.insertAssignment(tx, {
          accountId: s.account_id,
          roleCode: role.code,
          scopeAgencyId: agencyId,
          scopeDepartmentId: departmentId,
          createdBy: ctx.actor.accountId,
        });
        if (!id) throw problems.conflict('assignment_exists', 'Đã phân quyền này', `Cán bộ đã có vai trò ${role.name} trong phạm vi này.`);
        await recordAudit(tx, ctx, {
          action: 'org.assignment.create',
          targetType: 'staff',
          targetId: staffId,
          details: { assignmentId: id, roleCode: role.code, scopeAgencyId: agencyId, scopeDepartmentId: departmentId },
        });
        return assignmentOut((await repo.assignmentById(id, tx)) as NonNullable<Awaited<ReturnType<OrgRepo['assignmentById']>>>);
      });
    },

    async removeAssignment(ctx: RequestContext, staffId: string, assignmentId: string): Promise<void> {
      requireAccess(ctx.actor, MANAGE);
      await inTx(async (tx) => {
        const s = await repo.staffById(staffId, tx);
        if (!s) throw problems.notFound('Không tìm thấy cán bộ.');
        requireAccess(ctx.actor, MANAGE, { scope: s.path });
        const a = await repo.assignmentById(assignmentId, tx);
        if (!a || a.account_id !== s.account_id) throw problems.notFound('Không có phân quyền này.');
        if (s.account_id === ctx.actor.accountId) {
          throw problems.forbidden('Không thể tự thu hồi quyền của chính mình; hãy nhờ một quản trị khác.');
        }
        if (!can(ctx.actor, MANAGE, { scope: a.scope })) {
          throw new Problem(
            403,
            'grant_outside_scope',
            'Ngoài phạm vi phân quyền',
            'Phân quyền này có phạm vi rộng hơn phạm vi bạn quản lý.',
          );
        }
        await repo.deleteAssignment(tx, assignmentId, s.account_id);
        await recordAudit(tx, ctx, {
          action: 'org.assignment.delete',
          targetType: 'staff',
          targetId: staffId,
          details: { assignmentId, roleCode: a.role_code, scopeAgencyId: a.scope_agency_id, scopeDepartmentId: a.scope_department_id },
        });
      });
    },
  };
}

const positionTaken = (code: string) =>
  problems.conflict('position_taken', 'Chức vụ đã có', `Đã có chức vụ mã ${code} hoặc cùng tên.`, [
    { field: 'body/code', message: 'Đã có' },
  ]);

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
