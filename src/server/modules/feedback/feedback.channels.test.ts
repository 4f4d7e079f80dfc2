/**
 * Field reports, second part: a report with its photos in one multipart request (the web app's offline queue),
 * GPS from EXIF when the reporter allows it, photo URLs (public only for public reports), the boundaries for the
 * map, "my reports", the officer's options, the paged staff queue, the admin API, and the SLA job.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { warnFieldReports } from './feedback.sla';
import { actOn as act, BMT } from './testing';

let t: TestApp;
let citizen: Session;
let citizen2: Session;
let anon: Session;
let deskBmt: Session;
let officerBmt: Session;
let triage: Session;
let admin: Session;
let otherCommune: Session; // chuyenvien.eakar

/** A JPEG carrying a GPS position in its EXIF (as phone cameras write it). */
async function jpegWithGps(lon: number, lat: number, width = 2400): Promise<Buffer> {
  const dms = (v: number) => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    const s = Math.round(((a - d) * 60 - m) * 60 * 100);
    return `${d}/1 ${m}/1 ${s}/100`;
  };
  return sharp({ create: { width, height: Math.round(width * 0.75), channels: 3, background: '#6a8' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone' },
      IFD3: { GPSLatitudeRef: lat >= 0 ? 'N' : 'S', GPSLatitude: dms(lat), GPSLongitudeRef: lon >= 0 ? 'E' : 'W', GPSLongitude: dms(lon) },
    })
    .toBuffer();
}

/** multipart/form-data with a `report` part and `photo` parts, as the web app's outbox sends it. */
function multipart(report: object, photos: Buffer[]) {
  const boundary = '----reportwithphotos';
  const parts = [
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="report"\r\n\r\n${JSON.stringify(report)}\r\n`),
    ...photos.flatMap((p, i) => [
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="photo"; filename="IMG_${i}.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
      ),
      p,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ];
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const send = (s: Session, report: object, photos: Buffer[] = [], headers: Record<string, string> = {}) => {
  const m = multipart(report, photos);
  return s.request('POST', '/api/v1/field-reports', m.body, { ...m.headers, ...headers });
};

beforeAll(async () => {
  t = await createTestApp();
  [citizen, citizen2, anon, deskBmt, officerBmt, triage, admin, otherCommune] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    anonymousSession(t.app),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'chuyenvien.bmt'),
    login(t.app, 'motcua'),
    login(t.app, 'admin'),
    login(t.app, 'chuyenvien.eakar'),
  ]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('a report with its photos in one request', () => {
  it('an anonymous reporter sends a report with a photo; the photo is resized and EXIF-free; a resend with the key is the same report', async () => {
    const photo = await jpegWithGps(BMT.lon, BMT.lat);
    const report = { categoryCode: 'chieu_sang', description: 'Đèn đường hỏng cả dãy', location: BMT, contact: { phone: '0905123456' } };
    const first = await send(anon, report, [photo], { 'idempotency-key': 'outbox-0001-abcdef' });
    expect(first.statusCode, first.body).toBe(201);
    const r = first.json();
    expect(r).toMatchObject({ channel: 'web', communeCode: '24133', state: 'new' });
    expect(r.photoIds).toHaveLength(1);
    const again = await send(anon, report, [photo], { 'idempotency-key': 'outbox-0001-abcdef' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(r.id);
    const [n] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from field_reports where request_key = 'outbox-0001-abcdef'`);
    expect(n?.n).toBe(1);

    // Staff see the photo at once; the public only after moderation.
    const staffUrl = `/api/v1/field-reports/${r.id}/photos/${r.photoIds[0]}`;
    const staffPhoto = await deskBmt.request('GET', staffUrl);
    expect(staffPhoto.statusCode).toBe(200);
    // Who may not: another commune's officer, a citizen who did not report it, an anonymous caller.
    expect((await otherCommune.request('GET', staffUrl)).statusCode).toBe(404);
    expect((await citizen.request('GET', staffUrl)).statusCode).toBe(404);
    expect((await anon.request('GET', staffUrl)).statusCode).toBe(401);
    // Nor the full-size original.
    expect((await otherCommune.request('GET', `${staffUrl}?original=true`)).statusCode).toBe(404);
    expect((await citizen.request('GET', `${staffUrl}?original=true`)).statusCode).toBe(404);
    expect((await anon.request('GET', `${staffUrl}?original=true`)).statusCode).toBe(401);
    const meta = await sharp(staffPhoto.rawPayload).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(1600);
    expect(meta.exif).toBeUndefined();
    const publicUrl = `/api/v1/public/field-reports/${r.id}/photos/${r.photoIds[0]}`;
    expect((await anon.request('GET', publicUrl)).statusCode).toBe(404);
    expect((await act(deskBmt, r.id, 'moderate')).statusCode).toBe(200);
    const pub = await anon.request('GET', publicUrl);
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toBe('image/jpeg');
    expect(pub.headers['cache-control']).toContain('public');
    // The public route shows the display copy only, whatever it is asked.
    const askedFull = await anon.request('GET', `${publicUrl}?original=true`);
    expect((await sharp(askedFull.rawPayload).metadata()).width).toBe(meta.width);
    // A file id that is not this report's photo is not served through it.
    expect((await anon.request('GET', `/api/v1/public/field-reports/${r.id}/photos/${r.id}`)).statusCode).toBe(404);
  });

  it('takes the location from the photo when allowed, and says so when the photo has none', async () => {
    const withGps = await send(citizen, { categoryCode: 'moi_truong', description: 'Rác', useExifLocation: true }, [
      await jpegWithGps(BMT.lon, BMT.lat, 800),
    ]);
    expect(withGps.statusCode, withGps.body).toBe(201);
    expect(withGps.json().lon).toBeCloseTo(BMT.lon, 3);
    expect(withGps.json().lat).toBeCloseTo(BMT.lat, 3);
    expect(withGps.json().communeCode).toBe('24133');

    const plain = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const without = await send(citizen, { categoryCode: 'moi_truong', description: 'Rác', useExifLocation: true }, [plain]);
    expect(without.statusCode).toBe(400);
    expect(without.json().errors[0]).toMatchObject({ field: 'location' });
    expect(without.json().errors[0].message).toContain('không có thông tin vị trí');

    // Outside the province: refused with a clear message, nothing stored.
    const hanoi = await send(citizen, { categoryCode: 'moi_truong', description: 'Rác', useExifLocation: true }, [
      await jpegWithGps(105.85, 21.03, 400),
    ]);
    expect(hanoi.statusCode).toBe(400);
    expect(hanoi.json().errors[0].message).toContain('ngoài địa bàn');
  });

  it('refuses a sixth photo, a part that is not an image, and a report part that is not valid', async () => {
    const small = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    const report = { categoryCode: 'moi_truong', description: 'Rác', location: BMT };
    expect((await send(citizen, report, Array(6).fill(small))).statusCode).toBe(400);
    const bad = await send(citizen, report, [Buffer.from('%PDF-1.4 not a photo')]);
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    const invalid = await send(citizen, { categoryCode: 'moi_truong', location: BMT }, []);
    expect(invalid.statusCode).toBe(400);
    // The report part is checked by the same schema as a JSON body.
    expect(invalid.json().errors).toEqual([expect.objectContaining({ field: 'body/description' })]);
  });
});

describe('reference data and personal lists', () => {
  it('serves the commune boundaries simplified for drawing, with an ETag', async () => {
    const res = await anon.request('GET', '/api/v1/public/field-reports/boundaries');
    expect(res.statusCode).toBe(200);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(102);
    expect(fc.features.find((f: { properties: { code: string } }) => f.properties.code === '24133').properties.name).toContain(
      'Buôn Ma Thuột',
    );
    // Much lighter than the source file (2.9 MB), still one ring per commune at least.
    expect(res.body.length).toBeLessThan(1_200_000);
    const again = await anon.request('GET', '/api/v1/public/field-reports/boundaries', undefined, {
      'if-none-match': res.headers.etag as string,
    });
    expect(again.statusCode).toBe(304);
  });

  it('"my reports" lists the reporter’s own and the ones he follows, nobody else’s', async () => {
    const own = (await send(citizen2, { categoryCode: 'giao_thong', description: 'Ổ gà lớn', location: BMT })).json();
    const mine = await citizen2.request('GET', '/api/v1/field-reports/mine');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((r: { id: string }) => r.id)).toContain(own.id);
    expect(mine.json().items[0]).toHaveProperty('resolveDueAt');
    const others = await citizen.request('GET', '/api/v1/field-reports/mine');
    expect(others.json().items.map((r: { id: string }) => r.id)).not.toContain(own.id);
    expect((await anon.request('GET', '/api/v1/field-reports/mine')).statusCode).toBe(401);
  });
});

describe('the officer’s options and the queue', () => {
  it('tells the ward desk what it may do now, and only the triage desk gets agencies to reassign to', async () => {
    const r = (await send(citizen, { categoryCode: 'an_ninh', description: 'Tụ tập gây mất trật tự', location: BMT })).json();
    const desk = await deskBmt.request('GET', `/api/v1/field-reports/${r.id}/options`);
    expect(desk.statusCode).toBe(200);
    expect(desk.json().actions).toEqual(expect.arrayContaining(['moderate', 'return']));
    expect(desk.json().actions).not.toContain('accept');
    expect(desk.json().actions).not.toContain('reassign');
    expect(desk.json().agencies).toEqual([]);
    expect(desk.json().departments.length).toBeGreaterThan(0);
    // A department officer sees a report only once it is assigned to his department.
    expect((await officerBmt.request('GET', `/api/v1/field-reports/${r.id}/options`)).statusCode).toBe(404);
    // Citizens and strangers: no options.
    expect((await citizen.request('GET', `/api/v1/field-reports/${r.id}/options`)).statusCode).toBe(404);
    expect((await anon.request('GET', `/api/v1/field-reports/${r.id}/options`)).statusCode).toBe(401);

    expect((await act(deskBmt, r.id, 'return', { reason: 'Thuộc công an phường' })).statusCode).toBe(200);
    const atDesk = await triage.request('GET', `/api/v1/field-reports/${r.id}/options`);
    expect(atDesk.json().actions).toContain('reassign');
    expect(atDesk.json().agencies.map((a: { code: string }) => a.code)).toContain('H66.201');
  });

  it('pages the queue with a cursor and filters overdue reports', async () => {
    for (let i = 0; i < 3; i++) await send(citizen, { categoryCode: 'khac', description: `Phản ánh ${i}`, location: BMT });
    const first = await deskBmt.request('GET', '/api/v1/field-reports?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(2);
    const next = await deskBmt.request('GET', `/api/v1/field-reports?limit=2&cursor=${first.json().nextCursor}`);
    const ids = [...first.json().items, ...next.json().items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const late = (await send(citizen, { categoryCode: 'khac', description: 'Quá hạn', location: BMT })).json();
    await t.db.rows(sql`update field_reports set accept_due_at = now() - interval '1 day' where id = ${late.id}`);
    const overdue = await deskBmt.request('GET', '/api/v1/field-reports?overdue=true&limit=200');
    expect(overdue.json().items.map((r: { id: string }) => r.id)).toContain(late.id);
    expect(overdue.json().items.every((r: { acceptDueAt: string }) => new Date(r.acceptDueAt) < new Date())).toBe(true);
  });
});

describe('SLA reminders and escalation', () => {
  it('reminds the ward desk before the acceptance is due, escalates to the head once overdue, each once', async () => {
    const r = (await send(citizen, { categoryCode: 'cap_thoat_nuoc', description: 'Vỡ ống nước', location: BMT })).json();
    const deps = { db: t.db, config: t.platform.config, calendar: t.platform.calendar, notify: t.platform.notify };
    const sentTo = async () =>
      (
        await t.db.rows<{ recipient: string; subject: string }>(
          sql`select recipient, subject from notifications where target_id = ${r.id} and template_code = 'field_report.sla_warning' order by created_at`,
        )
      ).map((x) => `${x.recipient} ${x.subject}`);
    const due = new Date(r.acceptDueAt).getTime();
    await warnFieldReports(deps, new Date(due - 7 * 86_400_000));
    expect(await sentTo()).toEqual([]);
    await warnFieldReports(deps, new Date(due - 60_000));
    const soon = await sentTo();
    expect(soon.some((s) => s.startsWith('motcua.bmt@example.vn') && s.includes('Sắp đến hạn tiếp nhận'))).toBe(true);
    expect(soon.some((s) => s.startsWith('lanhdao.bmt@'))).toBe(false);
    await warnFieldReports(deps, new Date(due - 60_000));
    expect(await sentTo()).toHaveLength(soon.length);
    await warnFieldReports(deps, new Date(due + 60_000));
    const all = await sentTo();
    expect(all.some((s) => s.startsWith('lanhdao.bmt@example.vn') && s.includes('Quá hạn tiếp nhận'))).toBe(true);
    // On the staff timeline, not on the public one.
    const staff = (await deskBmt.request('GET', `/api/v1/field-reports/${r.id}`)).json();
    expect(staff.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'remind', 'escalate']);
    expect((await act(deskBmt, r.id, 'moderate')).statusCode).toBe(200);
    const pub = (await anon.request('GET', `/api/v1/public/field-reports/${r.id}`)).json();
    expect(pub.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'moderate']);
  });
});

describe('the reporter hears what happens', () => {
  const sentFor = async (id: string) =>
    t.db.rows<{ channel: string; recipient: string; body: string }>(
      sql`select channel, recipient, body from notifications where target_id = ${id} and template_code = 'field_report.update' order by created_at`,
    );

  it('an anonymous reporter gets acceptance and the result at the contact; followers get the result; internal steps send nothing', async () => {
    const r = (
      await send(anon, { categoryCode: 'giao_thong', description: 'Cống hở nắp', location: BMT, contact: { email: 'nguoidan@example.vn' } })
    ).json();
    expect((await citizen2.request('POST', `/api/v1/field-reports/${r.id}/follow`)).statusCode).toBe(404); // not public yet
    expect((await act(deskBmt, r.id, 'moderate')).statusCode).toBe(200);
    expect(await sentFor(r.id)).toEqual([]);
    expect((await citizen2.request('POST', `/api/v1/field-reports/${r.id}/follow`)).statusCode).toBe(200);
    expect((await act(deskBmt, r.id, 'accept')).statusCode).toBe(200);
    const accepted = await sentFor(r.id);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ channel: 'email', recipient: 'nguoidan@example.vn' });
    expect(accepted[0]?.body).toContain('hạn xử lý');
    expect((await act(deskBmt, r.id, 'start')).statusCode).toBe(200);
    expect(await sentFor(r.id)).toHaveLength(1);
    expect((await act(deskBmt, r.id, 'resolve', { resultText: 'Đã đậy nắp cống.' })).statusCode).toBe(200);
    const all = await sentFor(r.id);
    expect(all.map((x) => x.recipient).sort()).toEqual(['nguoidan@example.vn', 'nguoidan@example.vn', 'yblok@example.vn']);
    expect(all.at(-1)?.body).toContain('Đã đậy nắp cống.');
  });
});

describe('admin: categories, triage desk, boundaries', () => {
  const cat = {
    code: 'cay_xanh',
    name: 'Cây xanh đô thị',
    acceptDays: 1,
    resolveDays: 5,
    unitKind: 'ubnd_xa',
    active: true,
    sortOrder: 11,
  };

  it('only feedback.manage may change categories and settings', async () => {
    for (const s of [citizen, deskBmt, triage]) {
      expect((await s.request('GET', '/api/v1/field-reports/admin/categories')).statusCode).toBe(403);
      expect((await s.request('POST', '/api/v1/field-reports/admin/categories', cat)).statusCode).toBe(403);
      expect((await s.request('PUT', '/api/v1/field-reports/admin/settings', { triageAgencyCode: null })).statusCode).toBe(403);
    }
    expect((await anon.request('GET', '/api/v1/field-reports/admin/categories')).statusCode).toBe(401);
  });

  it('adds, edits and disables a category; the public list and new reports follow at once', async () => {
    // A report first, so the categories are already kept in memory: the change must still be seen at once.
    expect((await send(citizen, { categoryCode: 'moi_truong', description: 'Rác', location: BMT })).statusCode).toBe(201);
    expect((await admin.request('POST', '/api/v1/field-reports/admin/categories', cat)).statusCode).toBe(201);
    const first = await send(citizen, { categoryCode: 'cay_xanh', description: 'Cây nghiêng sắp đổ', location: BMT });
    expect(first.statusCode, first.body).toBe(201);
    expect((await admin.request('POST', '/api/v1/field-reports/admin/categories', cat)).statusCode).toBe(409);
    const wrong = await admin.request('PATCH', '/api/v1/field-reports/admin/categories/cay_xanh', { acceptDays: 9, resolveDays: 3 });
    expect(wrong.statusCode).toBe(400);
    const off = await admin.request('PATCH', '/api/v1/field-reports/admin/categories/cay_xanh', { active: false, resolveDays: 7 });
    expect(off.json()).toMatchObject({ active: false, resolveDays: 7, name: 'Cây xanh đô thị' });
    const pub = (await anon.request('GET', '/api/v1/field-reports/categories')).json();
    expect(pub.items.map((c: { code: string }) => c.code)).not.toContain('cay_xanh');
    expect((await send(citizen, { categoryCode: 'cay_xanh', description: 'Cây đổ', location: BMT })).statusCode).toBe(400);
  });

  it('sets the triage desk only to an existing agency', async () => {
    const bad = await admin.request('PUT', '/api/v1/field-reports/admin/settings', { triageAgencyCode: 'H66.999' });
    expect(bad.statusCode).toBe(400);
    expect((await admin.request('PUT', '/api/v1/field-reports/admin/settings', { triageAgencyCode: 'H66.020' })).json()).toEqual({
      triageAgencyCode: 'H66.020',
    });
    expect((await admin.request('GET', '/api/v1/field-reports/admin/settings')).json().triageAgencyCode).toBe('H66.020');
  });

  it('imports boundaries from GeoJSON and refuses features without a commune code', async () => {
    const square = {
      type: 'Polygon',
      coordinates: [
        [
          [108.5, 12.2],
          [108.6, 12.2],
          [108.6, 12.3],
          [108.5, 12.3],
          [108.5, 12.2],
        ],
      ],
    };
    const bad = await admin.request('POST', '/api/v1/field-reports/admin/boundaries', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { name: 'Không mã' }, geometry: square }],
    });
    expect(bad.statusCode).toBe(400);
    const inside = { lon: 108.55, lat: 12.25 };
    const before = await send(citizen, { categoryCode: 'moi_truong', description: 'Rác ở xã mới', location: inside });
    expect(before.json().communeCode).not.toBe('99001');
    const ok = await admin.request('POST', '/api/v1/field-reports/admin/boundaries', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: '99001', name: 'Xã Thử Nghiệm' }, geometry: square }],
    });
    expect(ok.json()).toEqual({ imported: 1 });
    const fc = (await anon.request('GET', '/api/v1/public/field-reports/boundaries')).json();
    expect(fc.features.map((f: { properties: { code: string } }) => f.properties.code)).toContain('99001');
    // Routing reads the new outline at once (the outlines are kept in memory between reports).
    const after = await send(citizen, { categoryCode: 'moi_truong', description: 'Rác ở xã mới', location: inside });
    expect(after.json().communeCode).toBe('99001');
  });
});
