/**
 * Who may use the Zalo channel. May: Zalo (a request signed with the OA secret), and in demo/tests the sandbox.
 * May not: anyone without the OA secret (401, nothing recorded, the signature does not move to another body);
 * a Zalo user reading another user's report before it is public; anyone reaching the sandbox or its send API
 * without its token, or at all when ZALO_SANDBOX is off; the webhook is closed when no secret is configured.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, type TestApp } from '../../../../test/app';
import { BMT } from '../feedback/testing';
import { buildEvent, signatureHeader, type ZaloService, zaloServiceFor } from '.';

describe('with the sandbox (demo, tests)', () => {
  let t: TestApp;
  let zalo: ZaloService;
  beforeAll(async () => {
    t = await createTestApp();
    zalo = zaloServiceFor(t.app, t.platform);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: string, signature?: string, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      payload: body,
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-zevent-signature': signature } : {}), ...extra },
    });

  it('Zalo (the OA secret) may post events; a browser session without it may not, CSRF token or not', async () => {
    const z = t.platform.config.zalo;
    const ts = String(Date.now());
    const body = JSON.stringify(buildEvent(z.appId, 'oa', 'zscope1', 'scope-m1', ts, { text: 'xin chào' }));
    const browser = await anonymousSession(t.app);
    const res = await browser.request('POST', '/webhooks/zalo', JSON.parse(body));
    expect(res.statusCode).toBe(401);
    const signed = await post(body, signatureHeader(z.appId, body, ts, z.oaSecret));
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toEqual({ ok: true, outcome: 'processed' });
  });

  it('a signature made for one event does not carry over to another user or message', async () => {
    const z = t.platform.config.zalo;
    const ts = String(Date.now());
    const body = JSON.stringify(buildEvent(z.appId, 'oa', 'zscope2', 'scope-m2', ts, { text: 'phản ánh' }));
    const sig = signatureHeader(z.appId, body, ts, z.oaSecret);
    expect((await post(body.replace('zscope2', 'zscope3'), sig)).statusCode).toBe(401);
    expect((await post(body.replace('scope-m2', 'scope-m3'), sig)).statusCode).toBe(401);
    // A signature header in another name (as some integrations use) is not accepted either.
    expect((await post(body, undefined, { 'x-zalo-signature': sig })).statusCode).toBe(401);
    expect(await t.db.rows(sql`select 1 from zalo_events where user_id in ('zscope2', 'zscope3')`)).toEqual([]);
  });

  it('the JSON parsing of other routes is unchanged by the webhook’s raw body parser', async () => {
    const anon = await anonymousSession(t.app);
    const res = await anon.request('POST', '/api/v1/field-reports', { categoryCode: 'moi_truong', description: 'x', location: BMT });
    // A JSON body is still parsed (a validation answer about the contact, not a parse failure).
    expect(res.statusCode).toBe(400);
    expect(res.json().errors?.[0]?.field).toBe('contact');
  });

  it('a report waiting for moderation is shown to the Zalo user who sent it, not to another', async () => {
    const sendAs = async (user: string, content: object) =>
      (await t.app.inject({ method: 'POST', url: `/zalo-sandbox/users/${user}/send`, payload: content })).json();
    for (const text of ['phản ánh', '3', 'Ổ gà lớn giữa đường', 'bỏ qua']) await sendAs('zowner', { text });
    await sendAs('zowner', { location: { latitude: BMT.lat, longitude: BMT.lon } });
    await sendAs('zowner', { text: 'đồng ý' });
    const [r] = await t.db.rows<{ code: string }>(sql`select code from zalo_reports where user_id = 'zowner'`);
    expect(r?.code).toMatch(/^PA-/);
    await sendAs('zowner', { text: r?.code });
    await sendAs('zother', { text: r?.code });
    await zalo.deliverPending();
    const last = async (user: string) =>
      ((await t.app.inject({ method: 'GET', url: `/zalo-sandbox/users/${user}/messages` })).json().items.at(-1)?.text ?? '') as string;
    expect(await last('zowner')).toContain('đang chờ cơ quan tiếp nhận');
    expect(await last('zother')).toContain('Không tìm thấy phản ánh công khai');
    expect(await last('zother')).not.toContain('Ổ gà');
  });

  it('the sandbox’s send-message API refuses a wrong access token as Zalo does (-216)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/zalo-sandbox/v3.0/oa/message/cs',
      headers: { access_token: 'guess' },
      payload: { recipient: { user_id: 'zowner' }, message: { text: 'giả mạo' } },
    });
    expect(res.json()).toMatchObject({ error: -216 });
    const list = await t.app.inject({ method: 'GET', url: '/zalo-sandbox/users/zowner/messages' });
    expect(list.body).not.toContain('giả mạo');
  });
});

describe('without the sandbox and without a secret (a production-like configuration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ZALO_SANDBOX: 'false' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('no /zalo-sandbox, no webhook, and the API points at Zalo', async () => {
    expect(t.platform.config.zalo).toMatchObject({ sandbox: false, apiBase: 'https://openapi.zalo.me', oaSecret: '', accessToken: '' });
    expect((await t.app.inject({ method: 'GET', url: '/zalo-sandbox/users/u/messages' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/zalo-sandbox/users/u/send', payload: { text: 'x' } })).statusCode).toBe(404);
    const body = JSON.stringify(buildEvent('', 'oa', 'u', 'm', String(Date.now()), { text: 'x' }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(404);
  });
});
