/**
 * The OA access token is kept fresh through the sandbox's OAuth v4 endpoint: the job refreshes a token near its
 * end, a send refreshes an expired one and goes out, a spent refresh token is refused by Zalo, a wrong app
 * secret leaves the stored tokens alone, and the tokens are stored sealed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app';
import { type ZaloService, zaloServiceFor } from '.';

let t: TestApp;
let zalo: ZaloService;

interface TokenRow {
  access_token_enc: string;
  refresh_token_enc: string;
  expires_at: Date | string | null;
  last_error: string | null;
}
const stored = async () => (await t.db.rows<TokenRow>(sql`select * from zalo_oa_tokens`))[0] as TokenRow;

async function userWrites(user: string, text: string) {
  const res = await t.app.inject({ method: 'POST', url: `/zalo-sandbox/users/${user}/send`, payload: { text } });
  expect(res.statusCode, res.body).toBe(200);
}
async function repliesOf(user: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/zalo-sandbox/users/${user}/messages` });
  return res.json().items.map((m: { text: string }) => m.text);
}
const oauth = (form: Record<string, string>, secret = t.platform.config.zalo.appSecretKey) =>
  t.app.inject({
    method: 'POST',
    url: '/zalo-sandbox/v4/oa/access_token',
    payload: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: secret },
  });

beforeAll(async () => {
  t = await createTestApp();
  zalo = zaloServiceFor(t.app, t.platform);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the OA access token', () => {
  it('is seeded from the configuration, stored sealed, and used to send', async () => {
    await userWrites('ztok1', 'xin chào');
    expect(await zalo.deliverPending()).toBe(1);
    expect((await repliesOf('ztok1')).length).toBe(1);
    const row = await stored();
    expect(row.expires_at).toBeNull(); // a configured token: its end is unknown
    for (const plain of ['zalo-sandbox-access-token', 'zalo-sandbox-refresh-token']) {
      expect(JSON.stringify(row)).not.toContain(plain);
    }
  });

  it('is refreshed by the job when its end is unknown or near, and left alone when fresh', async () => {
    expect(await zalo.refreshToken()).toBe('refreshed');
    const row = await stored();
    const hours = (new Date(row.expires_at as string).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(24);
    expect(hours).toBeLessThan(26);
    expect(await zalo.refreshToken()).toBe('fresh');
    // The configured refresh token was spent: Zalo refuses it now.
    const again = await oauth({
      app_id: t.platform.config.zalo.appId,
      grant_type: 'refresh_token',
      refresh_token: 'zalo-sandbox-refresh-token',
    });
    expect(again.json()).toMatchObject({ error: -14014 });
  });

  it('an expired token is refreshed when a reply is sent, and the reply goes out', async () => {
    const before = await stored();
    await t.app.inject({ method: 'POST', url: '/zalo-sandbox/oauth/expire' });
    await userWrites('ztok2', 'xin chào');
    expect(await zalo.deliverPending()).toBe(1);
    expect((await repliesOf('ztok2')).length).toBe(1);
    const after = await stored();
    expect(after.access_token_enc).not.toBe(before.access_token_enc);
    expect(after.refresh_token_enc).not.toBe(before.refresh_token_enc);
  });

  it('a refusal (wrong app secret) keeps the stored tokens and records why, without the tokens', async () => {
    const before = await stored();
    const wrong = await oauth({ app_id: t.platform.config.zalo.appId, grant_type: 'refresh_token', refresh_token: 'x' }, 'not-the-secret');
    expect(wrong.json()).toMatchObject({ error: -14002 });
    const broken = zaloServiceFor(t.app, {
      ...t.platform,
      config: { ...t.platform.config, zalo: { ...t.platform.config.zalo, appSecretKey: 'not-the-secret' } },
    });
    await expect(broken.refreshToken({ force: true })).rejects.toThrow(/-14002/);
    const after = await stored();
    expect(after.access_token_enc).toBe(before.access_token_enc);
    expect(after.refresh_token_enc).toBe(before.refresh_token_enc);
    expect(after.last_error).toContain('-14002');
    // Sending still works with the stored token.
    await userWrites('ztok3', 'xin chào');
    expect(await zalo.deliverPending()).toBe(1);
  });
});
