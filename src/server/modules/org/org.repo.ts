/**
 * All SQL of the org module. Dates are read as text (YYYY-MM-DD) so no driver turns them into
 * local-midnight Date objects; timestamps are read as Date or string and turned into ISO strings
 * by the service.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Grant } from '../../platform/auth/actor';
import { allPermissions, isPermission } from '../../platform/auth/permissions';
import type { Database, Orm } from '../../platform/db/database';
import {
  adminUnitLinks,
  adminUnits,
  adminUnitVersions,
  agencies,
  departments,
  positions,
  roleAssignments,
  roles,
  staff,
} from './org.tables';

// ------------------------------------------------------------------------------------------------
// Row types (snake_case as they come from SQL)
// ------------------------------------------------------------------------------------------------

export interface UnitRow {
  code: string;
  level: 'province' | 'district' | 'commune';
  name: string;
  type: string;
  province_code: string | null;
  district_code: string | null;
  valid_from: string | null;
  valid_to: string | null;
  successor_code: string | null;
  legal_basis: string | null;
  note: string | null;
}

export interface UnitStateRow extends UnitRow {
  current: boolean;
}

export interface UnitVersionRow {
  code: string;
  name: string;
  type: string;
  province_code: string | null;
  district_code: string | null;
  valid_from: string | null;
  valid_to: string;
  legal_basis: string | null;
}

export interface UnitLinkRow {
  code: string;
  name: string;
  level: UnitRow['level'];
  valid_to: string | null;
  relation: 'full' | 'partial';
  effective_date: string;
  legal_basis: string | null;
  note: string | null;
}

export interface AgencyRow {
  id: string;
  code: string;
  legacy_code: string | null;
  name: string;
  short_name: string | null;
  kind: string;
  parent_id: string | null;
  admin_unit_code: string | null;
  path: string;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface DepartmentRow {
  id: string;
  agency_id: string;
  code: string;
  name: string;
  path: string;
  active: boolean;
}

export interface PositionRow {
  code: string;
  name: string;
  rank: number;
}

export interface RoleRow {
  code: string;
  name: string;
  description: string | null;
  permissions: string[];
  grants_all: boolean;
  builtin: boolean;
}

export interface StaffRow {
  id: string;
  account_id: string;
  full_name: string;
  agency_id: string;
  agency_name: string;
  department_id: string | null;
  department_name: string | null;
  position_code: string;
  position_name: string;
  active: boolean;
  /** Where the staff member sits in the tree (department path, else agency path). */
  path: string;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface AssignmentRow {
  id: string;
  account_id: string;
  role_code: string;
  role_name: string;
  scope_agency_id: string | null;
  scope_agency_name: string | null;
  scope_department_id: string | null;
  scope_department_name: string | null;
  /** The assignment's scope path ('' = whole province). */
  scope: string;
  created_at: Date | string;
  created_by: string | null;
}

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

const unitCols = sql.raw(`code, level, name, type, province_code, district_code, valid_from::text as valid_from,
  valid_to::text as valid_to, successor_code, legal_basis, note`);

/** `col = scope or col like scope/%` for each scope: the SQL twin of withinScope(). */
export function scopeFilter(col: SQL, scopes: string[] | 'all'): SQL {
  if (scopes === 'all') return sql`true`;
  if (scopes.length === 0) return sql`false`;
  return sql`(${sql.join(
    scopes.map((s) => sql`(${col} = ${s} or ${col} like ${`${s}/%`})`),
    sql` or `,
  )})`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type NewUnit = typeof adminUnits.$inferInsert;
export type NewUnitVersion = typeof adminUnitVersions.$inferInsert;
export type NewUnitLink = typeof adminUnitLinks.$inferInsert;

export function orgRepo(db: Database) {
  const q = <T>(query: SQL, tx?: Orm) => db.rows<T>(query, tx);
  const one = async <T>(query: SQL, tx?: Orm) => (await db.rows<T>(query, tx))[0];

  return {
    // ------------------------------------------------------------------------------------------
    // Administrative units
    // ------------------------------------------------------------------------------------------

    /**
     * Unit states, ordered by code. With `at`, the state in force that day (the current row or an
     * earlier version of the same code); without it, the current rows (`inForceOn` limits them to
     * those in force that day).
     */
    async listUnits(f: {
      at: string | null;
      level?: string;
      type?: string;
      provinceCode?: string;
      fold?: string;
      afterCode?: string;
      limit: number;
    }): Promise<UnitStateRow[]> {
      const conds: SQL[] = [];
      if (f.at) {
        conds.push(sql`(s.valid_from is null or s.valid_from <= ${f.at}::date)`);
        conds.push(sql`(s.valid_to is null or s.valid_to > ${f.at}::date)`);
      }
      if (f.level) conds.push(sql`s.level = ${f.level}`);
      if (f.type) conds.push(sql`s.type = ${f.type}`);
      if (f.provinceCode) conds.push(sql`s.province_code = ${f.provinceCode}`);
      if (f.fold) conds.push(sql`s.search like ${`%${likeEscape(f.fold)}%`}`);
      if (f.afterCode) conds.push(sql`s.code > ${f.afterCode}`);
      const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
      const versions = f.at
        ? sql`union all
           select v.code, u.level, v.name, v.type, v.province_code, v.district_code, v.valid_from, v.valid_to,
                  null::text, v.legal_basis, null::text, v.search, false
             from admin_unit_versions v join admin_units u on u.code = v.code`
        : sql``;
      return q<UnitStateRow>(sql`
        with s (code, level, name, type, province_code, district_code, valid_from, valid_to, successor_code,
                legal_basis, note, search, current) as (
          select code, level, name, type, province_code, district_code, valid_from, valid_to, successor_code,
                 legal_basis, note, search, true
            from admin_units
          ${versions}
        )
        select code, level, name, type, province_code, district_code, valid_from::text as valid_from,
               valid_to::text as valid_to, successor_code, legal_basis, note, current
          from s ${where}
         order by code
         limit ${f.limit}`);
    },

    unitByCode(code: string, tx?: Orm): Promise<UnitRow | undefined> {
      return one<UnitRow>(sql`select ${unitCols} from admin_units where code = ${code}`, tx);
    },

    unitLock(code: string, tx: Orm): Promise<UnitRow | undefined> {
      return one<UnitRow>(sql`select ${unitCols} from admin_units where code = ${code} for update`, tx);
    },

    unitsByCodes(codes: string[], tx?: Orm): Promise<UnitRow[]> {
      if (codes.length === 0) return Promise.resolve([]);
      return q<UnitRow>(sql`select ${unitCols} from admin_units where code in ${codes}`, tx);
    },

    unitVersions(code: string, tx?: Orm): Promise<UnitVersionRow[]> {
      return q<UnitVersionRow>(
        sql`select code, name, type, province_code, district_code, valid_from::text as valid_from,
                   valid_to::text as valid_to, legal_basis
              from admin_unit_versions where code = ${code} order by valid_to desc`,
        tx,
      );
    },

    /** Units this one's territory went into. */
    linksFrom(code: string): Promise<UnitLinkRow[]> {
      return q<UnitLinkRow>(sql`
        select u.code, u.name, u.level, u.valid_to::text as valid_to, l.relation, l.effective_date::text as effective_date,
               l.legal_basis, l.note
          from admin_unit_links l join admin_units u on u.code = l.successor_code
         where l.predecessor_code = ${code}
         order by l.effective_date, u.code`);
    },

    /** Units whose territory came into this one, named as they were just before the change. */
    linksTo(code: string): Promise<UnitLinkRow[]> {
      return q<UnitLinkRow>(sql`
        select u.code,
               coalesce((select v.name from admin_unit_versions v
                          where v.code = u.code and v.valid_to >= l.effective_date
                            and (v.valid_from is null or v.valid_from < l.effective_date)
                          order by v.valid_to limit 1), u.name) as name,
               u.level, u.valid_to::text as valid_to, l.relation, l.effective_date::text as effective_date,
               l.legal_basis, l.note
          from admin_unit_links l join admin_units u on u.code = l.predecessor_code
         where l.successor_code = ${code}
         order by l.effective_date, u.code`);
    },

    /** Follows successor_code from a closed unit to the unit in force (cycles are cut at 20 steps). */
    successorChain(code: string): Promise<UnitRow[]> {
      return q<UnitRow>(sql`
        with recursive chain as (
          select u.*, 1 as depth from admin_units u
           where u.code = (select successor_code from admin_units where code = ${code})
          union all
          select u.*, c.depth + 1 from admin_units u join chain c on u.code = c.successor_code
           where c.depth < 20
        )
        select code, level, name, type, province_code, district_code, valid_from::text as valid_from,
               valid_to::text as valid_to, successor_code, legal_basis, note
          from chain order by depth`);
    },

    /** Units under a province or district still in force on `day`. */
    async countInForceChildren(code: string, day: string, tx?: Orm): Promise<number> {
      const row = await one<{ n: number }>(
        sql`select count(*)::int as n from admin_units
             where (province_code = ${code} or district_code = ${code})
               and (valid_to is null or valid_to > ${day}::date)`,
        tx,
      );
      return row?.n ?? 0;
    },

    async insertUnits(tx: Orm, rows: NewUnit[]): Promise<void> {
      const order = { province: 0, district: 1, commune: 2 } as Record<string, number>;
      const sorted = [...rows].sort((a, b) => (order[a.level] ?? 9) - (order[b.level] ?? 9));
      for (const part of chunks(sorted, 500)) await tx.insert(adminUnits).values(part);
    },

    async insertVersions(tx: Orm, rows: NewUnitVersion[]): Promise<void> {
      for (const part of chunks(rows, 500)) await tx.insert(adminUnitVersions).values(part).onConflictDoNothing();
    },

    async insertLinks(tx: Orm, rows: NewUnitLink[]): Promise<void> {
      for (const part of chunks(rows, 500)) await tx.insert(adminUnitLinks).values(part).onConflictDoNothing();
    },

    async updateUnit(
      tx: Orm,
      code: string,
      patch: Partial<
        Pick<NewUnit, 'name' | 'type' | 'provinceCode' | 'districtCode' | 'validFrom' | 'validTo' | 'successorCode' | 'legalBasis' | 'note'>
      >,
    ): Promise<void> {
      await tx
        .update(adminUnits)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(adminUnits.code, code));
    },

    /** Rewrites the state columns of many units, 500 per statement. */
    async bulkUpdateUnits(tx: Orm, rows: UnitRow[]): Promise<void> {
      for (const part of chunks(rows, 500)) {
        const values = sql.join(
          part.map(
            (u) =>
              sql`(${u.code}, ${u.name}, ${u.type}, ${u.province_code}, ${u.district_code}, ${u.valid_from}::date, ${u.legal_basis}, ${u.successor_code})`,
          ),
          sql`, `,
        );
        await q(
          sql`update admin_units u set name = v.name, type = v.type, province_code = v.province_code,
                     district_code = v.district_code, valid_from = v.valid_from, legal_basis = v.legal_basis,
                     successor_code = v.successor_code, updated_at = now()
                from (values ${values}) as v(code, name, type, province_code, district_code, valid_from, legal_basis, successor_code)
               where u.code = v.code`,
          tx,
        );
      }
    },

    /** Everything the CSV importer compares against, in three queries. */
    async unitSnapshot(tx: Orm) {
      const units = await q<UnitRow>(sql`select ${unitCols} from admin_units`, tx);
      const versions = await q<UnitVersionRow>(
        sql`select code, name, type, province_code, district_code, valid_from::text as valid_from,
                   valid_to::text as valid_to, legal_basis
              from admin_unit_versions`,
        tx,
      );
      const links = await q<{ predecessor_code: string; successor_code: string; effective_date: string }>(
        sql`select predecessor_code, successor_code, effective_date::text as effective_date from admin_unit_links`,
        tx,
      );
      return { units, versions, links };
    },

    // ------------------------------------------------------------------------------------------
    // Agencies and departments
    // ------------------------------------------------------------------------------------------

    listAgencies(f: {
      parentId?: string;
      kind?: string;
      adminUnitCode?: string;
      fold?: string;
      includeInactive?: boolean;
      afterCode?: string;
      limit: number;
    }): Promise<AgencyRow[]> {
      const conds: SQL[] = [];
      if (f.parentId) conds.push(sql`parent_id = ${f.parentId}`);
      if (f.kind) conds.push(sql`kind = ${f.kind}`);
      if (f.adminUnitCode) conds.push(sql`admin_unit_code = ${f.adminUnitCode}`);
      if (f.fold) conds.push(sql`search like ${`%${likeEscape(f.fold)}%`}`);
      if (!f.includeInactive) conds.push(sql`active`);
      if (f.afterCode) conds.push(sql`code > ${f.afterCode}`);
      const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
      return q<AgencyRow>(sql`select ${agencyCols} from agencies ${where} order by code limit ${f.limit}`);
    },

    agencyById(id: string, tx?: Orm): Promise<AgencyRow | undefined> {
      return one<AgencyRow>(sql`select ${agencyCols} from agencies where id = ${id}`, tx);
    },

    /**
     * An agency and, unless it receives its own dossiers (commune People's Committee, service centre),
     * its nearest active service centre (as nearestOfKind): one prepared statement for the submission path.
     */
    async agencyWithCentre(id: string): Promise<{ agency: AgencyRow; centre: AgencyRow | null } | undefined> {
      const [r] = await db.prepared<AgencyRow & { centre: AgencyRow | null }>(
        'org_agency_with_centre',
        `select a.id, a.code, a.legacy_code, a.name, a.short_name, a.kind, a.parent_id, a.admin_unit_code, a.path, a.active,
                a.created_at, a.updated_at, c.centre
           from agencies a
           left join lateral (
             select to_jsonb(x) as centre
               from (select id, code, legacy_code, name, short_name, kind, parent_id, admin_unit_code, path, active,
                            created_at, updated_at
                       from agencies
                      where kind = 'trung_tam_pvhcc' and active
                        and (a.path = path or a.path like path || '/%'
                             or (parent_id is not null and a.path like (select p.path from agencies p where p.id = agencies.parent_id) || '/%'))
                      order by length(path) desc limit 1) x
           ) c on a.kind not in ('ubnd_xa', 'trung_tam_pvhcc')
          where a.id = $1`,
        [id],
      );
      if (!r) return undefined;
      const { centre, ...agency } = r;
      return { agency, centre: centre ?? null };
    },

    /** The active agency of a kind closest above `path` (itself included), nearest ancestor first. */
    nearestOfKind(path: string, kind: string, tx?: Orm): Promise<AgencyRow | undefined> {
      return one<AgencyRow>(
        sql`select ${agencyCols} from agencies
             where kind = ${kind} and active
               and (${path} = path or ${path} like path || '/%'
                    or (parent_id is not null and ${path} like (select p.path from agencies p where p.id = agencies.parent_id) || '/%'))
             order by length(path) desc limit 1`,
        tx,
      );
    },

    agencyByCode(code: string, tx?: Orm): Promise<AgencyRow | undefined> {
      return one<AgencyRow>(sql`select ${agencyCols} from agencies where code = ${code}`, tx);
    },

    agenciesByIds(ids: string[], tx?: Orm): Promise<AgencyRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return q<AgencyRow>(sql`select ${agencyCols} from agencies where id in ${ids}`, tx);
    },

    childrenOf(id: string): Promise<AgencyRow[]> {
      return q<AgencyRow>(sql`select ${agencyCols} from agencies where parent_id = ${id} order by code`);
    },

    async countActiveChildren(id: string, tx?: Orm): Promise<number> {
      const row = await one<{ n: number }>(sql`select count(*)::int as n from agencies where parent_id = ${id} and active`, tx);
      return row?.n ?? 0;
    },

    allAgencies(tx: Orm): Promise<AgencyRow[]> {
      return q<AgencyRow>(sql`select ${agencyCols} from agencies`, tx);
    },

    async insertAgency(tx: Orm, row: typeof agencies.$inferInsert): Promise<void> {
      await tx.insert(agencies).values(row);
    },

    async updateAgency(
      tx: Orm,
      id: string,
      patch: Partial<Omit<typeof agencies.$inferInsert, 'id' | 'path' | 'search' | 'createdAt'>>,
    ): Promise<void> {
      await tx
        .update(agencies)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(agencies.id, id));
    },

    /** Re-roots a subtree: every agency and department path under `oldPath` moves under `newPath`. */
    async movePaths(tx: Orm, oldPath: string, newPath: string): Promise<void> {
      const n = oldPath.length;
      await q(
        sql`update agencies set path = ${newPath} || substr(path, ${n + 1}), updated_at = now()
             where path = ${oldPath} or path like ${`${oldPath}/%`}`,
        tx,
      );
      await q(
        sql`update departments set path = ${newPath} || substr(path, ${n + 1}), updated_at = now()
             where path like ${`${oldPath}/%`}`,
        tx,
      );
    },

    departmentsOf(agencyId: string, tx?: Orm): Promise<DepartmentRow[]> {
      return q<DepartmentRow>(
        sql`select id, agency_id, code, name, path, active from departments where agency_id = ${agencyId} order by code`,
        tx,
      );
    },

    departmentById(id: string, tx?: Orm): Promise<DepartmentRow | undefined> {
      return one<DepartmentRow>(sql`select id, agency_id, code, name, path, active from departments where id = ${id}`, tx);
    },

    async insertDepartment(tx: Orm, row: typeof departments.$inferInsert): Promise<void> {
      await tx.insert(departments).values(row);
    },

    async updateDepartment(tx: Orm, id: string, patch: { code?: string; name?: string; active?: boolean }): Promise<void> {
      await tx
        .update(departments)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(departments.id, id));
    },

    // ------------------------------------------------------------------------------------------
    // Positions and roles
    // ------------------------------------------------------------------------------------------

    listPositions(): Promise<PositionRow[]> {
      return q<PositionRow>(sql`select code, name, rank from positions order by rank, name`);
    },

    positionByCode(code: string, tx?: Orm): Promise<PositionRow | undefined> {
      return one<PositionRow>(sql`select code, name, rank from positions where code = ${code}`, tx);
    },

    async insertPosition(tx: Orm, row: { code: string; name: string; rank: number }): Promise<boolean> {
      const res = await tx.insert(positions).values(row).onConflictDoNothing().returning({ code: positions.code });
      return res.length === 1;
    },

    listRoles(tx?: Orm): Promise<RoleRow[]> {
      return q<RoleRow>(sql`select code, name, description, permissions, grants_all, builtin from roles order by builtin desc, code`, tx);
    },

    roleByCode(code: string, tx?: Orm): Promise<RoleRow | undefined> {
      return one<RoleRow>(sql`select code, name, description, permissions, grants_all, builtin from roles where code = ${code}`, tx);
    },

    async insertRole(tx: Orm, row: { code: string; name: string; description: string | null; permissions: string[] }): Promise<boolean> {
      const res = await tx.insert(roles).values(row).onConflictDoNothing().returning({ code: roles.code });
      return res.length === 1;
    },

    async updateRole(tx: Orm, code: string, patch: { name?: string; description?: string | null; permissions?: string[] }): Promise<void> {
      await tx
        .update(roles)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(roles.code, code));
    },

    // ------------------------------------------------------------------------------------------
    // Staff and role assignments
    // ------------------------------------------------------------------------------------------

    listStaff(f: {
      scopes: string[] | 'all';
      agencyId?: string;
      departmentId?: string;
      fold?: string;
      active?: boolean;
      after?: [string, string];
      limit: number;
    }): Promise<(StaffRow & { sort_key: string })[]> {
      const conds: SQL[] = [scopeFilter(sql`coalesce(d.path, a.path)`, f.scopes)];
      if (f.agencyId) conds.push(sql`s.agency_id = ${f.agencyId}`);
      if (f.departmentId) conds.push(sql`s.department_id = ${f.departmentId}`);
      if (f.fold) conds.push(sql`s.search like ${`%${likeEscape(f.fold)}%`}`);
      if (f.active !== undefined) conds.push(sql`s.active = ${f.active}`);
      if (f.after) conds.push(sql`(s.search, s.id) > (${f.after[0]}, ${f.after[1]}::uuid)`);
      return q<StaffRow & { sort_key: string }>(sql`
        select ${staffCols}, s.search as sort_key ${staffFrom}
         where ${sql.join(conds, sql` and `)}
         order by s.search, s.id
         limit ${f.limit}`);
    },

    staffById(id: string, tx?: Orm): Promise<StaffRow | undefined> {
      return one<StaffRow>(sql`select ${staffCols} ${staffFrom} where s.id = ${id}`, tx);
    },

    async staffIdExists(id: string, tx?: Orm): Promise<boolean> {
      return (await q(sql`select 1 from staff where id = ${id}`, tx)).length > 0;
    },

    async insertStaff(tx: Orm, row: typeof staff.$inferInsert): Promise<void> {
      await tx.insert(staff).values(row);
    },

    async updateStaff(
      tx: Orm,
      id: string,
      patch: { agencyId?: string; departmentId?: string | null; positionCode?: string; active?: boolean; fullName?: string },
    ): Promise<void> {
      await tx
        .update(staff)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(staff.id, id));
    },

    assignmentsOf(accountId: string, tx?: Orm): Promise<AssignmentRow[]> {
      return q<AssignmentRow>(sql`${assignmentSelect} where ra.account_id = ${accountId} order by ra.created_at, ra.id`, tx);
    },

    assignmentById(id: string, tx?: Orm): Promise<AssignmentRow | undefined> {
      return one<AssignmentRow>(sql`${assignmentSelect} where ra.id = ${id}`, tx);
    },

    /** Inserts unless the same role is already given at the same scope; returns the id or null. */
    async insertAssignment(
      tx: Orm,
      row: {
        accountId: string;
        roleCode: string;
        scopeAgencyId: string | null;
        scopeDepartmentId: string | null;
        createdBy: string | null;
      },
    ): Promise<string | null> {
      const res = await tx.insert(roleAssignments).values(row).onConflictDoNothing().returning({ id: roleAssignments.id });
      return res[0]?.id ?? null;
    },

    async deleteAssignment(tx: Orm, id: string, accountId: string): Promise<boolean> {
      const res = await tx
        .delete(roleAssignments)
        .where(and(eq(roleAssignments.id, id), eq(roleAssignments.accountId, accountId)))
        .returning({ id: roleAssignments.id });
      return res.length === 1;
    },

    /**
     * The grants of an account, in one query: each assignment's role permissions with its scope path.
     * A deactivated staff member, or an assignment scoped to a deactivated agency or department,
     * grants nothing.
     */
    /**
     * Active staff of the agency at `agencyPath` (its own staff, in any of its departments) holding one of
     * `roles` through a grant that covers the agency or one of its departments.
     */
    async staffWithRoles(agencyPath: string, roles: string[]) {
      if (!roles.length) return [];
      return q<{ account_id: string; full_name: string; username: string; email: string | null; role: string; department: string | null }>(
        sql`select distinct on (s.account_id, ra.role_code) s.account_id, s.full_name, acc.username, acc.email, ra.role_code as role,
                   dep.name as department
              from staff s
              join agencies ag on ag.id = s.agency_id
              join accounts acc on acc.id = s.account_id and acc.status = 'active'
              join role_assignments ra on ra.account_id = s.account_id
              left join agencies sa on sa.id = ra.scope_agency_id
              left join departments sd on sd.id = ra.scope_department_id
              left join departments dep on dep.id = s.department_id
             where ag.path = ${agencyPath} and s.active
               and ra.role_code in (${sql.join(
                 roles.map((r) => sql`${r}`),
                 sql`, `,
               )})
               and (ra.scope_agency_id is null and ra.scope_department_id is null
                    or sa.path = ${agencyPath} or ${agencyPath} like sa.path || '/%'
                    or sd.path like ${`${agencyPath}/d:%`})
             order by s.account_id, ra.role_code`,
      );
    },

    async grantsForAccount(accountId: string, tx?: Orm): Promise<Grant[]> {
      const rows = await q<{ role: string; permissions: string[]; grants_all: boolean; scope: string }>(
        sql`select r.code as role, r.permissions, r.grants_all,
                   coalesce(d.path, a.path, '') as scope
              from role_assignments ra
              join roles r on r.code = ra.role_code
              left join agencies a on a.id = ra.scope_agency_id
              left join departments d on d.id = ra.scope_department_id
              left join staff s on s.account_id = ra.account_id
             where ra.account_id = ${accountId}
               and coalesce(s.active, true)
               and (ra.scope_agency_id is null or a.active)
               and (ra.scope_department_id is null or d.active)
             order by ra.created_at, ra.id`,
        tx,
      );
      return rows.map((r) => ({
        role: r.role,
        permissions: new Set(r.grants_all ? allPermissions : r.permissions.filter(isPermission)),
        scope: r.scope,
      }));
    },

    agencyOfAccount(accountId: string): Promise<{ id: string; name: string } | undefined> {
      return one<{ id: string; name: string }>(
        sql`select a.id, a.name from staff s join agencies a on a.id = s.agency_id
             where s.account_id = ${accountId} and s.active`,
      );
    },
  };
}

export type OrgRepo = ReturnType<typeof orgRepo>;

const agencyCols = sql.raw(
  'id, code, legacy_code, name, short_name, kind, parent_id, admin_unit_code, path, active, created_at, updated_at',
);

const staffCols = sql.raw(`s.id, s.account_id, s.full_name, s.agency_id, a.name as agency_name, s.department_id,
  d.name as department_name, s.position_code, p.name as position_name, s.active, coalesce(d.path, a.path) as path,
  s.created_at, s.updated_at`);

const staffFrom = sql.raw(`from staff s
  join agencies a on a.id = s.agency_id
  left join departments d on d.id = s.department_id
  join positions p on p.code = s.position_code`);

const assignmentSelect = sql.raw(`select ra.id, ra.account_id, ra.role_code, r.name as role_name,
    ra.scope_agency_id, a.name as scope_agency_name, ra.scope_department_id, d.name as scope_department_name,
    coalesce(d.path, a.path, '') as scope, ra.created_at, ra.created_by
  from role_assignments ra
  join roles r on r.code = ra.role_code
  left join agencies a on a.id = ra.scope_agency_id
  left join departments d on d.id = ra.scope_department_id`);

/** Escapes LIKE wildcards in user text (the search columns are already folded). */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
