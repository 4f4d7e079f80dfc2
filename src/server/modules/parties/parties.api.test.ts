/**
 * Parties through the API: registering a business (tax code checked), representatives, authorisations
 * (validation, dates, lists with pages, revoke), the principals offered to the submission wizard, the
 * demo data, the audit trail, and the record a dossier keeps of on-whose-behalf.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { dossiersRepo } from '../dossiers/dossiers.repo';
import { type LoggedAction, replay } from '../dossiers/dossiers.state';
import { BMT, filesFor, KHAI_SINH, khaiSinhForm, THO_CUNG } from '../dossiers/testing';
import { DEMO_AUTHORISED_PROCEDURES, DEMO_BUSINESS, partiesAccess } from './index';
import { authorise, daysFromNow, newCitizen, registerBusiness } from './testing';

let t: TestApp;
let congdan: Session;
let owner: { s: Session; id: string };
let other: { s: Session; id: string };

const B = '/api/v1/parties/businesses';
const Z = '/api/v1/parties/authorisations';

beforeAll(async () => {
  t = await createTestApp();
  congdan = await login(t.app, 'congdan');
  owner = await newCitizen(t, 'api.chudn', 'Hoàng Chủ Doanh');
  other = await newCitizen(t, 'api.nguoikhac', 'Đinh Người Khác');
});
afterAll(async () => {
  await t?.close();
});

describe('registering a business', () => {
  it('refuses an invalid tax code with a clear message', async () => {
    const wrongDigit = await owner.s.request('POST', B, { taxCode: '6001234560', name: 'Công ty Sai Mã' });
    expect(wrongDigit.statusCode).toBe(400);
    expect(wrongDigit.json().errors).toEqual([
      { field: 'taxCode', message: 'Mã số thuế không đúng (sai chữ số kiểm tra). Vui lòng kiểm tra lại.' },
    ]);
    const format = await owner.s.request('POST', B, { taxCode: '12345', name: 'Công ty Sai Mã' });
    expect(format.statusCode).toBe(400);
    expect(format.json().errors[0]).toMatchObject({ field: 'taxCode', message: expect.stringMatching(/10 chữ số/) });
    expect((await t.db.rows(sql`select 1 from businesses where name = 'Công ty Sai Mã'`)).length).toBe(0);
  });

  it('registers a valid one, declared; the citizen is its legal representative', async () => {
    const res = await owner.s.request('POST', B, { taxCode: '600 111 2229', name: '  Công ty  Cổ phần Ea Tam ', address: 'Ea Tam' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      taxCode: '6001112229',
      name: 'Công ty Cổ phần Ea Tam',
      status: 'declared',
      myRole: 'legal_representative',
      representatives: [{ accountId: owner.id, username: 'api.chudn', role: 'legal_representative' }],
    });
    const [audit] = await t.db.rows<{ action: string; actor_id: string }>(
      sql`select action, actor_id from audit_log where target_type = 'business' and target_id = ${res.json().id}`,
    );
    expect(audit).toEqual({ action: 'business.registered', actor_id: owner.id });
  });

  it('a tax code is registered once (409), a branch code is its own business', async () => {
    const again = await other.s.request('POST', B, { taxCode: '6001112229', name: 'Công ty Khác' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('business_exists');
    const branch = await owner.s.request('POST', B, { taxCode: '6001112229001', name: 'Chi nhánh Ea Tam' });
    expect(branch.statusCode, branch.body).toBe(201);
    expect(branch.json().taxCode).toBe('6001112229-001');
  });

  it('lists my businesses in pages', async () => {
    const first = (await owner.s.request('GET', `${B}?limit=1`)).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await owner.s.request('GET', `${B}?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([first.items[0].taxCode, second.items[0].taxCode])).toEqual(new Set(['6001112229', '6001112229-001']));
    expect((await other.s.request('GET', B)).json().items).toEqual([]);
  });

  it('adds a representative by username, refuses unknown users, duplicates and removing the legal representative', async () => {
    const b = (await owner.s.request('GET', B)).json().items.find((i: { taxCode: string }) => i.taxCode === '6001112229');
    const unknown = await owner.s.request('POST', `${B}/${b.id}/representatives`, { username: 'khong.co.ai' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('username');
    const staff = await owner.s.request('POST', `${B}/${b.id}/representatives`, { username: 'motcua' });
    expect(staff.statusCode).toBe(400);
    const added = await owner.s.request('POST', `${B}/${b.id}/representatives`, { username: 'api.nguoikhac' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().representatives.map((r: { username: string; role: string }) => [r.username, r.role])).toEqual([
      ['api.chudn', 'legal_representative'],
      ['api.nguoikhac', 'representative'],
    ]);
    expect((await owner.s.request('POST', `${B}/${b.id}/representatives`, { username: 'api.nguoikhac' })).statusCode).toBe(409);
    const self = await owner.s.request('DELETE', `${B}/${b.id}/representatives/${owner.id}`);
    expect(self.statusCode).toBe(409);
    // The representative sees the business, with his role.
    expect((await other.s.request('GET', `${B}/${b.id}`)).json().myRole).toBe('representative');
    const actions = await t.db.rows<{ action: string }>(
      sql`select action from audit_log where target_type = 'business' and target_id = ${b.id} order by seq`,
    );
    expect(actions.map((a) => a.action)).toEqual(['business.registered', 'business.representative_added']);
  });
});

describe('authorisations', () => {
  it('refuses what is not acceptable, field by field', async () => {
    const res = await owner.s.request('POST', Z, {
      granteeUsername: 'api.chudn',
      procedureCodes: ['9.999999.000.00.00.H66', KHAI_SINH],
      validUntil: '2020-01-01',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'granteeUsername', message: 'Không thể tự ủy quyền cho chính mình' },
      { field: 'procedureCodes/0', message: 'Không tìm thấy thủ tục đang áp dụng với mã này' },
      { field: 'validUntil', message: 'Ngày hết hiệu lực phải ở tương lai' },
    ]);
    const tooLong = await owner.s.request('POST', Z, {
      granteeUsername: 'api.nguoikhac',
      procedureCodes: [],
      validUntil: daysFromNow(6 * 366),
    });
    expect(tooLong.json().errors).toEqual([{ field: 'validUntil', message: 'Ủy quyền có thời hạn tối đa 5 năm' }]);
    const unknown = await owner.s.request('POST', Z, { granteeUsername: 'khong.co.ai', procedureCodes: [], validUntil: daysFromNow(3) });
    expect(unknown.json().errors[0].field).toBe('granteeUsername');
    const badDate = await owner.s.request('POST', Z, { granteeUsername: 'api.nguoikhac', procedureCodes: [], validUntil: '2031-02-30' });
    expect(badDate.statusCode).toBe(400);
    const noUntil = await owner.s.request('POST', Z, { granteeUsername: 'api.nguoikhac', procedureCodes: [] });
    expect(noUntil.statusCode).toBe(400);
    expect((await t.db.rows(sql`select 1 from authorisations where grantor_account_id = ${owner.id}`)).length).toBe(0);
  });

  it('runs to the end of the given day in Vietnam, names the procedures, and is audited', async () => {
    const until = daysFromNow(20);
    const res = await owner.s.request('POST', Z, {
      granteeUsername: 'api.nguoikhac',
      procedureCodes: [KHAI_SINH, KHAI_SINH.split('.').slice(0, 2).join('.')],
      validUntil: until,
      note: 'Nộp hồ sơ khai sinh cho con',
    });
    expect(res.statusCode, res.body).toBe(201);
    const z = res.json();
    expect(z).toMatchObject({
      grantor: { username: 'api.chudn', displayName: 'Hoàng Chủ Doanh' },
      grantee: { username: 'api.nguoikhac' },
      procedureCodes: [KHAI_SINH],
      procedures: [{ code: KHAI_SINH, name: expect.stringMatching(/khai sinh/i) }],
      validUntil: new Date(new Date(`${until}T00:00:00+07:00`).getTime() + 86_400_000).toISOString(),
      status: 'live',
      revokedAt: null,
    });
    const [audit] = await t.db.rows<{ action: string; details: { procedureCodes: string[] } }>(
      sql`select action, details from audit_log where target_type = 'authorisation' and target_id = ${z.id}`,
    );
    expect(audit).toMatchObject({ action: 'authorisation.granted', details: { procedureCodes: [KHAI_SINH] } });
  });

  it('lists given and received in pages; `status=live` leaves out ended ones', async () => {
    const second = await authorise(owner.s, 'api.nguoikhac', []);
    const page1 = (await owner.s.request('GET', `${Z}/given?limit=1`)).json();
    expect(page1.items.map((i: { id: string }) => i.id)).toEqual([second.id]);
    const page2 = (await owner.s.request('GET', `${Z}/given?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect((await other.s.request('GET', `${Z}/received`)).json().items).toHaveLength(2);
    const revoked = await owner.s.request('POST', `${Z}/${second.id}/revoke`);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedBy: 'grantor' });
    expect((await other.s.request('GET', `${Z}/received?status=live`)).json().items).toHaveLength(1);
    const [audit] = await t.db.rows<{ action: string }>(
      sql`select action from audit_log where target_type = 'authorisation' and target_id = ${second.id} order by seq desc limit 1`,
    );
    expect(audit?.action).toBe('authorisation.revoked');
  });

  it('an authorisation for every procedure lets the proxy file any of them', async () => {
    const grantor = await newCitizen(t, 'api.moithutuc', 'Tạ Mọi Thủ Tục');
    await authorise(grantor.s, 'api.nguoikhac', []);
    const options = (await other.s.request('GET', `/api/v1/parties/principals?procedureCode=${THO_CUNG}`)).json().items;
    expect(options).toContainEqual(
      expect.objectContaining({ kind: 'citizen', accountId: grantor.id, name: 'Tạ Mọi Thủ Tục', via: 'authorisation' }),
    );
    // Only the khai sinh authorisation of api.chudn: not offered for thờ cúng.
    expect(options.map((o: { accountId?: string }) => o.accountId)).not.toContain(owner.id);
    const all = (await other.s.request('GET', '/api/v1/parties/principals')).json().items;
    expect(all[0]).toMatchObject({ kind: 'citizen', accountId: other.id, via: 'self' });
    expect(all).toContainEqual(expect.objectContaining({ kind: 'business', via: 'representative', taxCode: '6001112229' }));
    expect(all.map((o: { accountId?: string }) => o.accountId)).toContain(owner.id);
  });
});

describe('the access contract (partiesAccess)', () => {
  it('canActFor and principalsOf follow the authorisation in time', async () => {
    const access = partiesAccess(t.db);
    const me = { kind: 'citizen', accountId: owner.id } as const;
    expect(await access.canActFor(owner.id, me, null)).toBe(true);
    expect(await access.canActFor(other.id, me, KHAI_SINH)).toBe(true);
    expect(await access.canActFor(other.id, me, THO_CUNG)).toBe(false);
    expect(await access.canActFor(other.id, me, null)).toBe(true);
    // After the end of the authorisation (20 days): no more.
    expect(await access.canActFor(other.id, me, KHAI_SINH, new Date(Date.now() + 40 * 86_400_000))).toBe(false);
    const principals = await access.principalsOf(other.id);
    expect(principals[0]).toEqual({ kind: 'citizen', accountId: other.id });
    expect(principals).toContainEqual(me);
    expect(principals.filter((p) => p.kind === 'business')).toHaveLength(1);
    expect(await access.canActFor(owner.id, { kind: 'citizen', accountId: other.id }, null)).toBe(false);
    expect(await access.canActFor(owner.id, { kind: 'business', businessId: 'not-a-uuid' }, null)).toBe(false);
  });
});

describe('demo data', () => {
  it('congdan is the legal representative of the demo business and holds congdan2’s authorisation', async () => {
    const businesses = (await congdan.request('GET', B)).json().items;
    expect(businesses).toContainEqual(expect.objectContaining({ taxCode: DEMO_BUSINESS.taxCode, myRole: 'legal_representative' }));
    const received = (await congdan.request('GET', `${Z}/received`)).json().items;
    expect(received).toContainEqual(
      expect.objectContaining({
        grantor: expect.objectContaining({ username: 'congdan2' }),
        procedureCodes: [...DEMO_AUTHORISED_PROCEDURES],
        status: 'live',
      }),
    );
  });
});

describe('a dossier filed on someone’s behalf', () => {
  it('keeps a row that equals the replay of its action log', async () => {
    const res = await other.s.request('POST', '/api/v1/dossiers', {
      procedureId: KHAI_SINH,
      agencyId: BMT,
      form: khaiSinhForm(),
      files: await filesFor(other.s, ['tp1', 'tp2', 'tp6']),
      resultDelivery: 'online',
      submit: true,
      onBehalfOf: { kind: 'citizen', accountId: owner.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const stored = await dossiersRepo(t.db).byId(id);
    expect(stored).toMatchObject({ ownerAccountId: owner.id, createdByAccountId: other.id, ownerBusinessId: null });
    expect(stored?.actingAuthorisationId).toEqual(expect.any(String));
    const log = await t.db.rows<{ seq: number; at: string; action: string; payload: unknown }>(
      sql`select seq, at, action, payload from dossier_actions where dossier_id = ${id} order by seq`,
    );
    const rebuilt = replay(
      log.map((a) => ({ seq: a.seq, at: new Date(a.at).toISOString(), event: { action: a.action, payload: a.payload } }) as LoggedAction),
    );
    const { procedureCode, procedureName, agencyName, agencyCode, deskAgencyName, ...row } = stored as NonNullable<typeof stored>;
    expect(rebuilt).toEqual(row);
    // The create answer equals what a reload reads.
    expect((await owner.s.request('GET', `/api/v1/dossiers/${id}`)).json()).toEqual(res.json());
  });
});
