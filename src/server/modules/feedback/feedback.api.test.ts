/**
 * Field reports end to end: submit (signed in, anonymous with a contact, Idempotency-Key), routing by commune
 * boundary to the ward's People's Committee or to the provincial triage desk, nearby reports and following,
 * the handling workflow (moderate → accept → assign → start → resolve → rate → close; reopen once; extend once;
 * return to triage and reassign), the public board, detail and Atom feed.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { systemContext } from '../../platform/auth/actor';
import { demoAgencyId, demoDepartmentId } from '../org';
import { actOn as act, BMT, submitReport as submit } from './testing';

let t: TestApp;
let citizen: Session;
let citizen2: Session;
let anon: Session;
let deskBmt: Session; // motcua.bmt
let leaderBmt: Session; // lanhdao.bmt
let officerBmt: Session; // chuyenvien.bmt (department VHXH)
let triage: Session; // motcua at the provincial service centre

const TAN_AN = { lon: 108.1, lat: 12.7 }; // Phường Tân An (24163): no agency in the demo → triage
const bmtAgency = demoAgencyId('H66.201');

function uploadJpeg(s: Session, bytes: Buffer) {
  const boundary = '----feedbacktest';
  const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="IMG_0001.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return s.request('POST', '/api/v1/files', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

beforeAll(async () => {
  t = await createTestApp();
  [citizen, citizen2, anon, deskBmt, leaderBmt, officerBmt, triage] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    anonymousSession(t.app),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'lanhdao.bmt'),
    login(t.app, 'chuyenvien.bmt'),
    login(t.app, 'motcua'),
  ]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('submitting and routing', () => {
  it('lists the categories with their SLA in working days', async () => {
    const res = await anon.request('GET', '/api/v1/field-reports/categories');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: { code: string }) => c.code)).toContain('moi_truong');
  });

  it('a point in Buôn Ma Thuột goes to the ward People’s Committee, with due dates from the calendar', async () => {
    const res = await submit(citizen, { categoryCode: 'moi_truong', description: 'Rác thải đổ trộm đầu hẻm', location: BMT });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ state: 'new', communeCode: '24133', agencyId: bmtAgency, reporterName: 'Nguyễn Thị Hồng' });
    expect(r.code).toMatch(/^PA-\d{8}-[A-Z2-9]{6}$/);
    expect(new Date(r.resolveDueAt).getTime()).toBeGreaterThan(new Date(r.acceptDueAt).getTime());
    const [ev] = await t.db.rows<{ action: string; to_state: string }>(
      sql`select action, to_state from field_report_events where report_id = ${r.id}`,
    );
    expect(ev).toEqual({ action: 'submit', to_state: 'new' });
  });

  it('a point in a commune without an agency, or only an address, goes to the provincial triage desk', async () => {
    const a = await submit(citizen, { categoryCode: 'giao_thong', description: 'Ổ gà lớn giữa đường', location: TAN_AN });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ communeCode: '24163', agencyId: demoAgencyId('H66.020') });
    const b = await submit(citizen, { categoryCode: 'khac', description: 'Đèn đường hỏng', address: '12 Lê Duẩn' });
    expect(b.json()).toMatchObject({ communeCode: null, agencyId: demoAgencyId('H66.020') });
  });

  it('refuses a point outside Đắk Lắk, no location at all, an unknown category and photos not uploaded by the reporter', async () => {
    const out = await submit(citizen, { categoryCode: 'moi_truong', description: 'x', location: { lon: 106.7, lat: 10.77 } });
    expect(out.statusCode).toBe(400);
    expect(out.json().errors[0].field).toBe('location');
    expect((await submit(citizen, { categoryCode: 'moi_truong', description: 'x' })).statusCode).toBe(400);
    expect((await submit(citizen, { categoryCode: 'nope', description: 'x', location: BMT })).statusCode).toBe(400);
    const photo = await submit(citizen, {
      categoryCode: 'moi_truong',
      description: 'x',
      location: BMT,
      photoIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(photo.statusCode).toBe(400);
    const long = await submit(citizen, { categoryCode: 'moi_truong', description: 'a'.repeat(2001), location: BMT });
    expect(long.statusCode).toBe(400);
  });

  it('photos are stored without EXIF at full size; staff and the reporter see a 1600 px copy, made once', async () => {
    const original = await sharp({ create: { width: 3200, height: 2400, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneCam', Copyright: 'home-of-reporter' } })
      .toBuffer();
    const up = await uploadJpeg(citizen, original);
    expect(up.statusCode, up.body).toBe(201);
    const res = await submit(citizen, { categoryCode: 'moi_truong', description: 'Ảnh bãi rác', location: BMT, photoIds: [up.json().id] });
    expect(res.statusCode, res.body).toBe(201);
    const { id, photoIds } = res.json();
    const [stored] = photoIds;
    expect(stored).not.toBe(up.json().id);
    const content = await t.platform.files.content(systemContext(), stored);
    const meta = await sharp(content.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['jpeg', 3200, 2400, undefined]);
    expect(content.bytes.includes(Buffer.from('home-of-reporter'))).toBe(false);

    const size = async (body: Buffer) => {
      const m = await sharp(body).metadata();
      return [m.width, m.height];
    };
    const shown = await deskBmt.request('GET', `/api/v1/field-reports/${id}/photos/${stored}`);
    expect(shown.statusCode).toBe(200);
    expect(await size(shown.rawPayload)).toEqual([1600, 1200]);
    expect(shown.rawPayload.includes(Buffer.from('home-of-reporter'))).toBe(false);
    const again = await citizen.request('GET', `/api/v1/field-reports/${id}/photos/${stored}`);
    expect(again.rawPayload.equals(shown.rawPayload)).toBe(true);
    const full = await deskBmt.request('GET', `/api/v1/field-reports/${id}/photos/${stored}?original=true`);
    expect(await size(full.rawPayload)).toEqual([3200, 2400]);
    const [copies] = await t.db.rows<{ n: number }>(
      sql`select count(*)::int as n from field_report_photo_displays where file_id = ${stored}`,
    );
    expect(copies?.n).toBe(1);
  });

  it('anonymous reporters must leave a phone or e-mail; the contact is kept for staff', async () => {
    expect((await submit(anon, { categoryCode: 'moi_truong', description: 'Nước thải', location: BMT })).statusCode).toBe(400);
    const ok = await submit(anon, {
      categoryCode: 'moi_truong',
      description: 'Nước thải chảy ra đường',
      location: BMT,
      contact: { name: 'Trần Văn A', phone: '0905000111' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const staff = await deskBmt.request('GET', `/api/v1/field-reports/${ok.json().id}`);
    expect(staff.json().contact).toEqual({ name: 'Trần Văn A', phone: '0905000111' });
  });

  it('an offline resend with the same Idempotency-Key creates no duplicate', async () => {
    const body = { categoryCode: 'chieu_sang', description: 'Đèn đường tắt cả tuần', location: BMT };
    const key = 'offline-report-0001';
    const a = await submit(citizen2, body, { 'idempotency-key': key });
    const b = await submit(citizen2, body, { 'idempotency-key': key });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const [n] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from field_reports where request_key = ${key}`);
    expect(n?.n).toBe(1);
    const other = await submit(citizen2, { ...body, description: 'khác' }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
  });
});

describe('handling, board and rating', () => {
  let id: string;

  it('the ward desk moderates (hides personal data) and the report appears on the board without the raw text', async () => {
    const r = await submit(citizen, {
      categoryCode: 'trat_tu_do_thi',
      description: 'Quán nhà ông Nguyễn Văn B số điện thoại 0905999888 lấn chiếm vỉa hè',
      location: BMT,
      contact: { phone: '0905123456' },
    });
    id = r.json().id;
    const before = await anon.request('GET', `/api/v1/public/field-reports/${id}`);
    expect(before.statusCode).toBe(404);
    const m = await act(deskBmt, id, 'moderate', { publicDescription: 'Quán ăn lấn chiếm vỉa hè' });
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json().state).toBe('moderated');
    const board = await anon.request('GET', `/api/v1/public/field-reports?commune=24133&category=trat_tu_do_thi`);
    expect(board.statusCode).toBe(200);
    const item = board.json().items.find((i: { id: string }) => i.id === id);
    expect(item.description).toBe('Quán ăn lấn chiếm vỉa hè');
    expect(board.body).not.toContain('0905999888');
    expect(board.body).not.toContain('0905123456');
    expect(item.contact).toBeUndefined();
  });

  it('a nearby open report of the same category is suggested, and a citizen can follow it', async () => {
    const near = await citizen2.request(
      'GET',
      `/api/v1/field-reports/nearby?lon=${BMT.lon}&lat=${BMT.lat + 0.0005}&category=trat_tu_do_thi`,
    );
    expect(near.statusCode).toBe(200);
    const hit = near.json().items.find((i: { id: string }) => i.id === id);
    expect(hit.distanceMeters).toBeGreaterThan(40);
    expect(hit.distanceMeters).toBeLessThanOrEqual(100);
    const far = await citizen2.request('GET', `/api/v1/field-reports/nearby?lon=${BMT.lon}&lat=${BMT.lat + 0.002}&category=trat_tu_do_thi`);
    expect(far.json().items.some((i: { id: string }) => i.id === id)).toBe(false);
    const other = await citizen2.request('GET', `/api/v1/field-reports/nearby?lon=${BMT.lon}&lat=${BMT.lat}&category=y_te`);
    expect(other.json().items.some((i: { id: string }) => i.id === id)).toBe(false);
    const f = await citizen2.request('POST', `/api/v1/field-reports/${id}/follow`);
    expect(f.statusCode).toBe(200);
    expect(f.json()).toEqual({ following: true, followers: 1 });
  });

  it('accept → assign to a department → the officer starts and resolves; extend only once', async () => {
    expect((await act(deskBmt, id, 'accept')).json().state).toBe('accepted');
    const assigned = await act(leaderBmt, id, 'assign', { departmentCode: 'VHXH' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().state).toBe('assigned');
    expect((await act(officerBmt, id, 'start')).json().state).toBe('in_progress');
    const ext = await act(leaderBmt, id, 'extend', { days: 2, reason: 'Chờ phối hợp công an phường' });
    expect(ext.statusCode, ext.body).toBe(200);
    expect(ext.json().extended).toBe(true);
    expect((await act(leaderBmt, id, 'extend', { days: 2, reason: 'lần hai' })).statusCode).toBe(409);
    expect((await act(officerBmt, id, 'resolve', {})).statusCode).toBe(400);
    const res = await act(officerBmt, id, 'resolve', { resultText: 'Đã lập biên bản, quán dọn hàng vào trong' });
    expect(res.json().state).toBe('resolved');
    expect(demoDepartmentId('H66.201', 'VHXH')).toBeTruthy();
  });

  it('"not satisfied" reopens once; the second rating closes the loop; the reporter closes it', async () => {
    const first = await act(citizen, id, 'rate', { satisfied: false });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ state: 'in_progress', satisfied: false });
    await act(officerBmt, id, 'resolve', { resultText: 'Đã cưỡng chế tháo dỡ mái che' });
    const second = await act(citizen, id, 'rate', { satisfied: false });
    expect(second.json().state).toBe('rated');
    expect((await act(citizen, id, 'close')).json().state).toBe('closed');
    expect((await act(citizen, id, 'close')).statusCode).toBe(409);
  });

  it('the public timeline shows public events without officers’ names; the Atom feed lists the report', async () => {
    const d = await anon.request('GET', `/api/v1/public/field-reports/${id}`);
    expect(d.statusCode).toBe(200);
    const actions = d.json().timeline.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['submit', 'moderate', 'accept', 'start', 'extend', 'resolve', 'rate', 'resolve', 'rate', 'close']);
    expect(d.body).not.toContain('Lê Thị Hồng');
    const staff = await deskBmt.request('GET', `/api/v1/field-reports/${id}`);
    expect(staff.json().timeline.map((e: { action: string }) => e.action)).toContain('assign');
    const feed = await anon.request('GET', '/api/v1/public/field-reports/feed/24133.atom');
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect(feed.body).toContain(`urn:uuid:${id}`);
    expect(feed.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed.body).not.toContain('0905999888');
    expect((await anon.request('GET', '/api/v1/public/field-reports/feed/99999.atom')).statusCode).toBe(404);
  });

  it('not our competence: the ward returns it to triage with a reason; the provincial desk reassigns it', async () => {
    const r = (await submit(citizen, { categoryCode: 'giao_thong', description: 'Biển báo đổ trên quốc lộ 14', location: BMT })).json();
    expect((await act(deskBmt, r.id, 'return', {})).statusCode).toBe(400);
    const back = await act(deskBmt, r.id, 'return', { reason: 'Quốc lộ do Sở Xây dựng quản lý' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ state: 'triage', agencyId: demoAgencyId('H66.020') });
    const moved = await act(triage, r.id, 'reassign', { agencyId: demoAgencyId('H66.007') });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ state: 'new', agencyId: demoAgencyId('H66.007') });
  });

  it('filters the board by bbox, state and period, and pages with a cursor', async () => {
    const bbox = `${BMT.lon - 0.01},${BMT.lat - 0.01},${BMT.lon + 0.01},${BMT.lat + 0.01}`;
    const inBox = await anon.request('GET', `/api/v1/public/field-reports?bbox=${bbox}&state=closed`);
    expect(inBox.json().items.map((i: { id: string }) => i.id)).toEqual([id]);
    const away = await anon.request('GET', '/api/v1/public/field-reports?bbox=109,13,109.1,13.1');
    expect(away.json().items).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await anon.request('GET', `/api/v1/public/field-reports?from=${today}&to=${today}`)).json().items.length).toBeGreaterThan(0);
    expect((await anon.request('GET', '/api/v1/public/field-reports?from=2000-01-01&to=2000-01-02')).json().items).toEqual([]);
    // Two more public reports, so that a page of one has a next page.
    for (const d of ['Cống tắc nghẽn', 'Cây đổ chắn đường']) {
      const r = (await submit(citizen, { categoryCode: 'cap_thoat_nuoc', description: d, location: BMT })).json();
      await act(deskBmt, r.id, 'moderate');
    }
    const p1 = (await anon.request('GET', '/api/v1/public/field-reports?category=cap_thoat_nuoc&limit=1')).json();
    expect(p1.items).toHaveLength(1);
    const p2 = (await anon.request('GET', `/api/v1/public/field-reports?category=cap_thoat_nuoc&limit=1&cursor=${p1.nextCursor}`)).json();
    expect(p2.items).toHaveLength(1);
    expect(p2.items[0].id).not.toBe(p1.items[0].id);
    expect(p2.nextCursor).toBeNull();
    expect((await anon.request('GET', '/api/v1/public/field-reports?bbox=1,2,3')).statusCode).toBe(400);
  });
});
