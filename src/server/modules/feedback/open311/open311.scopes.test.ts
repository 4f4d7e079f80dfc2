/**
 * Who may do what through Open311: POST needs the api_key of an active registered client (403 array otherwise);
 * the clients' admin needs feedback.manage (anonymous 401, citizen and ward staff 403); a key is shown once and a
 * disabled one is refused at once. Private, unmoderated and removed reports never appear in any GET, and no GET
 * carries the reporter's contact or name. Another commune's staff do not see an Open311 report of Buôn Ma Thuột.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../../test/app';
import { sql } from '../../../platform/db/database';
import { actOn as act, BMT } from '../testing';
import { DEMO_OPEN311_KEY } from './open311.clients';
import { idOfCode, Open311Client } from './open311.testing';

let t: TestApp;
let admin: Session;
let citizen: Session;
let anon: Session;
let desk: Session; // motcua.bmt
let officerEaKar: Session; // another commune
let client: Open311Client;

beforeAll(async () => {
  t = await createTestApp();
  [admin, citizen, anon, desk, officerEaKar] = await Promise.all([
    login(t.app, 'admin'),
    login(t.app, 'congdan'),
    anonymousSession(t.app),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'chuyenvien.eakar'),
  ]);
  client = new Open311Client(t.app, '/open311/v2/discovery.json', DEMO_OPEN311_KEY);
  await client.discover();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const point = { lat: String(BMT.lat), long: String(BMT.lon) };
const post = async (c: Open311Client, fields: Record<string, string>) => {
  const res = await c.post({ service_code: 'moi_truong', ...point, description: 'Rác', email: 'x@example.vn', ...fields });
  return { res, code: (res.body as { service_request_id?: string }[])[0]?.service_request_id as string };
};

describe('api keys', () => {
  it('POST without, with a wrong or with an unknown api_key: 403 error array, nothing created', async () => {
    const [{ n: before }] = (await t.db.rows<{ n: number }>(sql`select count(*)::int as n from field_reports`)) as [{ n: number }];
    for (const key of [undefined, '', 'sai-khoa', `${DEMO_OPEN311_KEY}x`]) {
      const c = new Open311Client(t.app, '', key);
      c.endpoint = '/open311/v2';
      const { res } = await post(c, {});
      expect(res.status, String(key)).toBe(403);
      expect(res.body).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    }
    const [{ n: after }] = (await t.db.rows<{ n: number }>(sql`select count(*)::int as n from field_reports`)) as [{ n: number }];
    expect(after).toBe(before);
  });

  it('GETs need no key', async () => {
    const c = new Open311Client(t.app, '/open311/v2/discovery.json');
    await c.discover();
    expect((await c.services()).status).toBe(200);
    expect((await c.requests()).status).toBe(200);
  });

  it('the clients admin needs feedback.manage: anonymous 401, citizen and ward staff 403', async () => {
    expect((await anon.request('GET', '/api/v1/open311/clients')).statusCode).toBe(401);
    expect((await citizen.request('GET', '/api/v1/open311/clients')).statusCode).toBe(403);
    expect((await desk.request('GET', '/api/v1/open311/clients')).statusCode).toBe(403);
    expect((await anon.request('POST', '/api/v1/open311/clients', { name: 'X' })).statusCode).toBe(401);
    expect((await citizen.request('POST', '/api/v1/open311/clients', { name: 'X' })).statusCode).toBe(403);
    expect((await desk.request('DELETE', '/api/v1/open311/clients/00000000-0000-4000-8000-000000000000')).statusCode).toBe(403);
  });

  it('an admin registers a client: the key is shown once, stored hashed, works, and is refused once disabled', async () => {
    const created = await admin.request('POST', '/api/v1/open311/clients', { name: 'Ứng dụng Phố Xanh', contactEmail: 'hotro@phoxanh.vn' });
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json();
    expect(c.apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c).toMatchObject({
      name: 'Ứng dụng Phố Xanh',
      contactEmail: 'hotro@phoxanh.vn',
      status: 'active',
      keyPrefix: `${c.apiKey.slice(0, 6)}…`,
    });

    const list = await admin.request('GET', '/api/v1/open311/clients');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(c.apiKey);
    const names = list.json().items.map((i: { name: string }) => i.name);
    expect(names).toEqual(expect.arrayContaining(['Ứng dụng Phố Xanh', 'Ứng dụng đối tác demo']));
    const [row] = await t.db.rows<{ key_hash: string }>(sql`select key_hash from open311_clients where id = ${c.id}`);
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.key_hash).not.toContain(c.apiKey);

    const partner = new Open311Client(t.app, '/open311/v2/discovery.json', c.apiKey);
    await partner.discover();
    const ok = await post(partner, { description: 'Cây đổ chắn đường' });
    expect(ok.res.status).toBe(201);
    const [scope] = await t.db.rows<{ request_scope: string; channel: string }>(
      sql`select request_scope, channel from field_reports where code = ${ok.code}`,
    );
    expect(scope).toEqual({ request_scope: `open311:${c.id}`, channel: 'open311' });
    expect(
      (await admin.request('GET', '/api/v1/open311/clients')).json().items.find((i: { id: string }) => i.id === c.id).lastUsedAt,
    ).not.toBeNull();

    expect((await citizen.request('DELETE', `/api/v1/open311/clients/${c.id}`)).statusCode).toBe(403);
    expect((await admin.request('DELETE', `/api/v1/open311/clients/${c.id}`)).statusCode).toBe(204);
    const refused = await post(partner, { description: 'Lần hai' });
    expect(refused.res.status).toBe(403);
    expect((await admin.request('GET', '/api/v1/open311/clients')).json().items.find((i: { id: string }) => i.id === c.id).status).toBe(
      'disabled',
    );
    expect((await admin.request('DELETE', '/api/v1/open311/clients/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    const audit = await t.db.rows<{ action: string }>(
      sql`select action from audit_log where target_type = 'open311_client' and target_id = ${c.id} order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['open311.client_created', 'open311.client_disabled']);
  });

  it('a browser session cookie without a CSRF token does not block the machine route', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      cookies: citizen.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        api_key: DEMO_OPEN311_KEY,
        service_code: 'khac',
        ...point,
        description: 'Khác',
        phone: '0905111222',
      }).toString(),
    });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('privacy of the GETs', () => {
  it('private, unmoderated and removed reports never appear; public ones do, without contact or name', async () => {
    const pub = await post(client, { description: 'Công khai', first_name: 'Lê', last_name: 'Thị Mận', phone: '0912345678' });
    const priv = await post(client, { description: 'Riêng tư', 'attribute[public]': 'false' });
    const unmoderated = await post(client, { description: 'Chưa biên tập' });
    const removed = await post(client, { description: 'Nội dung vi phạm' });
    const anonymous = await post(client, { description: 'Ẩn danh', 'attribute[anonymous]': 'true', first_name: 'Phạm' });
    for (const r of [pub, priv, unmoderated, removed, anonymous]) expect(r.res.status).toBe(201);
    for (const r of [pub, priv, anonymous]) {
      const id = await idOfCode(desk, r.code);
      await act(desk, id, 'moderate', {});
      await act(desk, id, 'accept', {});
    }
    const removedId = await idOfCode(desk, removed.code);
    expect((await act(desk, removedId, 'moderate', { remove: true, reason: 'Xúc phạm' })).statusCode).toBe(200);

    const hidden = [priv.code, unmoderated.code, removed.code];
    const all = [pub.code, anonymous.code, ...hidden].join(',');
    const listed = (await client.requests({ service_request_id: all })).body.map((r) => r.service_request_id);
    expect(listed.sort()).toEqual([pub.code, anonymous.code].sort());
    const everything = (await client.requests()).body.map((r) => r.service_request_id);
    for (const code of hidden) {
      expect(everything).not.toContain(code);
      expect((await client.request(code)).status).toBe(404);
    }
    const updates = (await client.updates()).body.map((u) => u.service_request_id);
    expect(updates).toEqual(expect.arrayContaining([pub.code, anonymous.code]));
    for (const code of hidden) expect(updates).not.toContain(code);

    const raw = [
      (await client.requests()).raw.body,
      (await client.request(pub.code)).raw.body,
      (await client.request(anonymous.code)).raw.body,
      (await client.updates()).raw.body,
    ].join('\n');
    for (const secret of ['x@example.vn', '0912345678', 'Thị Mận', 'Phạm', 'email', 'phone', 'first_name']) {
      expect(raw).not.toContain(secret);
    }
  });

  it('the Open311 report of Buôn Ma Thuột is not visible to another commune’s staff', async () => {
    const { code } = await post(client, { description: 'Đường ngập nước' });
    const id = await idOfCode(desk, code);
    expect((await officerEaKar.request('GET', `/api/v1/field-reports/${id}`)).statusCode).toBe(404);
    expect((await desk.request('GET', `/api/v1/field-reports/${id}`)).statusCode).toBe(200);
  });
});
