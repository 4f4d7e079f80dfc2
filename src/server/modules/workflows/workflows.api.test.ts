/**
 * Process definitions through the API: the seeded standard process, drafts (saved with their errors),
 * publishing (refused with errors, then accepted), immutability of published versions, and who may
 * and who may not:
 * - reads: signed-in staff; anonymous → 401, citizens → 403;
 * - writes: workflows.manage over the whole province (the administrator); anonymous → 401; one-stop
 *   officers, specialists, citizens, agency administrators and a workflows.manage grant limited to one
 *   agency → 403.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { procedureIdFor } from '../catalog';
import { demoAgencyId } from '../org';
import { currentWorkflow, defaultDefinition, type WorkflowDefinition, workflowIdFor, workflowVersion } from '.';

const BIRTH = procedureIdFor('1.001193.000.00.00.H66');
const DEATH = procedureIdFor('1.000656.000.00.00.H66');
const STP = demoAgencyId('H66.003');
const password = 'Matkhau-2026-an-toan';
const wf = (id: string) => `/api/v1/procedures/${id}/workflows`;

let t: TestApp;
let anon: Session;
let admin: Session;
let motcua: Session;
let chuyenvien: Session;
let congdan: Session;
let qtStp: Session;
let scoped: Session;

beforeAll(async () => {
  t = await createTestApp();
  anon = await anonymousSession(t.app);
  admin = await login(t.app, 'admin');
  motcua = await login(t.app, 'motcua');
  chuyenvien = await login(t.app, 'chuyenvien');
  congdan = await login(t.app, 'congdan');
  qtStp = await login(t.app, 'quantri.stp');
  // A role with workflows.manage, granted only inside Sở Tư pháp.
  const role = await admin.request('POST', '/api/v1/roles', {
    code: 'qt_quytrinh_so',
    name: 'Quản trị quy trình của sở',
    permissions: ['workflows.manage'],
  });
  expect(role.statusCode, role.body).toBe(201);
  const staff = await admin.request('POST', '/api/v1/staff', {
    username: 'qt.quytrinh.stp',
    displayName: 'Quản Trị Quy Trình',
    agencyId: STP,
    positionCode: 'chuyen_vien',
    password,
  });
  expect(staff.statusCode, staff.body).toBe(201);
  const grant = await admin.request('POST', `/api/v1/staff/${staff.json().id}/assignments`, {
    roleCode: 'qt_quytrinh_so',
    scopeAgencyId: STP,
  });
  expect(grant.statusCode, grant.body).toBe(201);
  scoped = await login(t.app, 'qt.quytrinh.stp', password);
});
afterAll(async () => t?.close());

const processingHoursOf = async (id: string) =>
  (await admin.request('GET', `/api/v1/procedures/${id}`)).json().processingHours as number | null;

describe('the demo seed', () => {
  it('publishes the standard process as version 1 of every procedure in force', async () => {
    const [{ n }] = (await t.db.rows<{ n: number }>(
      sql`select count(*)::int n from procedures p where p.status = 'active' and not exists
            (select 1 from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version and v.status = 'published'
             where w.procedure_id = p.id)`,
    )) as [{ n: number }];
    expect(n).toBe(0);
    const res = await chuyenvien.request('GET', `${wf(BIRTH)}/current`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v).toMatchObject({
      workflowId: workflowIdFor(BIRTH),
      procedureId: BIRTH,
      version: 1,
      status: 'published',
      current: true,
      errors: [],
    });
    expect(v.definition).toEqual(defaultDefinition(await processingHoursOf(BIRTH)));
  });

  it('is what the module index gives processing', async () => {
    const current = await currentWorkflow(t.db, BIRTH);
    expect(current?.version).toBe(1);
    expect((await workflowVersion(t.db, workflowIdFor(BIRTH), 1))?.definition.start).toBe('received');
    expect(await workflowVersion(t.db, workflowIdFor(BIRTH), 9)).toBeNull();
    expect(await currentWorkflow(t.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});

describe('list and overview', () => {
  it('lists procedures with their definition status, filtered and paged', async () => {
    const res = await motcua.request('GET', '/api/v1/workflows?q=khai%20sinh&limit=2');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.items.length).toBeGreaterThan(0);
    for (const i of page.items) {
      expect(i.procedureName.toLowerCase()).toContain('khai sinh');
      expect(i.currentVersion).toBe(1);
    }
    const missing = await motcua.request('GET', '/api/v1/workflows?status=missing');
    expect(missing.json().items).toEqual([]);
    const all = await motcua.request('GET', '/api/v1/workflows?limit=30');
    const next = await motcua.request('GET', `/api/v1/workflows?limit=30&cursor=${all.json().nextCursor}`);
    const codes = [...all.json().items, ...next.json().items].map((i: { procedureCode: string }) => i.procedureCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
  });

  it('gives the versions of one procedure', async () => {
    const res = await motcua.request('GET', wf(DEATH));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      procedureId: DEATH,
      currentVersion: 1,
      draftVersion: null,
      versions: [{ version: 1, status: 'published' }],
    });
    expect((await motcua.request('GET', wf('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    expect((await motcua.request('GET', `${wf(DEATH)}/versions/7`)).statusCode).toBe(404);
  });

  it('offers the standard process and validates without saving', async () => {
    const std = await motcua.request('GET', `${wf(DEATH)}/standard`);
    expect(std.json()).toEqual(defaultDefinition(await processingHoursOf(DEATH)));
    const broken = { ...std.json(), start: 'nowhere' };
    const res = await motcua.request('POST', `${wf(DEATH)}/validate`, { definition: broken });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().valid).toBe(false);
    expect(res.json().errors).toContainEqual({
      field: '/start',
      message: 'Trạng thái bắt đầu "nowhere" không có trong danh sách trạng thái',
    });
    expect((await motcua.request('POST', `${wf(DEATH)}/validate`, { definition: std.json() })).json()).toEqual({ valid: true, errors: [] });
  });
});

describe('drafts and publishing', () => {
  let v1: WorkflowDefinition;
  let hours: number;

  beforeAll(async () => {
    v1 = (await admin.request('GET', `${wf(BIRTH)}/versions/1`)).json().definition;
    hours = (await processingHoursOf(BIRTH)) ?? 0;
    expect(hours).toBeGreaterThan(0);
  });

  it('saves a draft with errors and returns them; publishing it is refused with every error', async () => {
    const broken = structuredClone(v1);
    broken.actions[1] = { ...(broken.actions[1] as WorkflowDefinition['actions'][number]), roles: [] };
    (broken.actions[2] as { budgetHours: number }).budgetHours = hours * 2;
    const saved = await admin.request('PUT', `${wf(BIRTH)}/draft`, { definition: broken, baseVersion: 1 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 2, status: 'draft', current: false });
    expect(saved.json().errors.map((e: { field: string }) => e.field)).toEqual(['/actions/1/roles', '/actions']);
    expect((await admin.request('GET', `${wf(BIRTH)}/draft`)).json().definition).toEqual(broken);

    const refused = await admin.request('POST', `${wf(BIRTH)}/draft/publish`);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'workflow_invalid', errors: saved.json().errors });
    expect((await admin.request('GET', `${wf(BIRTH)}/current`)).json().version).toBe(1);
  });

  it('replaces the draft, publishes it as version 2, and leaves version 1 as it was', async () => {
    const fixed = structuredClone(v1);
    fixed.states[2] = { ...(fixed.states[2] as WorkflowDefinition['states'][number]), name: 'Đang thẩm định, xác minh' };
    const saved = await admin.request('PUT', `${wf(BIRTH)}/draft`, { definition: fixed });
    expect(saved.json()).toMatchObject({ version: 2, status: 'draft', errors: [] });
    const published = await admin.request('POST', `${wf(BIRTH)}/draft/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ version: 2, status: 'published', current: true, publishedBy: 'admin', errors: [] });
    expect((await admin.request('GET', `${wf(BIRTH)}/current`)).json().definition).toEqual(fixed);
    const old = (await admin.request('GET', `${wf(BIRTH)}/versions/1`)).json();
    expect(old).toMatchObject({ status: 'published', current: false, definition: v1 });
    expect((await admin.request('GET', `/api/v1/workflows/${workflowIdFor(BIRTH)}/versions/1`)).json().definition).toEqual(v1);
    expect((await admin.request('GET', `${wf(BIRTH)}/draft`)).statusCode).toBe(404);
    const [audit] = await t.db.rows<{ action: string; details: { version: number } }>(
      sql`select action, details from audit_log where target_type = 'workflow' and target_id = ${workflowIdFor(BIRTH)} order by seq desc limit 1`,
    );
    expect(audit).toMatchObject({ action: 'workflows.publish', details: { version: 2 } });
  });

  it('refuses a draft based on an older version (409) and a publish without a draft (404)', async () => {
    const res = await admin.request('PUT', `${wf(BIRTH)}/draft`, { definition: v1, baseVersion: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('version_conflict');
    expect((await admin.request('POST', `${wf(BIRTH)}/draft/publish`)).statusCode).toBe(404);
  });

  it('discards a draft', async () => {
    expect((await admin.request('PUT', `${wf(BIRTH)}/draft`, { definition: v1, baseVersion: 2 })).json().version).toBe(3);
    expect((await admin.request('DELETE', `${wf(BIRTH)}/draft`)).statusCode).toBe(204);
    expect((await admin.request('GET', `${wf(BIRTH)}/draft`)).statusCode).toBe(404);
    expect((await admin.request('DELETE', `${wf(BIRTH)}/draft`)).statusCode).toBe(404);
  });

  it('bad input is a 400, never a 500', async () => {
    const res = await admin.request('PUT', `${wf(BIRTH)}/draft`, { definition: { states: 'x' } });
    expect(res.statusCode).toBe(400);
    expect((await admin.request('PUT', `${wf('nope')}/draft`, { definition: v1 })).statusCode).toBe(400);
  });

  it('the database refuses any change to a published version', async () => {
    const id = workflowIdFor(BIRTH);
    await expect(
      t.db.rows(sql`update workflow_versions set definition = '{}'::jsonb where workflow_id = ${id} and version = 1`),
    ).rejects.toThrow();
    await expect(t.db.rows(sql`delete from workflow_versions where workflow_id = ${id} and version = 2`)).rejects.toThrow();
    await expect(t.db.rows(sql`update workflow_versions set status = 'draft' where workflow_id = ${id} and version = 2`)).rejects.toThrow();
  });
});

describe('scopes', () => {
  const readUrls = () => ['/api/v1/workflows', wf(DEATH), `${wf(DEATH)}/current`, `${wf(DEATH)}/versions/1`, `${wf(DEATH)}/standard`];

  it('staff may read; anonymous → 401; citizens → 403', async () => {
    for (const url of readUrls()) {
      expect((await anon.request('GET', url)).statusCode, url).toBe(401);
      expect((await congdan.request('GET', url)).statusCode, url).toBe(403);
      for (const s of [motcua, chuyenvien, qtStp, admin]) expect((await s.request('GET', url)).statusCode, url).toBe(200);
    }
  });

  it('writes need workflows.manage over the whole province', async () => {
    const def = defaultDefinition(await processingHoursOf(DEATH));
    const refused = [
      ['congdan', congdan],
      ['motcua', motcua],
      ['chuyenvien', chuyenvien],
      ['quantri.stp', qtStp],
      ['workflows.manage scoped to Sở Tư pháp', scoped],
    ] as const;
    expect((await anon.request('PUT', `${wf(DEATH)}/draft`, { definition: def })).statusCode).toBe(401);
    expect((await anon.request('POST', `${wf(DEATH)}/draft/publish`)).statusCode).toBe(401);
    expect((await anon.request('DELETE', `${wf(DEATH)}/draft`)).statusCode).toBe(401);
    for (const [who, s] of refused) {
      expect((await s.request('PUT', `${wf(DEATH)}/draft`, { definition: def })).statusCode, who).toBe(403);
      expect((await s.request('POST', `${wf(DEATH)}/draft/publish`)).statusCode, who).toBe(403);
      expect((await s.request('DELETE', `${wf(DEATH)}/draft`)).statusCode, who).toBe(403);
    }
    expect((await admin.request('GET', `${wf(DEATH)}/draft`)).statusCode).toBe(404);
    expect((await admin.request('PUT', `${wf(DEATH)}/draft`, { definition: def })).statusCode).toBe(200);
    expect((await admin.request('POST', `${wf(DEATH)}/draft/publish`)).statusCode).toBe(200);
    expect((await motcua.request('GET', `${wf(DEATH)}/current`)).json().version).toBe(2);
  });
});
