/**
 * Small helpers shared by the org use cases: row → API mapping, access helpers, error mapping.
 */

import { requireAccess, scopesFor } from '../../platform/auth/access';
import type { Actor } from '../../platform/auth/actor';
import type { Permission } from '../../platform/auth/permissions';
import { allPermissions } from '../../platform/auth/permissions';
import { problems } from '../../platform/http/problem';
import type { AgencyRow, AssignmentRow, DepartmentRow, RoleRow, StaffRow, UnitRow, UnitStateRow } from './org.repo';
import type { Agency, Assignment, Department, Role, Staff, Unit } from './org.schemas';

export const iso = (v: Date | string): string => new Date(v).toISOString();

/**
 * For data that belongs to the whole province (administrative units, roles, positions): the actor
 * needs the permission with a province-wide grant; one scoped to an agency is not enough.
 */
export function requireProvinceWide(actor: Actor, permission: Permission): void {
  requireAccess(actor, permission);
  if (scopesFor(actor, permission) !== 'all') {
    throw problems.forbidden('Chỉ cán bộ được giao quyền này trên phạm vi toàn tỉnh mới thực hiện được thao tác này.');
  }
}

export { isUniqueViolation } from '../../platform/db/database';

/** Folds Vietnamese text the way vn_fold() does in SQL (lower case, no tone marks, đ → d). */
export function foldVn(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function unitOut(r: UnitRow | UnitStateRow): Unit {
  return {
    code: r.code,
    level: r.level,
    name: r.name,
    type: r.type as Unit['type'],
    provinceCode: r.province_code,
    districtCode: r.district_code,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    successorCode: r.successor_code,
    legalBasis: r.legal_basis,
    note: r.note,
    current: 'current' in r ? r.current : true,
  };
}

export function agencyOut(r: AgencyRow): Agency {
  return {
    id: r.id,
    code: r.code,
    legacyCode: r.legacy_code,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind as Agency['kind'],
    parentId: r.parent_id,
    adminUnitCode: r.admin_unit_code,
    path: r.path,
    active: r.active,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function departmentOut(r: DepartmentRow): Department {
  return { id: r.id, agencyId: r.agency_id, code: r.code, name: r.name, path: r.path, active: r.active };
}

export function staffOut(r: StaffRow): Staff {
  return {
    id: r.id,
    accountId: r.account_id,
    fullName: r.full_name,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    departmentId: r.department_id,
    departmentName: r.department_name,
    positionCode: r.position_code,
    positionName: r.position_name,
    active: r.active,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function assignmentOut(r: AssignmentRow): Assignment {
  return {
    id: r.id,
    roleCode: r.role_code,
    roleName: r.role_name,
    scopeAgencyId: r.scope_agency_id,
    scopeAgencyName: r.scope_agency_name,
    scopeDepartmentId: r.scope_department_id,
    scopeDepartmentName: r.scope_department_name,
    wholeProvince: r.scope === '',
    createdAt: iso(r.created_at),
  };
}

/** The permissions a role gives (the administrator's role gives the whole catalogue). */
export function rolePermissions(r: RoleRow): string[] {
  return r.grants_all ? [...allPermissions] : r.permissions;
}

export function roleOut(r: RoleRow): Role {
  return {
    code: r.code,
    name: r.name,
    description: r.description,
    permissions: rolePermissions(r),
    grantsAll: r.grants_all,
    builtin: r.builtin,
  };
}
