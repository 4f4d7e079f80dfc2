/**
 * Open311 GeoReport v2 end to end with a client written from the spec: discovery → services → service definition
 * → POST (form-urlencoded, JSON, multipart with a photo) → read back by id and by token → list with filters and
 * paging → FixMyStreet updates after the commune's staff act through the normal API. The request is the same
 * record the staff see at /api/v1/field-reports/:id, routed to the ward of the point. Errors are Open311's
 * `[{ code, description }]`.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../../../../../test/app';
import { demoAgencyId } from '../../org';
import { actOn as act, BMT } from '../testing';
import { DEMO_OPEN311_KEY } from './open311.clients';
import { OPEN311_POSTS_PER_MINUTE } from './open311.routes';
import { idOfCode, multipartBody, Open311Client } from './open311.testing';

let t: TestApp;
let desk: Session; // motcua.bmt: the ward desk of Buôn Ma Thuột
let client: Open311Client;
const PUBLIC_URL = 'https://tinhso.example.vn';
const TAN_AN = { lon: 108.1, lat: 12.7 };

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL });
  desk = await login(t.app, 'motcua.bmt');
  client = new Open311Client(t.app, '/open311/v2/discovery.json', DEMO_OPEN311_KEY, 'dak-lak');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** Moderation and acceptance by the ward desk: the report becomes public. */
async function publish(code: string) {
  const id = await idOfCode(desk, code);
  expect((await act(desk, id, 'moderate', {})).statusCode).toBe(200);
  expect((await act(desk, id, 'accept', {})).statusCode).toBe(200);
  return id;
}

const point = { lat: String(BMT.lat), long: String(BMT.lon) };

describe('discovery and services', () => {
  it('discovery names the GeoReport v2 endpoint (JSON and XML) at PUBLIC_URL/open311/v2', async () => {
    const res = await client.discover();
    expect(res.status).toBe(200);
    expect(client.endpoint).toBe('/open311/v2');
    expect((res.body as unknown as { endpoints: { url: string; formats: string[]; type: string }[] }).endpoints[0]).toMatchObject({
      url: `${PUBLIC_URL}/open311/v2`,
      formats: ['application/json', 'text/xml'],
      type: 'test',
    });
    const xml = await t.app.inject({ url: '/open311/v2/discovery.xml' });
    expect(xml.headers['content-type']).toContain('text/xml');
    expect(xml.body).toContain('<discovery>');
    expect(xml.body).toContain('<format>application/json</format>');
  });

  it('services are the active categories; each has a definition with the public and anonymous attributes', async () => {
    const res = await client.services();
    expect(res.status).toBe(200);
    const env = res.body.find((s) => s.service_code === 'moi_truong');
    expect(env).toMatchObject({
      service_name: 'Môi trường, vệ sinh',
      metadata: true,
      type: 'realtime',
      group: 'Ủy ban nhân dân xã, phường',
    });
    expect(res.body.length).toBeGreaterThanOrEqual(10);
    const def = await client.definition('moi_truong');
    expect(def.status).toBe(200);
    expect(def.body.attributes.map((a) => a.code)).toEqual(['public', 'anonymous']);
    expect(def.body.attributes[0]).toMatchObject({ datatype: 'singlevaluelist', values: [{ key: 'true' }, { key: 'false' }] });
    const unknown = await client.definition('khong_co');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ code: 404, description: expect.stringContaining('khong_co') }]);
    const xml = await t.app.inject({ url: '/open311/v2/services.xml' });
    expect(xml.body).toMatch(/<services>\s*<service>\s*<service_code>moi_truong<\/service_code>/);
  });
});

describe('a request posted through Open311', () => {
  let code: string;
  let token: string;
  let id: string;

  it('is created (form-urlencoded, api_key) and answers with its id and token', async () => {
    const res = await client.post({
      service_code: 'moi_truong',
      ...point,
      description: 'Bãi rác tự phát cạnh chợ',
      email: 'doitac.nguoidan@example.vn',
      phone: '0905123456',
      first_name: 'Trần',
      last_name: 'Văn Bình',
      media_url: 'http://169.254.169.254/latest/meta-data',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [r] = res.body as { service_request_id: string; token: string; service_notice: string }[];
    expect(r?.service_request_id).toMatch(/^PA-\d{8}-[A-Z2-9]{6}$/);
    expect(r?.service_notice).toContain('media_url không được tải về');
    code = r?.service_request_id as string;
    token = r?.token as string;
  });

  it('is the same record the ward staff see, routed to Buôn Ma Thuột, with the contact for staff only', async () => {
    id = await idOfCode(desk, code);
    const res = await desk.request('GET', `/api/v1/field-reports/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code,
      channel: 'open311',
      communeCode: '24133',
      agencyId: demoAgencyId('H66.201'),
      state: 'new',
      contact: { name: 'Trần Văn Bình', email: 'doitac.nguoidan@example.vn', phone: '0905123456' },
    });
  });

  it('the token finds the request at once; the request itself is public only after moderation', async () => {
    const tok = await client.token(token);
    expect(tok.status).toBe(200);
    expect(tok.body).toEqual([{ service_request_id: code, token }]);
    expect((await client.token('khong-co-token-nay')).status).toBe(404);
    const before = await client.request(code);
    expect(before.status).toBe(404);
    expect(before.body).toEqual([{ code: 404, description: expect.any(String) }]);
    expect((await client.requests({ service_request_id: code })).body).toEqual([]);

    await publish(code);
    const after = await client.request(code);
    expect(after.status).toBe(200);
    expect(after.body).toEqual([
      expect.objectContaining({
        service_request_id: code,
        status: 'open',
        status_notes: 'Đã tiếp nhận',
        service_code: 'moi_truong',
        service_name: 'Môi trường, vệ sinh',
        description: 'Bãi rác tự phát cạnh chợ',
        agency_responsible: expect.stringContaining('Buôn Ma Thuột'),
        lat: BMT.lat,
        long: BMT.lon,
        media_url: null,
        expected_datetime: expect.any(String),
      }),
    ]);
    // No contact, no name: not in any field.
    for (const secret of ['doitac.nguoidan', '0905123456', 'Trần', 'Bình']) expect(after.raw.body).not.toContain(secret);
    const xml = await t.app.inject({ url: `/open311/v2/requests/${code}.xml` });
    expect(xml.body).toContain(`<service_request_id>${code}</service_request_id>`);
  });

  it('the same Idempotency-Key gives the same request (a resend after a lost answer)', async () => {
    const body = { service_code: 'giao_thong', ...point, description: 'Ổ gà trước cổng trường', phone: '0905000111' };
    const a = await client.post(body, { 'idempotency-key': 'doitac-lan-gui-0001' });
    const b = await client.post(body, { 'idempotency-key': 'doitac-lan-gui-0001' });
    expect(a.status).toBe(201);
    expect((b.body as { service_request_id: string }[])[0]?.service_request_id).toBe(
      (a.body as { service_request_id: string }[])[0]?.service_request_id,
    );
    expect((a.body as { token: string }[])[0]?.token).toBe('doitac-lan-gui-0001');
  });

  it('lists requests with filters (ids, service, status, dates, place) and pages them', async () => {
    // Two more public requests: one in Buôn Ma Thuột, one in Tân An (the provincial desk's).
    const more = await client.post({ service_code: 'moi_truong', ...point, description: 'Nước thải chảy ra đường', email: 'a@example.vn' });
    const code2 = (more.body as { service_request_id: string }[])[0]?.service_request_id as string;
    await publish(code2);
    const far = await client.post({
      service_code: 'chieu_sang',
      lat: String(TAN_AN.lat),
      long: String(TAN_AN.lon),
      description: 'Đèn đường hỏng',
      email: 'b@example.vn',
    });
    const code3 = (far.body as { service_request_id: string }[])[0]?.service_request_id as string;
    const triage = await login(t.app, 'motcua');
    const id3 = await idOfCode(triage, code3);
    await act(triage, id3, 'moderate', {});

    const codes = (r: { body: Record<string, unknown>[] }) => r.body.map((x) => x.service_request_id);
    expect(codes(await client.requests())).toEqual(expect.arrayContaining([code, code2, code3]));
    expect(codes(await client.requests({ service_request_id: `${code},${code3}` })).sort()).toEqual([code, code3].sort());
    expect(codes(await client.requests({ service_code: 'chieu_sang' }))).toEqual([code3]);
    expect(codes(await client.requests({ status: 'closed' }))).toEqual([]);
    expect(codes(await client.requests({ status: 'open' }))).toEqual(expect.arrayContaining([code, code2, code3]));
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect(codes(await client.requests({ start_date: tomorrow }))).toEqual([]);
    expect(codes(await client.requests({ end_date: new Date(Date.now() - 86_400_000).toISOString() }))).toEqual([]);
    const near = codes(await client.requests({ ...point, radius: 300 }));
    expect(near).toEqual(expect.arrayContaining([code, code2]));
    expect(near).not.toContain(code3);

    const p1 = await client.requests({ page_size: 2, page: 1 });
    const p2 = await client.requests({ page_size: 2, page: 2 });
    expect(p1.body).toHaveLength(2);
    expect(p1.raw.headers.link).toContain('page=2');
    expect(p2.body).toHaveLength(1);
    expect(p2.raw.headers.link).toBeUndefined();
    expect(new Set([...codes(p1), ...codes(p2)]).size).toBe(3);

    expect((await client.requests({ status: 'dang_xu_ly' })).status).toBe(400);
    expect((await client.requests({ start_date: 'hôm qua' })).status).toBe(400);
    expect((await client.requests({ page_size: 5000 })).status).toBe(400);
    expect((await client.requests({ lat: '95', long: '108' })).status).toBe(400);
  });

  it('updates (FixMyStreet) show the public events; resolving closes the request', async () => {
    const ups = await client.updates();
    expect(ups.status).toBe(200);
    const mine = ups.body.filter((u) => u.service_request_id === code);
    expect(mine.map((u) => u.description)).toEqual(['Gửi phản ánh', 'Biên tập', 'Tiếp nhận']);
    expect(mine.every((u) => u.status === 'open' && typeof u.update_id === 'string')).toBe(true);

    expect((await act(desk, id, 'start', {})).statusCode).toBe(200);
    expect((await act(desk, id, 'resolve', { resultText: 'Đã thu gom rác, đặt biển cấm đổ rác' })).statusCode).toBe(200);
    const [r] = (await client.request(code)).body;
    expect(r).toMatchObject({ status: 'closed', status_notes: 'Đã xử lý: Đã thu gom rác, đặt biển cấm đổ rác', expected_datetime: null });
    const last = (await client.updates()).body.filter((u) => u.service_request_id === code).at(-1);
    expect(last).toMatchObject({ status: 'closed', description: 'Đã thu gom rác, đặt biển cấm đổ rác' });
    expect((await client.requests({ status: 'closed' })).body.map((x) => x.service_request_id)).toEqual([code]);
    const none = await client.updates({ start_date: new Date(Date.now() + 86_400_000).toISOString() });
    expect(none.body).toEqual([]);
  });

  it('JSON and multipart posts work too; a JPEG in "media" is stored re-encoded and served at media_url', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: {
        api_key: DEMO_OPEN311_KEY,
        service_code: 'khac',
        lat: BMT.lat,
        long: BMT.lon,
        description: 'Biển báo đổ',
        phone: '0905999888',
      },
    });
    expect(json.statusCode, json.body).toBe(201);

    const jpeg = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#3a7' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'bi-mat-exif' } })
      .toBuffer();
    const mp = multipartBody(
      {
        api_key: DEMO_OPEN311_KEY,
        service_code: 'moi_truong',
        lat: point.lat,
        long: point.long,
        description: 'Rác có ảnh',
        email: 'c@example.vn',
      },
      [{ field: 'media', name: 'IMG_0001.jpg', bytes: jpeg }],
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: mp.payload,
      headers: { 'content-type': mp.contentType },
    });
    expect(res.statusCode, res.body).toBe(201);
    const photoCode = res.json()[0].service_request_id;
    await publish(photoCode);
    const [r] = (await client.request(photoCode)).body as { media_url: string }[];
    expect(r?.media_url).toMatch(new RegExp(`^${PUBLIC_URL}/api/v1/public/field-reports/[0-9a-f-]{36}/photos/[0-9a-f-]{36}$`));
    const photo = await t.app.inject({ url: String(r?.media_url).slice(PUBLIC_URL.length) });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toContain('image/jpeg');
    const meta = await sharp(photo.rawPayload).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(1600);
    expect(meta.exif).toBeUndefined();
    expect(photo.rawPayload.includes(Buffer.from('bi-mat-exif'))).toBe(false);
    const ups = (await client.updates()).body.filter((u) => u.service_request_id === photoCode);
    expect(ups[0]?.media_url).toBe(r?.media_url);
  });
});

describe('errors are Open311 error arrays', () => {
  const valid = { service_code: 'moi_truong', ...point, description: 'Rác', email: 'x@example.vn' };

  it('bad input: unknown service, bad or partial coordinates, outside the province, no contact, no description', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ ...valid, service_code: 'khong_co' }, 400],
      [{ ...valid, lat: 'abc' }, 400],
      [{ ...valid, lat: '120' }, 400],
      [{ ...valid, long: '' }, 400],
      [{ ...valid, lat: '10.77', long: '106.7' }, 400],
      [{ ...valid, email: '' }, 400],
      [{ ...valid, email: 'khong-phai-email' }, 400],
      [{ ...valid, description: '  ' }, 400],
      [{ ...valid, 'attribute[public]': 'co le' }, 400],
      [{ ...valid, 'attribute[mau_sac]': 'do' }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await client.post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body).toEqual([{ code: status, description: expect.any(String) }]);
    }
  });

  it('POSTs are rate-limited per api_key (429 array); another key is not affected', async () => {
    const noisy = new Open311Client(t.app, '', 'khoa-gui-qua-nhieu');
    noisy.endpoint = '/open311/v2';
    const statuses: number[] = [];
    for (let i = 0; i <= OPEN311_POSTS_PER_MINUTE; i++) statuses.push((await noisy.post(valid)).status);
    expect(statuses.slice(0, OPEN311_POSTS_PER_MINUTE).every((s) => s === 403)).toBe(true);
    const last = await noisy.post(valid);
    expect(last.status).toBe(429);
    expect(last.body).toEqual([{ code: 429, description: expect.any(String) }]);
    expect((await client.post(valid)).status).toBe(201);
  });

  it('another jurisdiction is 404; ours (dak-lak) is accepted; an unknown path is a 404 array', async () => {
    const other = await t.app.inject({ url: '/open311/v2/services.json?jurisdiction_id=ha-noi' });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual([{ code: 404, description: expect.stringContaining('ha-noi') }]);
    const postOther = await new Open311Client(t.app, '', DEMO_OPEN311_KEY, 'ha-noi');
    postOther.endpoint = '/open311/v2';
    expect((await postOther.post(valid)).status).toBe(404);
    expect((await t.app.inject({ url: '/open311/v2/services.json?jurisdiction_id=dak-lak' })).statusCode).toBe(200);
    const nowhere = await t.app.inject({ url: '/open311/v2/khong-co.json' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()).toEqual([{ code: 404, description: expect.any(String) }]);
    const xml = await t.app.inject({ url: '/open311/v2/services.xml?jurisdiction_id=ha-noi' });
    expect(xml.body).toContain('<errors>');
    expect(xml.body).toContain('<code>404</code>');
  });
});
