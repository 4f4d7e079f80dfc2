import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../../platform/db/database';
import { grantsForAccount } from './index';
import { agencyIdFor, demoAgencies, departmentIdFor, DEMO_PROVINCE_AGENCY_CODE as L1, staffIdFor } from './org.seed';

const STP = agencyIdFor(`${L1}.003`);
const SXD = agencyIdFor(`${L1}.007`);
const ROOT = agencyIdFor(L1);
const csvHeaders = { 'content-type': 'text/csv' };

let t: TestApp;
let anon: Session;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  anon = await anonymousSession(t.app);
  admin = await login(t.app, 'admin');
});
afterAll(async () => t?.close());

describe('demo organisation', () => {
  it('has the province tree with departments, centre and communes', async () => {
    const root = (await anon.request('GET', `/api/v1/agencies/${ROOT}`)).json();
    expect(root).toMatchObject({ code: L1, kind: 'ubnd_tinh', parentId: null, path: `/${ROOT}`, adminUnit: { code: '66' } });
    const sos = root.children.filter((a: { kind: string }) => a.kind === 'so_nganh');
    expect(sos.length).toBeGreaterThanOrEqual(8);
    expect(root.children.map((a: { name: string }) => a.name)).toEqual(
      expect.arrayContaining([
        'Sở Tư pháp',
        'Sở Xây dựng',
        'Sở Nông nghiệp và Môi trường',
        'Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk',
      ]),
    );
    expect(root.children.filter((a: { kind: string }) => a.kind === 'ubnd_xa').length).toBeGreaterThanOrEqual(3);
    for (const a of demoAgencies.filter((x) => x.kind === 'so_nganh')) {
      expect(a.departments.length).toBeGreaterThanOrEqual(2);
      expect(a.departments.length).toBeLessThanOrEqual(4);
    }
    const stp = (await anon.request('GET', `/api/v1/agencies/${STP}`)).json();
    expect(stp.path).toBe(`/${ROOT}/${STP}`);
    expect(stp.departments.map((d: { name: string }) => d.name)).toContain('Phòng Hành chính tư pháp');
    expect(stp.departments[0].path).toMatch(new RegExp(`^/${ROOT}/${STP}/d:`));
  });

  it('finds agencies by accent-free name, kind and commune, with paging', async () => {
    const q = (await anon.request('GET', '/api/v1/agencies?q=so%20tu%20phap')).json().items;
    expect(q.map((a: { id: string }) => a.id)).toEqual([STP]);
    const bmt = (await anon.request('GET', '/api/v1/agencies?adminUnitCode=24133')).json().items;
    expect(bmt).toEqual([expect.objectContaining({ name: 'Ủy ban nhân dân phường Buôn Ma Thuột', kind: 'ubnd_xa' })]);
    const sos = (await anon.request('GET', `/api/v1/agencies?parentId=${ROOT}&kind=so_nganh&limit=5`)).json();
    expect(sos.items).toHaveLength(5);
    const rest = (await anon.request('GET', `/api/v1/agencies?parentId=${ROOT}&kind=so_nganh&limit=50&cursor=${sos.nextCursor}`)).json();
    expect(rest.items.length).toBeGreaterThanOrEqual(3);
    expect(rest.items.map((a: { code: string }) => a.code).every((c: string) => c > sos.items[4].code)).toBe(true);
    expect((await anon.request('GET', `/api/v1/agencies/${agencyIdFor('H99')}`)).statusCode).toBe(404);
  });

  it('gives each demo account its grants in one query', async () => {
    const [row] = await t.db.rows<{ account_id: string }>(sql`select account_id from staff where id = ${staffIdFor('chuyenvien')}`);
    const grants = await grantsForAccount(t.db, row?.account_id as string);
    expect(grants).toEqual([
      expect.objectContaining({ role: 'chuyenvien', scope: `/${ROOT}/${STP}/d:${departmentIdFor(`${L1}.003`, 'HCTP')}` }),
    ]);
    expect(grants[0]?.permissions.has('dossiers.process')).toBe(true);
    const me = (await (await login(t.app, 'motcua')).request('GET', '/api/v1/auth/me')).json();
    expect(me.roles).toEqual(['motcua']);
    expect(me.permissions).toContain('dossiers.receive');
    expect(me.agency.name).toBe('Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk');
  });
});

describe('agencies and departments', () => {
  it('creates, moves and deactivates an agency, rewriting the paths below it', async () => {
    const a = await admin.request('POST', '/api/v1/agencies', {
      code: 'H66.030',
      name: 'Ban Quản lý dự án thử',
      kind: 'don_vi_su_nghiep',
      parentId: STP,
    });
    expect(a.statusCode).toBe(201);
    const agency = a.json();
    expect(agency.path).toBe(`/${ROOT}/${STP}/${agency.id}`);
    const dept = (await admin.request('POST', `/api/v1/agencies/${agency.id}/departments`, { code: 'KT', name: 'Phòng Kỹ thuật' })).json();
    expect(dept.path).toBe(`${agency.path}/d:${dept.id}`);
    const child = (
      await admin.request('POST', '/api/v1/agencies', { code: 'H66.030.01', name: 'Tổ thử', kind: 'don_vi_khac', parentId: agency.id })
    ).json();

    const moved = await admin.request('PATCH', `/api/v1/agencies/${agency.id}`, { parentId: SXD });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().path).toBe(`/${ROOT}/${SXD}/${agency.id}`);
    expect((await anon.request('GET', `/api/v1/agencies/${child.id}`)).json().path).toBe(`/${ROOT}/${SXD}/${agency.id}/${child.id}`);
    expect(moved.json().departments[0].path).toBe(`/${ROOT}/${SXD}/${agency.id}/d:${dept.id}`);

    const cycle = await admin.request('PATCH', `/api/v1/agencies/${agency.id}`, { parentId: child.id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().errors[0].field).toBe('body/parentId');

    const busy = await admin.request('PATCH', `/api/v1/agencies/${agency.id}`, { active: false });
    expect(busy.statusCode).toBe(409);
    expect((await admin.request('PATCH', `/api/v1/agencies/${child.id}`, { active: false })).statusCode).toBe(200);
    expect((await admin.request('PATCH', `/api/v1/agencies/${agency.id}`, { active: false })).json().active).toBe(false);
    const listed = (await anon.request('GET', '/api/v1/agencies?q=quan%20ly%20du%20an%20thu')).json().items;
    expect(listed).toEqual([]);
    const withInactive = (await anon.request('GET', '/api/v1/agencies?q=quan%20ly%20du%20an%20thu&includeInactive=true')).json().items;
    expect(withInactive).toHaveLength(1);
  });

  it('validates agency codes and references', async () => {
    const bad = await admin.request('POST', '/api/v1/agencies', { code: '000.00.12.H56', name: 'X', kind: 'so_nganh', parentId: ROOT });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toMatch(/QCVN 102/);
    const otherL1 = await admin.request('POST', '/api/v1/agencies', { code: 'H55.001', name: 'X', kind: 'so_nganh', parentId: ROOT });
    expect(otherL1.statusCode).toBe(400);
    expect(otherL1.json().errors[0].message).toMatch(/H66/);
    const dup = await admin.request('POST', '/api/v1/agencies', { code: 'H66.003', name: 'X', kind: 'so_nganh', parentId: ROOT });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('agency_code_taken');
    const legacy = await admin.request('POST', '/api/v1/agencies', {
      code: 'H66.031',
      legacyCode: '000.00.31.H66',
      name: 'Ban thử mã cũ',
      kind: 'so_nganh',
      parentId: ROOT,
      adminUnitCode: '643',
    });
    expect(legacy.statusCode).toBe(400);
    expect(legacy.json().errors[0]).toMatchObject({ field: 'body/adminUnitCode' });
    const ok = await admin.request('POST', '/api/v1/agencies', {
      code: 'h66.031',
      legacyCode: '000.00.31.H66',
      name: 'Ban thử mã cũ',
      kind: 'so_nganh',
      parentId: ROOT,
      adminUnitCode: '66',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ code: 'H66.031', legacyCode: '000.00.31.H66' });
    const deptDup = await admin.request('POST', `/api/v1/agencies/${STP}/departments`, { code: 'HCTP', name: 'Trùng' });
    expect(deptDup.statusCode).toBe(409);
  });

  it('imports agencies from CSV, parents in any order, all or nothing', async () => {
    const csv = [
      'code,name,short_name,kind,parent_code,admin_unit_code',
      'H66.207.01,Tổ một cửa thử,,don_vi_khac,H66.207,24175',
      'H66.207,Ủy ban nhân dân xã Hòa Phú,UBND xã Hòa Phú,ubnd_xa,H66,24175',
      'H66.003,Sở Tư pháp,STP,so_nganh,H66,66',
    ].join('\n');
    const res = await admin.request('POST', '/api/v1/agencies/import', csv, csvHeaders);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ applied: true, counts: { rows: 3, created: 2, unchanged: 1, rejected: 0 } });
    const hp = (await anon.request('GET', '/api/v1/agencies?adminUnitCode=24175&kind=ubnd_xa')).json().items[0];
    expect(hp.parentId).toBe(ROOT);
    const team = (await anon.request('GET', '/api/v1/agencies?q=to%20mot%20cua%20thu')).json().items[0];
    expect(team.path).toBe(`${hp.path}/${team.id}`);

    const bad = [
      'code,name,short_name,kind,parent_code,admin_unit_code',
      'H66.208,Ủy ban nhân dân xã Ea Drăng,,ubnd_xa,H66,24181',
      'h66.209,,,ubnd_xa,H66,24187',
      'H66.210,UBND thử,,xa,H66,24193',
      'H66.211,UBND thử,,ubnd_xa,H66.999,24193',
      'H66.212,UBND thử,,ubnd_xa,H66,24136',
      'H66.213,UBND thử,,ubnd_xa,H66,24193,extra',
      'H66.208,Trùng dòng 2,,ubnd_xa,H66,24181',
    ].join('\n');
    const rej = await admin.request('POST', '/api/v1/agencies/import', bad, csvHeaders);
    expect(rej.statusCode).toBe(422);
    const lines = Object.fromEntries(
      rej.json().report.rejected.map((r: { line: number; reasons: string[] }) => [r.line, r.reasons.join(' | ')]),
    );
    expect(Object.keys(lines).map(Number)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(lines[3]).toMatch(/tên cơ quan là bắt buộc/);
    expect(lines[4]).toMatch(/loại cơ quan phải là/);
    expect(lines[5]).toMatch(/không tìm thấy cơ quan cấp trên H66\.999/);
    expect(lines[6]).toMatch(/hết hiệu lực/);
    expect(lines[7]).toMatch(/Số cột không đúng/);
    expect(lines[8]).toMatch(/trùng với dòng 2/);
    expect((await anon.request('GET', '/api/v1/agencies?adminUnitCode=24181')).json().items).toEqual([]);
  });
});

describe('staff', () => {
  let newStaffId: string;

  it('creates a staff member with an account, who can then sign in', async () => {
    const res = await admin.request('POST', '/api/v1/staff', {
      username: 'chuyenvien.thu',
      displayName: 'Nay Thị Thu',
      email: 'thu@example.vn',
      agencyId: STP,
      departmentId: departmentIdFor(`${L1}.003`, 'BTTP'),
      positionCode: 'chuyen_vien',
      password: 'Matkhau-2026-an-toan',
    });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    newStaffId = s.id;
    expect(s).toMatchObject({
      fullName: 'Nay Thị Thu',
      agencyName: 'Sở Tư pháp',
      departmentName: 'Phòng Bổ trợ tư pháp',
      positionName: 'Chuyên viên',
      assignments: [],
    });

    const given = await admin.request('POST', `/api/v1/staff/${s.id}/assignments`, {
      roleCode: 'chuyenvien',
      scopeDepartmentId: departmentIdFor(`${L1}.003`, 'BTTP'),
    });
    expect(given.statusCode).toBe(201);
    expect(given.json()).toMatchObject({ roleCode: 'chuyenvien', scopeAgencyId: STP, wholeProvince: false });
    const dup = await admin.request('POST', `/api/v1/staff/${s.id}/assignments`, {
      roleCode: 'chuyenvien',
      scopeDepartmentId: departmentIdFor(`${L1}.003`, 'BTTP'),
    });
    expect(dup.statusCode).toBe(409);

    const me = (await (await login(t.app, 'chuyenvien.thu', 'Matkhau-2026-an-toan')).request('GET', '/api/v1/auth/me')).json();
    expect(me.roles).toEqual(['chuyenvien']);
    expect(me.agency.id).toBe(STP);
  });

  it('refuses a weak password, a taken username and a department of another agency', async () => {
    const base = { displayName: 'Thử', agencyId: STP, positionCode: 'chuyen_vien' };
    const weak = await admin.request('POST', '/api/v1/staff', { ...base, username: 'yeu.matkhau', password: 'demo' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('body/password');
    const taken = await admin.request('POST', '/api/v1/staff', { ...base, username: 'motcua', password: 'Matkhau-2026-an-toan' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('username_taken');
    const dept = await admin.request('POST', '/api/v1/staff', {
      ...base,
      username: 'sai.phong',
      password: 'Matkhau-2026-an-toan',
      departmentId: departmentIdFor(`${L1}.007`, 'QLXD'),
    });
    expect(dept.statusCode).toBe(400);
    expect(dept.json().errors[0].field).toBe('body/departmentId');
    const pos = await admin.request('POST', '/api/v1/staff', {
      ...base,
      username: 'sai.chucvu',
      password: 'Matkhau-2026-an-toan',
      positionCode: 'vua',
    });
    expect(pos.statusCode).toBe(400);
    // Nothing half-written: the account of the refused staff member does not exist.
    expect((await t.db.rows(sql`select 1 from accounts where username in ('yeu.matkhau', 'sai.phong', 'sai.chucvu')`)).length).toBe(0);
  });

  it('lists and searches staff without accents, with paging', async () => {
    const page1 = (await admin.request('GET', '/api/v1/staff?limit=5')).json();
    expect(page1.items).toHaveLength(5);
    const page2 = (await admin.request('GET', `/api/v1/staff?limit=5&cursor=${page1.nextCursor}`)).json();
    const ids = new Set([...page1.items, ...page2.items].map((s: { id: string }) => s.id));
    expect(ids.size).toBe(10);
    const found = (await admin.request('GET', '/api/v1/staff?q=nguyen%20thi%20lan')).json().items;
    expect(found).toEqual([expect.objectContaining({ fullName: 'Nguyễn Thị Lan', positionName: 'Cán bộ tiếp nhận và trả kết quả' })]);
    const bySto = (await admin.request('GET', `/api/v1/staff?agencyId=${STP}&limit=100`)).json().items;
    expect(bySto.every((s: { agencyId: string }) => s.agencyId === STP)).toBe(true);
  });

  it('moving a staff member to another agency ends the roles scoped to the old one', async () => {
    const moved = await admin.request('PATCH', `/api/v1/staff/${newStaffId}`, { agencyId: SXD, positionCode: 'truong_phong' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ agencyId: SXD, departmentId: null, positionCode: 'truong_phong', assignments: [] });
    const audit = await t.db.rows<{ details: { revokedAssignments?: string[] } }>(
      sql`select details from audit_log where action = 'org.staff.update' and target_id = ${newStaffId} order by seq desc limit 1`,
    );
    expect(audit[0]?.details.revokedAssignments).toHaveLength(1);
  });

  it('a deactivated staff member keeps the account but loses every grant', async () => {
    const id = staffIdFor('chuyenvien.sxd');
    const before = (await (await login(t.app, 'chuyenvien.sxd')).request('GET', '/api/v1/auth/me')).json();
    expect(before.permissions).toContain('dossiers.process');
    expect((await admin.request('PATCH', `/api/v1/staff/${id}`, { active: false })).statusCode).toBe(200);
    const after = (await (await login(t.app, 'chuyenvien.sxd')).request('GET', '/api/v1/auth/me')).json();
    expect(after.permissions).toEqual([]);
    expect((await admin.request('PATCH', `/api/v1/staff/${id}`, { active: true })).statusCode).toBe(200);
  });

  it('roles: custom roles, built-in codes fixed, administrator keeps every permission', async () => {
    const perms = (await admin.request('GET', '/api/v1/permissions')).json();
    expect(perms).toEqual(expect.arrayContaining([{ code: 'dossiers.receive', label: 'Tiếp nhận hồ sơ' }]));
    const role = await admin.request('POST', '/api/v1/roles', {
      code: 'tra_cuu',
      name: 'Tra cứu',
      permissions: ['org.staff.read', 'org.units.read'],
    });
    expect(role.statusCode).toBe(201);
    const unknown = await admin.request('POST', '/api/v1/roles', { code: 'sai_quyen', name: 'Sai', permissions: ['khong.co'] });
    expect(unknown.statusCode).toBe(400);
    const dup = await admin.request('POST', '/api/v1/roles', { code: 'motcua', name: 'Trùng', permissions: [] });
    expect(dup.statusCode).toBe(409);
    const adminRole = await admin.request('PATCH', '/api/v1/roles/admin', { permissions: ['org.staff.read'] });
    expect(adminRole.statusCode).toBe(422);
    const renamed = await admin.request('PATCH', '/api/v1/roles/motcua', { name: 'Cán bộ bộ phận một cửa' });
    expect(renamed.json()).toMatchObject({ code: 'motcua', name: 'Cán bộ bộ phận một cửa', builtin: true });
    const roles = (await admin.request('GET', '/api/v1/roles')).json();
    expect(roles.find((r: { code: string }) => r.code === 'admin')).toMatchObject({ grantsAll: true, builtin: true });
    expect(roles.find((r: { code: string }) => r.code === 'admin').permissions).toContain('org.roles.manage');
  });

  it('positions', async () => {
    const res = await admin.request('POST', '/api/v1/positions', { code: 'truong_ban', name: 'Trưởng ban', rank: 55 });
    expect(res.statusCode).toBe(201);
    expect((await admin.request('POST', '/api/v1/positions', { code: 'truong_ban', name: 'Khác' })).statusCode).toBe(409);
    const list = (await admin.request('GET', '/api/v1/positions')).json();
    expect(list[0]).toMatchObject({ code: 'chu_tich' });
    expect(list.map((p: { code: string }) => p.code)).toContain('truong_ban');
  });
});
