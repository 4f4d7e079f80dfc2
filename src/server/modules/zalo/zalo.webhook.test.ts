/**
 * The Zalo OA channel end to end through the local Zalo sandbox: a user writes to the OA, the sandbox signs and
 * posts the events to /webhooks/zalo, the bot's replies go through the outbox to the sandbox's send-message API.
 * A whole report dialogue (with a photo and a shared location) creates a field report routed to Phường Buôn Ma
 * Thuột, channel 'zalo', photo re-encoded; resends, bad signatures, stale events, cancel, help, dossier codes,
 * report codes, refused image hosts and a failing OA API.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { submitKhaiSinh } from '../dossiers/testing';
import { BMT } from '../feedback/testing';
import { demoAgencyId } from '../org';
import { signatureHeader, type ZaloService, zaloService, zaloServiceFor } from '.';
import { zaloFetch } from './index';

let t: TestApp;
let zalo: ZaloService;
let desk: Session; // motcua.bmt

interface Sent {
  msgId: string;
  webhookStatus: number;
  answer: { ok: boolean; outcome: string };
  body: string;
  signature: string;
}

async function send(user: string, content: Record<string, unknown>): Promise<Sent> {
  const res = await t.app.inject({ method: 'POST', url: `/zalo-sandbox/users/${user}/send`, payload: content });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Delivers the outbox (what the zalo.send job does) and returns every reply the user got so far. */
async function replies(user: string): Promise<string[]> {
  await zalo.deliverPending();
  const res = await t.app.inject({ method: 'GET', url: `/zalo-sandbox/users/${user}/messages` });
  return res.json().items.map((m: { text: string }) => m.text);
}

async function say(user: string, content: Record<string, unknown> | string): Promise<string> {
  const before = (await replies(user)).length;
  const sent = await send(user, typeof content === 'string' ? { text: content } : content);
  expect(sent.webhookStatus, JSON.stringify(sent.answer)).toBe(200);
  const all = await replies(user);
  return all.slice(before).join('\n---\n');
}

const postRaw = (body: string, headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/webhooks/zalo', payload: body, headers: { 'content-type': 'application/json', ...headers } });

beforeAll(async () => {
  t = await createTestApp();
  zalo = zaloServiceFor(t.app, t.platform);
  desk = await login(t.app, 'motcua.bmt');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('a field report through Zalo', () => {
  const user = 'zuser1001';
  let confirm: Sent;
  let reportId: string;
  let reportCode: string;

  it('walks the user through category, description, photo and location, then creates the report', async () => {
    expect(await say(user, { follow: true })).toContain('Gửi "phản ánh"');
    const menu = await say(user, 'Phản ánh');
    expect(menu).toContain('1. Môi trường, vệ sinh');
    expect(menu).toContain('Gửi số thứ tự');
    expect(await say(user, '9')).toMatch(/Vui lòng mô tả|Lĩnh vực/);
    // Back to the category step is not possible: cancel and start again with the right number.
    expect(await say(user, 'hủy')).toContain('Đã hủy');
    await say(user, 'pa');
    expect(await say(user, '42')).toContain('Xin gửi một số từ 1 đến');
    expect(await say(user, '1')).toContain('Lĩnh vực: Môi trường, vệ sinh');
    expect(await say(user, 'Rác thải đổ trộm ở đầu hẻm 12 đường Lê Duẩn, bốc mùi nhiều ngày')).toContain('ảnh');
    expect(await say(user, { image: 'o-ga.jpg' })).toContain('Đã nhận ảnh');
    const summary = await say(user, { location: { latitude: BMT.lat, longitude: BMT.lon } });
    expect(summary).toContain('Môi trường, vệ sinh');
    expect(summary).toContain('Ảnh: 1 ảnh');
    expect(summary).toContain('"đồng ý"');

    const before = (await replies(user)).length;
    confirm = await send(user, { text: 'Đồng ý' });
    expect(confirm.answer.outcome).toBe('processed');
    const done = (await replies(user)).slice(before).join('\n');
    const code = /Mã phản ánh: (PA-[0-9]{8}-[A-Z0-9]{6})/.exec(done)?.[1];
    expect(code, done).toBeDefined();
    reportCode = code as string;
    const link = new RegExp(`${t.platform.config.publicUrl}/phan-anh/([0-9a-f-]{36})`).exec(done);
    expect(link, done).not.toBeNull();
    reportId = (link as RegExpExecArray)[1] as string;
    expect(done).toContain('Đơn vị tiếp nhận: Ủy ban nhân dân phường Buôn Ma Thuột');
  });

  it('the report is in the commune’s queue, channel zalo, with the photo re-encoded and the Zalo user as contact', async () => {
    const res = await desk.request('GET', `/api/v1/field-reports/${reportId}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({
      code: reportCode,
      channel: 'zalo',
      agencyId: demoAgencyId('H66.201'),
      categoryCode: 'moi_truong',
      state: 'new',
    });
    // The staff view's schema may not list zaloUserId yet: the stored contact is what counts.
    const [stored] = await t.db.rows<{ contact: object }>(sql`select contact from field_reports where id = ${reportId}`);
    expect(stored?.contact).toEqual({ zaloUserId: user });
    expect(r.lon).toBeCloseTo(BMT.lon, 5);
    expect(r.photoIds).toHaveLength(1);
    const photo = await desk.request('GET', `/api/v1/field-reports/${reportId}/photos/${r.photoIds[0]}`);
    expect(photo.statusCode).toBe(200);
    const meta = await sharp(photo.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(1600);
    expect(meta.exif).toBeUndefined();
    // The raw photo kept during the dialogue is gone.
    const [conv] = await t.db.rows<{ step: string; photo: unknown }>(
      sql`select step, photo from zalo_conversations where user_id = ${user}`,
    );
    expect(conv).toEqual({ step: 'idle', photo: null });
  });

  it('a resend of the confirmation creates no second report', async () => {
    const again = await postRaw(confirm.body, { 'x-zevent-signature': confirm.signature });
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toBe('duplicate');
    // Even if the event log forgot it (a crash before it was marked), the Idempotency-Key finds the same report.
    await t.db.rows(sql`delete from zalo_events where event_id = ${confirm.msgId}`);
    await t.db.rows(
      sql`update zalo_conversations set step = 'confirm', draft = ${JSON.stringify({
        categoryCode: 'moi_truong',
        categoryName: 'Môi trường, vệ sinh',
        description: 'Rác thải',
        location: BMT,
      })}::jsonb where user_id = ${user}`,
    );
    expect((await postRaw(confirm.body, { 'x-zevent-signature': confirm.signature })).json().outcome).toBe('processed');
    const rows = await t.db.rows<{ id: string }>(sql`select id from field_reports where request_scope = ${`zalo:${user}`}`);
    expect(rows.map((r) => r.id)).toEqual([reportId]);
    const all = await replies(user);
    expect(all.at(-1)).toContain(reportCode);
  });

  it('every reply went out through the OA API and is marked sent', async () => {
    await zalo.deliverPending();
    const rows = await t.db.rows<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from zalo_outbox where user_id = ${user} group by status`,
    );
    expect(rows).toEqual([{ status: 'sent', n: (await replies(user)).length }]);
  });

  it('the report code gives its status: to its sender while it waits for moderation, to anyone once public', async () => {
    expect(await say(user, reportCode)).toContain('đang chờ cơ quan tiếp nhận, kiểm duyệt');
    expect(await say('zuser1002', reportCode)).toContain('Không tìm thấy phản ánh công khai');
    const mod = await desk.request('POST', `/api/v1/field-reports/${reportId}/moderate`, {});
    expect(mod.statusCode, mod.body).toBe(200);
    const status = await say('zuser1002', reportCode.toLowerCase());
    expect(status).toContain(`Phản ánh ${reportCode}`);
    expect(status).toContain('Tình trạng: Đã biên tập');
    expect(status).toContain('Ủy ban nhân dân phường Buôn Ma Thuột');
  });
});

describe('the webhook’s guards', () => {
  it('a wrong or missing signature is refused with 401 and nothing is recorded', async () => {
    const body = JSON.stringify({
      app_id: t.platform.config.zalo.appId,
      event_name: 'user_send_text',
      timestamp: String(Date.now()),
      sender: { id: 'zintruder' },
      recipient: { id: '1' },
      message: { msg_id: 'forged-1', text: 'phản ánh' },
    });
    const forged = signatureHeader(t.platform.config.zalo.appId, body, String(Date.now()), 'not-the-secret');
    const attempts: Record<string, string>[] = [{}, { 'x-zevent-signature': forged }, { 'x-zevent-signature': 'mac=abc' }];
    for (const headers of attempts) {
      const res = await postRaw(body, headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await t.db.rows(sql`select 1 from zalo_events where event_id = 'forged-1'`)).toEqual([]);
    expect(await t.db.rows(sql`select 1 from zalo_conversations where user_id = 'zintruder'`)).toEqual([]);
    expect(await t.db.rows(sql`select 1 from zalo_outbox where user_id = 'zintruder'`)).toEqual([]);
  });

  it('a tampered body under a genuine signature is refused', async () => {
    const sent = await send('zuser2001', { text: 'xin chào' });
    const res = await postRaw(sent.body.replace('xin chào', 'phản ánh'), { 'x-zevent-signature': sent.signature });
    expect(res.statusCode).toBe(401);
  });

  it('an event older than 5 minutes is ignored (replay), with no reply', async () => {
    const old = String(Date.now() - 10 * 60 * 1000);
    const sent = await send('zuser2002', { text: 'phản ánh', timestamp: old });
    expect(sent.answer.outcome).toBe('stale');
    expect(await replies('zuser2002')).toEqual([]);
  });
});

describe('other messages', () => {
  it('unknown text gets the help menu', async () => {
    const help = await say('zuser3001', 'xin chào, cho hỏi');
    expect(help).toContain('Gửi "phản ánh"');
    expect(help).toContain('mã hồ sơ');
  });

  it('"hủy" cancels at any step and drops the draft', async () => {
    const u = 'zuser3002';
    await say(u, 'phản ánh');
    await say(u, '2');
    await say(u, 'Lấn chiếm vỉa hè bán hàng');
    expect(await say(u, 'Huỷ')).toContain('Đã hủy');
    const [conv] = await t.db.rows<{ step: string; draft: object }>(sql`select step, draft from zalo_conversations where user_id = ${u}`);
    expect(conv).toEqual({ step: 'idle', draft: {} });
    expect(await say(u, 'Lấn chiếm vỉa hè bán hàng')).toContain('Gửi "phản ánh"');
  });

  it('an image from a host that is not Zalo’s is refused politely and the user may skip the photo', async () => {
    const u = 'zuser3003';
    await say(u, 'phản ánh');
    await say(u, '4');
    await say(u, 'Đèn đường hỏng cả tuần nay');
    const refused = await say(u, { imageUrl: 'https://evil.example.com/anh.jpg' });
    expect(refused).toContain('chỉ nhận ảnh gửi trực tiếp qua Zalo');
    expect(refused).toContain('"bỏ qua"');
    // A plain-http link on an allowed host is refused too (only the sandbox is reached without TLS).
    expect(await say(u, { imageUrl: 'http://photo.zadn.vn/anh.jpg' })).toContain('chỉ nhận ảnh gửi trực tiếp qua Zalo');
    expect(await say(u, 'bỏ qua')).toContain('chia sẻ vị trí');
    const summary = await say(u, '25 Nguyễn Tất Thành, phường Buôn Ma Thuột');
    expect(summary).toContain('Ảnh: không có');
    expect(summary).toContain('25 Nguyễn Tất Thành');
    expect(await say(u, 'đồng ý')).toMatch(/Mã phản ánh: PA-/);
  });

  it('a photo bigger than UPLOAD_MAX_BYTES is refused', async () => {
    const small = zaloService({
      db: t.db,
      config: t.platform.config,
      jobs: t.platform.jobs,
      feedback: {
        categories: async () => ({ items: [] }),
        create: async () => Promise.reject(new Error('unused')),
        publicDetail: async () => Promise.reject(new Error('unused')),
        publicDetailByCode: async () => Promise.reject(new Error('unused')),
      },
      dossiers: { publicStatus: async () => Promise.reject(new Error('unused')) },
      fetch: zaloFetch(t.app, t.platform.config.publicUrl),
      log: t.app.log,
      maxPhotoBytes: 1000,
    });
    expect(await small.fetchPhoto(`${t.platform.config.publicUrl}/zalo-sandbox/media/o-ga.jpg`)).toEqual({
      refused: 'Ảnh quá lớn (tối đa 0 MB).',
    });
    expect(await zalo.fetchPhoto(`${t.platform.config.publicUrl}/zalo-sandbox/media/khong-co.jpg`)).toEqual({
      refused: 'Không tải được ảnh này.',
    });
  });

  it('a dossier code gets the dossier’s public status, without personal data', async () => {
    const citizen = await login(t.app, 'congdan');
    const res = await submitKhaiSinh(citizen);
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    const answer = await say('zuser3004', d.code);
    expect(answer).toContain(`Hồ sơ ${d.code}`);
    expect(answer).toContain('Thủ tục: ');
    expect(answer).toContain('khai sinh');
    expect(answer).toContain('Tình trạng: ');
    expect(answer).toContain(`/tra-cuu/${d.code}`);
    for (const personal of ['Nguyễn Văn An', '066090001234', '0912345678']) expect(answer).not.toContain(personal);
    expect(await say('zuser3004', 'H66.201-990101-9999')).toContain('Không tìm thấy hồ sơ có mã H66.201-990101-9999');
  });

  it('a failing OA API keeps the reply pending, then marks it failed after the last try (error kept, never the text in it)', async () => {
    const broken = zaloService({
      db: t.db,
      config: { ...t.platform.config, zalo: { ...t.platform.config.zalo, accessToken: 'wrong-token', refreshToken: '' } },
      jobs: t.platform.jobs,
      feedback: {
        categories: async () => ({ items: [] }),
        create: async () => Promise.reject(new Error('unused')),
        publicDetail: async () => Promise.reject(new Error('unused')),
        publicDetailByCode: async () => Promise.reject(new Error('unused')),
      },
      dossiers: { publicStatus: async () => Promise.reject(new Error('unused')) },
      fetch: zaloFetch(t.app, t.platform.config.publicUrl),
      log: t.app.log,
      maxPhotoBytes: 1000,
    });
    await send('zuser3005', { text: 'alo' });
    const [m] = await t.db.rows<{ id: string }>(sql`select id from zalo_outbox where user_id = 'zuser3005'`);
    await expect(broken.deliver(m?.id as string, false)).rejects.toThrow(/-216/);
    let [row] = await t.db.rows<{ status: string; attempts: number; last_error: string }>(
      sql`select status, attempts, last_error from zalo_outbox where id = ${m?.id}`,
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    await expect(broken.deliver(m?.id as string, true)).rejects.toThrow();
    [row] = await t.db.rows(sql`select status, attempts, last_error from zalo_outbox where id = ${m?.id}`);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row?.last_error).toContain('-216');
    expect(row?.last_error).not.toContain('Gửi "phản ánh"');
  });

  it('replies are delivered by the zalo.send job when workers run (no manual drain)', async () => {
    const u = 'zuser3006';
    await t.platform.jobs.start();
    try {
      await send(u, { text: 'chào OA' });
      const deadline = Date.now() + 20_000;
      let got: string[] = [];
      while (Date.now() < deadline) {
        const res = await t.app.inject({ method: 'GET', url: `/zalo-sandbox/users/${u}/messages` });
        got = res.json().items.map((m: { text: string }) => m.text);
        if (got.length) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(got).toHaveLength(1);
      expect(got[0]).toContain('Gửi "phản ánh"');
      const [row] = await t.db.rows<{ status: string }>(sql`select status from zalo_outbox where user_id = ${u}`);
      expect(row?.status).toBe('sent');
    } finally {
      await t.platform.jobs.stop();
    }
  }, 30_000);
});
