/**
 * What other modules may use from org.
 *
 * - grantsForAccount(db, accountId): the actor's grants (role permissions + scope path), one query;
 *   identity builds the actor with it on every request. orgLookup(db) bundles it for identity.
 * - grantProvinceRole(tx, accountId, role): a whole-province assignment (first administrator).
 * - agencyById / agenciesByIds / agencyByCode / unitByCode: read-only lookups (an agency's `path` is the scope to
 *   store on records it owns, so that requireAccess() can check them).
 * - registerOrgRoutes, orgService: the HTTP routes and use cases.
 * - seedDemoOrg(db, config): the Đắk Lắk demo organisation; demo ids/codes for other modules' seeds.
 */
import { sql } from 'drizzle-orm';
import type { Grant } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import { orgRepo } from './org.repo';
import { roleAssignments } from './org.tables';

export interface AgencyInfo {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  parentId: string | null;
  adminUnitCode: string | null;
  /** Scope path: put it on records the agency owns. */
  path: string;
  active: boolean;
}

export interface UnitInfo {
  code: string;
  level: 'province' | 'district' | 'commune';
  name: string;
  type: string;
  provinceCode: string | null;
  validTo: string | null;
  successorCode: string | null;
}

export function grantsForAccount(db: Database, accountId: string): Promise<Grant[]> {
  return orgRepo(db).grantsForAccount(accountId);
}

/**
 * Gives an account a role over the whole province, inside the caller's transaction (the first
 * administrator, created from the command line, has no staff record yet).
 */
export async function grantProvinceRole(tx: Orm, accountId: string, roleCode: string): Promise<void> {
  await tx
    .insert(roleAssignments)
    .values({ accountId, roleCode, scopeAgencyId: null, scopeDepartmentId: null, createdBy: null })
    .onConflictDoNothing();
}

export async function agencyOfAccount(db: Database, accountId: string): Promise<{ id: string; name: string } | null> {
  return (await orgRepo(db).agencyOfAccount(accountId)) ?? null;
}

/** The lookups identity needs, bound to a database. */
export function orgLookup(db: Database) {
  return {
    grantsForAccount: (accountId: string) => grantsForAccount(db, accountId),
    agencyOfAccount: (accountId: string) => agencyOfAccount(db, accountId),
  };
}

function agencyInfo(a: Awaited<ReturnType<ReturnType<typeof orgRepo>['agencyById']>>): AgencyInfo | null {
  if (!a) return null;
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    shortName: a.short_name,
    kind: a.kind,
    parentId: a.parent_id,
    adminUnitCode: a.admin_unit_code,
    path: a.path,
    active: a.active,
  };
}

export async function agencyById(db: Database, id: string): Promise<AgencyInfo | null> {
  return agencyInfo(await orgRepo(db).agencyById(id));
}

/** Several agencies in one query (for lists that show agency names); unknown ids are left out. */
export async function agenciesByIds(db: Database, ids: string[]): Promise<AgencyInfo[]> {
  return (await orgRepo(db).agenciesByIds(ids)).map((a) => agencyInfo(a) as AgencyInfo);
}

/** Name and agency of staff accounts, one query (ratings copies them); accounts without a staff record are left out. */
export async function staffByAccounts(
  db: Database,
  accountIds: string[],
): Promise<{ accountId: string; name: string; agencyId: string; agencyName: string; agencyPath: string }[]> {
  if (!accountIds.length) return [];
  return db.rows(
    sql`select s.account_id as "accountId", s.full_name as name, a.id as "agencyId", a.name as "agencyName", a.path as "agencyPath"
          from staff s join agencies a on a.id = s.agency_id
         where s.account_id = any(${`{${accountIds.join(',')}}`}::uuid[])`,
  );
}

export interface StaffMember {
  accountId: string;
  name: string;
  username: string;
  email: string | null;
  roles: string[];
  department: string | null;
}

/** Active staff of an agency who hold one of `roles` there (candidates for assignment, warnings). */
export async function staffWithRoles(db: Database, agency: Pick<AgencyInfo, 'path'>, roles: string[]): Promise<StaffMember[]> {
  const byAccount = new Map<string, StaffMember>();
  for (const r of await orgRepo(db).staffWithRoles(agency.path, roles)) {
    const m: StaffMember = byAccount.get(r.account_id) ?? {
      accountId: r.account_id,
      name: r.full_name,
      username: r.username,
      email: r.email,
      roles: [],
      department: r.department,
    };
    m.roles.push(r.role);
    byAccount.set(r.account_id, m);
  }
  return [...byAccount.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

/** Active departments of an agency (choices when assigning work inside it), by name. */
export async function departmentsOf(db: Database, agencyId: string): Promise<{ code: string; name: string }[]> {
  return db.rows(sql`select code, name from departments where agency_id = ${agencyId} and active order by name`);
}

/** The scope path of an agency's department by its code, or null when there is no such active department. */
export async function departmentPath(db: Database, agencyId: string, code: string): Promise<string | null> {
  const [r] = await db.rows<{ path: string }>(
    sql`select path from departments where agency_id = ${agencyId} and code = ${code} and active`,
  );
  return r?.path ?? null;
}

export async function agencyByCode(db: Database, code: string): Promise<AgencyInfo | null> {
  return agencyInfo(await orgRepo(db).agencyByCode(code));
}

/** Active agencies of an administrative unit (e.g. a commune's People's Committee), optionally of one kind; by code. */
export async function agenciesByAdminUnit(db: Database, adminUnitCode: string | null, kind?: string): Promise<AgencyInfo[]> {
  const rows = await orgRepo(db).listAgencies({ ...(adminUnitCode ? { adminUnitCode } : {}), ...(kind ? { kind } : {}), limit: 20 });
  return rows.map((a) => agencyInfo(a) as AgencyInfo);
}

/**
 * The one-stop desk (bộ phận một cửa) that receives dossiers for `agency`: a commune's People's
 * Committee receives its own; any other agency's dossiers go to the public administrative service
 * centre (trung tâm phục vụ hành chính công) of its tree — the agency itself, an ancestor, or a
 * sibling under the same parent (the provincial centre sits beside the departments). Null when the
 * tree has no such centre.
 */
export async function receptionDeskOf(db: Database, agency: AgencyInfo): Promise<AgencyInfo | null> {
  if (agency.kind === 'ubnd_xa' || agency.kind === 'trung_tam_pvhcc') return agency;
  return agencyInfo(await orgRepo(db).nearestOfKind(agency.path, 'trung_tam_pvhcc'));
}

/**
 * An agency with the desk that receives its dossiers (receptionDeskOf) in one database round trip;
 * null when the agency does not exist, `desk` null when its tree has no service centre.
 */
export async function agencyAndDesk(db: Database, id: string): Promise<{ agency: AgencyInfo; desk: AgencyInfo | null } | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const r = await orgRepo(db).agencyWithCentre(id);
  if (!r) return null;
  const agency = agencyInfo(r.agency) as AgencyInfo;
  const selfDesk = agency.kind === 'ubnd_xa' || agency.kind === 'trung_tam_pvhcc';
  return { agency, desk: selfDesk ? agency : agencyInfo(r.centre ?? undefined) };
}

export async function unitByCode(db: Database, code: string): Promise<UnitInfo | null> {
  const u = await orgRepo(db).unitByCode(code);
  return u
    ? {
        code: u.code,
        level: u.level,
        name: u.name,
        type: u.type,
        provinceCode: u.province_code,
        validTo: u.valid_to,
        successorCode: u.successor_code,
      }
    : null;
}

export { checkAgencyCode } from './org.codes';
export { registerOrgRoutes } from './org.routes';
export {
  agencyIdFor as demoAgencyId,
  DEMO_PROVINCE_AGENCY_CODE,
  DEMO_PROVINCE_CODE,
  demoAgencies,
  departmentIdFor as demoDepartmentId,
  seedDemoOrg,
} from './org.seed';
export { type OrgService, orgService } from './org.service';
