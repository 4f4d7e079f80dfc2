/**
 * Who may and who may not, for every org use case.
 *
 * Actors: anonymous; `admin` (whole province); `quantri.stp` (agency administrator scoped to Sở Tư
 * pháp); `quantri.sxd` (the same for Sở Xây dựng); `motcua` (one-stop officer at the provincial
 * centre); `chuyenvien` (specialist in one phòng of Sở Tư pháp).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../../platform/db/database';
import { agencyIdFor, departmentIdFor, DEMO_PROVINCE_AGENCY_CODE as L1, staffIdFor } from './org.seed';

const ROOT = agencyIdFor(L1);
const STP = agencyIdFor(`${L1}.003`);
const SXD = agencyIdFor(`${L1}.007`);
const PVHCC = agencyIdFor(`${L1}.020`);
const STP_HCTP = departmentIdFor(`${L1}.003`, 'HCTP');
const STP_BTTP = departmentIdFor(`${L1}.003`, 'BTTP');
const SXD_QLXD = departmentIdFor(`${L1}.007`, 'QLXD');
const csv = { 'content-type': 'text/csv' };
const password = 'Matkhau-2026-an-toan';

let t: TestApp;
let anon: Session;
let admin: Session;
let qtStp: Session;
let qtSxd: Session;
let motcua: Session;
let chuyenvien: Session;

beforeAll(async () => {
  t = await createTestApp();
  anon = await anonymousSession(t.app);
  admin = await login(t.app, 'admin');
  qtStp = await login(t.app, 'quantri.stp');
  qtSxd = await login(t.app, 'quantri.sxd');
  motcua = await login(t.app, 'motcua');
  chuyenvien = await login(t.app, 'chuyenvien');
});
afterAll(async () => t?.close());

const status = async (s: Session, method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
  (await s.request(method, url, body, headers)).statusCode;

describe('administrative units', () => {
  const unit = (code: string) => ({
    code,
    level: 'commune',
    name: `Xã Phạm Vi ${code}`,
    type: 'xa',
    provinceCode: '66',
    validFrom: '2025-07-01',
  });
  const unitsCsv = 'province_code,province_name,commune_code,commune_name,commune_type\n66,Tỉnh Đắk Lắk,99811,Xã Nhập Thử,xa\n';

  it('reads are public', async () => {
    expect(await status(anon, 'GET', '/api/v1/units?provinceCode=66')).toBe(200);
    expect(await status(anon, 'GET', '/api/v1/units/24133')).toBe(200);
  });

  it('create: whole-province administrator only', async () => {
    expect(await status(anon, 'POST', '/api/v1/units', unit('99801'))).toBe(401);
    expect(await status(motcua, 'POST', '/api/v1/units', unit('99801'))).toBe(403);
    expect(await status(qtStp, 'POST', '/api/v1/units', unit('99801'))).toBe(403);
    expect(await status(admin, 'POST', '/api/v1/units', unit('99801'))).toBe(201);
  });

  it('a units.manage grant scoped to one agency is not enough (units are province-wide data)', async () => {
    await admin.request('POST', '/api/v1/roles', { code: 'qt_dvhc', name: 'Quản trị ĐVHC', permissions: ['org.units.manage'] });
    const staff = await admin.request('POST', '/api/v1/staff', {
      username: 'qt.dvhc',
      displayName: 'Quản Trị Đơn Vị',
      agencyId: STP,
      positionCode: 'chuyen_vien',
      password,
    });
    await admin.request('POST', `/api/v1/staff/${staff.json().id}/assignments`, { roleCode: 'qt_dvhc', scopeAgencyId: STP });
    const scoped = await login(t.app, 'qt.dvhc', password);
    const res = await scoped.request('POST', '/api/v1/units', unit('99802'));
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/toàn tỉnh/);
  });

  it('patch, close, import: whole-province administrator only', async () => {
    const patch = { name: 'Xã Đổi Tên' };
    expect(await status(anon, 'PATCH', '/api/v1/units/99801', patch)).toBe(401);
    expect(await status(motcua, 'PATCH', '/api/v1/units/99801', patch)).toBe(403);
    expect(await status(qtStp, 'PATCH', '/api/v1/units/99801', patch)).toBe(403);
    expect(await status(admin, 'PATCH', '/api/v1/units/99801', patch)).toBe(200);

    const close = { validTo: '2026-01-01', successorCode: '24133', legalBasis: 'Thử' };
    expect(await status(anon, 'POST', '/api/v1/units/99801/close', close)).toBe(401);
    expect(await status(chuyenvien, 'POST', '/api/v1/units/99801/close', close)).toBe(403);
    expect(await status(qtSxd, 'POST', '/api/v1/units/99801/close', close)).toBe(403);
    expect(await status(admin, 'POST', '/api/v1/units/99801/close', close)).toBe(200);

    expect(await status(anon, 'POST', '/api/v1/units/import', unitsCsv, csv)).toBe(401);
    expect(await status(motcua, 'POST', '/api/v1/units/import', unitsCsv, csv)).toBe(403);
    expect(await status(qtStp, 'POST', '/api/v1/units/import', unitsCsv, csv)).toBe(403);
    expect(await status(admin, 'POST', '/api/v1/units/import', unitsCsv, csv)).toBe(200);
  });
});

describe('agencies and departments', () => {
  it('reads are public', async () => {
    expect(await status(anon, 'GET', '/api/v1/agencies')).toBe(200);
    expect(await status(anon, 'GET', `/api/v1/agencies/${STP}`)).toBe(200);
  });

  it('create: inside the actor’s subtree only', async () => {
    const body = (code: string, parentId?: string) => ({
      code,
      name: `Đơn vị ${code}`,
      kind: 'don_vi_khac',
      ...(parentId ? { parentId } : {}),
    });
    expect(await status(anon, 'POST', '/api/v1/agencies', body('H66.003.90', STP))).toBe(401);
    expect(await status(motcua, 'POST', '/api/v1/agencies', body('H66.003.90', STP))).toBe(403);
    expect(await status(chuyenvien, 'POST', '/api/v1/agencies', body('H66.003.90', STP))).toBe(403);
    expect(await status(qtStp, 'POST', '/api/v1/agencies', body('H66.007.90', SXD))).toBe(404);
    expect(await status(qtStp, 'POST', '/api/v1/agencies', body('H66.090'))).toBe(403);
    expect(await status(qtStp, 'POST', '/api/v1/agencies', body('H66.003.90', STP))).toBe(201);
    expect(await status(admin, 'POST', '/api/v1/agencies', body('H77'))).toBe(201);
  });

  it('patch and move: inside the actor’s subtree only', async () => {
    const unitId = (await anon.request('GET', '/api/v1/agencies?q=H66.003.90')).json().items[0].id as string;
    expect(await status(anon, 'PATCH', `/api/v1/agencies/${STP}`, { shortName: 'STP' })).toBe(401);
    expect(await status(motcua, 'PATCH', `/api/v1/agencies/${STP}`, { shortName: 'STP' })).toBe(403);
    expect(await status(qtSxd, 'PATCH', `/api/v1/agencies/${STP}`, { shortName: 'STP' })).toBe(404);
    expect(await status(qtStp, 'PATCH', `/api/v1/agencies/${SXD}`, { shortName: 'SXD' })).toBe(404);
    expect(await status(qtStp, 'PATCH', `/api/v1/agencies/${STP}`, { shortName: 'STP' })).toBe(200);
    // Moving out of its own subtree is refused; so is making itself a root.
    expect(await status(qtStp, 'PATCH', `/api/v1/agencies/${unitId}`, { parentId: SXD })).toBe(403);
    expect(await status(qtStp, 'PATCH', `/api/v1/agencies/${STP}`, { parentId: null })).toBe(403);
    expect(await status(qtStp, 'PATCH', `/api/v1/agencies/${STP}`, { parentId: ROOT })).toBe(200);
  });

  it('import: rows outside the actor’s subtree are rejected', async () => {
    const head = 'code,name,short_name,kind,parent_code,admin_unit_code';
    const inside = `${head}\nH66.003.91,Tổ thử trong phạm vi,,don_vi_khac,H66.003,66\n`;
    const outside = `${head}\nH66.007.91,Tổ thử ngoài phạm vi,,don_vi_khac,H66.007,66\nH66.007,Sở Xây dựng (đổi tên),SXD,so_nganh,H66,66\n`;
    expect(await status(anon, 'POST', '/api/v1/agencies/import', inside, csv)).toBe(401);
    expect(await status(motcua, 'POST', '/api/v1/agencies/import', inside, csv)).toBe(403);
    const rej = await qtStp.request('POST', '/api/v1/agencies/import', outside, csv);
    expect(rej.statusCode).toBe(422);
    expect(rej.json().report.rejected).toEqual([
      { line: 2, reasons: [expect.stringMatching(/ngoài phạm vi/)] },
      { line: 3, reasons: [expect.stringMatching(/ngoài phạm vi/)] },
    ]);
    expect(await status(qtStp, 'POST', '/api/v1/agencies/import', inside, csv)).toBe(200);
  });

  it('departments: inside the actor’s subtree only', async () => {
    const body = { code: 'THU', name: 'Phòng Thử' };
    expect(await status(anon, 'POST', `/api/v1/agencies/${STP}/departments`, body)).toBe(401);
    expect(await status(motcua, 'POST', `/api/v1/agencies/${STP}/departments`, body)).toBe(403);
    expect(await status(qtStp, 'POST', `/api/v1/agencies/${SXD}/departments`, body)).toBe(404);
    expect(await status(qtStp, 'POST', `/api/v1/agencies/${STP}/departments`, body)).toBe(201);

    expect(await status(anon, 'PATCH', `/api/v1/departments/${STP_HCTP}`, { name: 'Phòng HCTP' })).toBe(401);
    expect(await status(chuyenvien, 'PATCH', `/api/v1/departments/${STP_HCTP}`, { name: 'Phòng HCTP' })).toBe(403);
    expect(await status(qtStp, 'PATCH', `/api/v1/departments/${SXD_QLXD}`, { name: 'Phòng QLXD' })).toBe(404);
    expect(await status(qtStp, 'PATCH', `/api/v1/departments/${STP_HCTP}`, { name: 'Phòng Hành chính tư pháp' })).toBe(200);
  });
});

describe('positions, roles, permissions', () => {
  it('reading needs org.staff.read', async () => {
    for (const url of ['/api/v1/positions', '/api/v1/roles', '/api/v1/permissions']) {
      expect(await status(anon, 'GET', url), url).toBe(401);
      expect(await status(motcua, 'GET', url), url).toBe(200);
    }
  });

  it('positions and roles are changed by whole-province administrators only', async () => {
    const pos = { code: 'can_bo_thu', name: 'Cán bộ thử' };
    expect(await status(anon, 'POST', '/api/v1/positions', pos)).toBe(401);
    expect(await status(motcua, 'POST', '/api/v1/positions', pos)).toBe(403);
    expect(await status(qtStp, 'POST', '/api/v1/positions', pos)).toBe(403);
    expect(await status(admin, 'POST', '/api/v1/positions', pos)).toBe(201);

    const role = { code: 'vai_tro_thu', name: 'Vai trò thử', permissions: ['org.staff.read'] };
    expect(await status(anon, 'POST', '/api/v1/roles', role)).toBe(401);
    expect(await status(qtStp, 'POST', '/api/v1/roles', role)).toBe(403);
    expect(await status(admin, 'POST', '/api/v1/roles', role)).toBe(201);
    expect(await status(anon, 'PATCH', '/api/v1/roles/vai_tro_thu', { name: 'X' })).toBe(401);
    expect(await status(motcua, 'PATCH', '/api/v1/roles/vai_tro_thu', { name: 'X' })).toBe(403);
    expect(await status(admin, 'PATCH', '/api/v1/roles/vai_tro_thu', { name: 'Vai trò thử (sửa)' })).toBe(200);
  });
});

describe('staff', () => {
  it('lists only the staff inside the actor’s scopes', async () => {
    expect(await status(anon, 'GET', '/api/v1/staff')).toBe(401);
    const agencyOf = async (s: Session) =>
      new Set(((await s.request('GET', '/api/v1/staff?limit=200')).json().items as { agencyId: string }[]).map((x) => x.agencyId));
    const all = await admin.request('GET', '/api/v1/staff?limit=200');
    expect(all.json().items.length).toBeGreaterThanOrEqual(13);
    expect([...(await agencyOf(qtStp))]).toEqual([STP]);
    expect([...(await agencyOf(motcua))]).toEqual([PVHCC]);
    // A specialist scoped to one phòng sees that phòng only.
    const dept = (await chuyenvien.request('GET', '/api/v1/staff?limit=200')).json().items as { departmentId: string | null }[];
    expect(dept.length).toBeGreaterThan(0);
    expect(dept.every((s) => s.departmentId === STP_HCTP)).toBe(true);
  });

  it('reads one staff member inside scope; outside it is 404', async () => {
    const sxdStaff = staffIdFor('chuyenvien.sxd');
    const stpStaff = staffIdFor('vanthu');
    expect(await status(anon, 'GET', `/api/v1/staff/${stpStaff}`)).toBe(401);
    expect(await status(qtStp, 'GET', `/api/v1/staff/${stpStaff}`)).toBe(200);
    expect(await status(qtStp, 'GET', `/api/v1/staff/${sxdStaff}`)).toBe(404);
    expect(await status(motcua, 'GET', `/api/v1/staff/${stpStaff}`)).toBe(404);
    // Everyone may read their own record.
    expect(await status(chuyenvien, 'GET', `/api/v1/staff/${staffIdFor('chuyenvien')}`)).toBe(200);
  });

  it('create: inside the actor’s scope only', async () => {
    const body = (username: string, agencyId: string) => ({
      username,
      displayName: 'Cán Bộ Thử',
      agencyId,
      positionCode: 'chuyen_vien',
      password,
    });
    expect(await status(anon, 'POST', '/api/v1/staff', body('thu.anon', STP))).toBe(401);
    expect(await status(motcua, 'POST', '/api/v1/staff', body('thu.motcua', PVHCC))).toBe(403);
    expect(await status(qtStp, 'POST', '/api/v1/staff', body('thu.sxd', SXD))).toBe(404);
    expect(await status(qtStp, 'POST', '/api/v1/staff', body('thu.stp', STP))).toBe(201);
    // The refused attempts left no account behind.
    expect((await t.db.rows(sql`select 1 from accounts where username in ('thu.anon', 'thu.motcua', 'thu.sxd')`)).length).toBe(0);
  });

  it('patch: inside scope; no move out of it; nobody deactivates themselves', async () => {
    const target = staffIdFor('truongphong.hctp');
    expect(await status(anon, 'PATCH', `/api/v1/staff/${target}`, { positionCode: 'pho_truong_phong' })).toBe(401);
    expect(await status(motcua, 'PATCH', `/api/v1/staff/${target}`, { positionCode: 'pho_truong_phong' })).toBe(403);
    expect(await status(qtSxd, 'PATCH', `/api/v1/staff/${target}`, { positionCode: 'pho_truong_phong' })).toBe(404);
    expect(await status(qtStp, 'PATCH', `/api/v1/staff/${target}`, { agencyId: SXD })).toBe(403);
    expect(await status(qtStp, 'PATCH', `/api/v1/staff/${target}`, { departmentId: STP_BTTP })).toBe(200);
    expect(await status(qtStp, 'PATCH', `/api/v1/staff/${staffIdFor('quantri.stp')}`, { active: false })).toBe(422);
  });

  it('assign: only within one’s scope, never a permission one does not hold, never to oneself', async () => {
    const target = staffIdFor('chuyenvien');
    const url = `/api/v1/staff/${target}/assignments`;
    expect(await status(anon, 'POST', url, { roleCode: 'vanthu', scopeAgencyId: STP })).toBe(401);
    expect(await status(motcua, 'POST', url, { roleCode: 'vanthu', scopeAgencyId: STP })).toBe(403);
    expect(await status(qtSxd, 'POST', url, { roleCode: 'motcua', scopeAgencyId: SXD })).toBe(404);

    const outside = await qtStp.request('POST', url, { roleCode: 'chuyenvien', scopeAgencyId: SXD });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('grant_outside_scope');
    const province = await qtStp.request('POST', url, { roleCode: 'chuyenvien' });
    expect(province.statusCode).toBe(403);
    expect(province.json().code).toBe('grant_outside_scope');
    // quantri_coquan does not hold dossiers.approve, so it cannot give lanhdao; nor the admin role.
    const more = await qtStp.request('POST', url, { roleCode: 'lanhdao', scopeAgencyId: STP });
    expect(more.statusCode).toBe(403);
    expect(more.json().code).toBe('grant_exceeds_own_permissions');
    expect((await qtStp.request('POST', url, { roleCode: 'admin', scopeAgencyId: STP })).json().code).toBe('grant_exceeds_own_permissions');
    const self = await qtStp.request('POST', `/api/v1/staff/${staffIdFor('quantri.stp')}/assignments`, {
      roleCode: 'quantri_coquan',
      scopeDepartmentId: STP_HCTP,
    });
    expect(self.statusCode).toBe(403);

    // A role whose permissions the agency administrator holds, inside Sở Tư pháp: allowed.
    await admin.request('POST', '/api/v1/roles', {
      code: 'xem_can_bo',
      name: 'Xem cán bộ',
      permissions: ['org.staff.read', 'org.agencies.read'],
    });
    const ok = await qtStp.request('POST', url, { roleCode: 'xem_can_bo', scopeDepartmentId: STP_BTTP });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ roleCode: 'xem_can_bo', scopeAgencyId: STP, scopeDepartmentId: STP_BTTP });
    // The province-wide administrator may give anything, anywhere.
    expect(await status(admin, 'POST', url, { roleCode: 'lanhdao' })).toBe(201);
  });

  it('revoke: only assignments within one’s scope', async () => {
    const target = staffIdFor('chuyenvien');
    const detail = (await admin.request('GET', `/api/v1/staff/${target}`)).json();
    const scoped = detail.assignments.find((a: { roleCode: string }) => a.roleCode === 'xem_can_bo');
    const wide = detail.assignments.find((a: { wholeProvince: boolean }) => a.wholeProvince);
    const del = (s: Session, id: string, staff = target) => status(s, 'DELETE', `/api/v1/staff/${staff}/assignments/${id}`);
    expect(await del(anon, scoped.id)).toBe(401);
    expect(await del(motcua, scoped.id)).toBe(403);
    expect(await del(qtSxd, scoped.id)).toBe(404);
    expect(await del(qtStp, scoped.id, staffIdFor('vanthu'))).toBe(404);
    const tooWide = await qtStp.request('DELETE', `/api/v1/staff/${target}/assignments/${wide.id}`);
    expect(tooWide.statusCode).toBe(403);
    expect(tooWide.json().code).toBe('grant_outside_scope');
    expect(await del(qtStp, scoped.id)).toBe(204);
    expect(await del(admin, wide.id)).toBe(204);
    const after = (await admin.request('GET', `/api/v1/staff/${target}`)).json().assignments.map((a: { roleCode: string }) => a.roleCode);
    expect(after).toEqual(['chuyenvien']);
  });

  it('every write left an audit record', async () => {
    const rows = await t.db.rows<{ action: string }>(sql`select distinct action from audit_log where action like 'org.%'`);
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'org.unit.create',
        'org.unit.update',
        'org.unit.close',
        'org.unit.import',
        'org.agency.create',
        'org.agency.update',
        'org.agency.import',
        'org.department.create',
        'org.department.update',
        'org.position.create',
        'org.role.create',
        'org.role.update',
        'org.staff.create',
        'org.staff.update',
        'org.assignment.create',
        'org.assignment.delete',
      ]),
    );
  });
});
