/**
 * Petitions end to end: online submission (signed in, anonymous with name/address/contact, Idempotency-Key) and
 * counter intake, the PAKN register (sequential per agency and year, never twice under concurrency), classify /
 * forward within 05 working days (deadline from a known date through the calendar; late forwarding flagged), the
 * handling steps, the published answer on the public list without personal data, and the statistics with the
 * TT 01/2018 indicator-8 points.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { addWorkingDays } from '../../platform/calendar';
import { act, BMT, contact, counter, petitionBody, SNV, SXD, submit } from './testing';

let t: TestApp;
let citizen: Session;
let anon: Session;
let deskBmt: Session;
let leaderBmt: Session;
let officerBmt: Session;
let leaderSnv: Session;

beforeAll(async () => {
  t = await createTestApp();
  [citizen, anon, deskBmt, leaderBmt, officerBmt, leaderSnv] = await Promise.all([
    login(t.app, 'congdan'),
    anonymousSession(t.app),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'lanhdao.bmt'),
    login(t.app, 'chuyenvien.bmt'),
    login(t.app, 'lanhdao.snv'),
  ]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const year = () => Number(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4));

describe('intake and the PAKN register', () => {
  it('a signed-in citizen submits online: logged in the register, forwarding deadline 05 working days from receipt', async () => {
    const res = await submit(citizen, petitionBody(BMT));
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ state: 'received', channel: 'online', agencyId: BMT, registerNumber: `1/${year()}` });
    expect(p.petitioner.name).toBe('Nguyễn Thị Hồng');
    const cal = await t.platform.calendar.data();
    expect(p.forwardDueAt).toBe(addWorkingDays(cal, new Date(p.receivedAt), 5).toISOString());
    const events = await t.db.rows<{ action: string; to_state: string }>(
      sql`select action, to_state from petition_events where petition_id = ${p.id}`,
    );
    expect(events).toEqual([{ action: 'submit', to_state: 'received' }]);
    const [audit] = await t.db.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'petition.received' and target_id = ${p.id}`,
    );
    expect(audit?.n).toBe(1);
  });

  it('anonymous petitioners give name, address and a phone or e-mail; the same Idempotency-Key gives the same petition', async () => {
    const missing = await submit(anon, petitionBody(BMT, { petitioner: { name: 'Trần Văn Bình' } }));
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['petitioner/address', 'petitioner/phone']);
    const key = { 'idempotency-key': 'pakn-anon-0001' };
    const a = await submit(anon, petitionBody(BMT, { petitioner: contact }), key);
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ registerNumber: `2/${year()}`, petitionerAccountId: null });
    const again = await submit(anon, petitionBody(BMT, { petitioner: contact }), key);
    expect(again.json().id).toBe(a.json().id);
    const [n] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from petitions where agency_id = ${BMT}`);
    expect(n?.n).toBe(2);
  });

  it('refuses an unknown agency or category and attachments not uploaded by the petitioner', async () => {
    expect((await submit(citizen, petitionBody('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(400);
    expect((await submit(citizen, petitionBody(BMT, { category: 9 }))).statusCode).toBe(400);
    const r = await submit(citizen, petitionBody(BMT, { attachmentIds: ['00000000-0000-4000-8000-000000000000'] }));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('attachmentIds');
  });

  it('counter staff record a written petition with its date of receipt; numbers continue the agency register', async () => {
    const res = await counter(deskBmt, {
      ...petitionBody(BMT),
      channel: 'written',
      petitioner: contact,
      receivedAt: '2026-08-27T09:00:00+07:00',
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    // The register of 2026 (the two online petitions above are in it when the suite runs in 2026).
    expect(p).toMatchObject({ channel: 'written', channelName: 'Văn bản', registerNumber: `${year() === 2026 ? 3 : 1}/2026` });
    // Thursday 27/8/2026 09:00 + 5 working days: Fri 28, (Mon 31/8 – Wed 2/9 holidays), Thu 3, Fri 4, Mon 7, Tue 8/9 09:00.
    expect(p.forwardDueAt).toBe('2026-09-08T02:00:00.000Z');
    expect(p.timeline[0]).toMatchObject({ action: 'submit', actor: "H'Hen Niê" });
    const future = await counter(deskBmt, {
      ...petitionBody(BMT),
      channel: 'phone',
      petitioner: contact,
      receivedAt: '2099-01-01T00:00:00Z',
    });
    expect(future.statusCode).toBe(400);
  });

  it('20 parallel submissions to one agency get 20 different, consecutive register numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/petitions',
          remoteAddress: `10.0.0.${i + 1}`,
          cookies: anon.cookies,
          headers: { 'x-csrf-token': anon.csrf },
          payload: petitionBody(SXD, { petitioner: { ...contact, name: `Người gửi ${i + 1}` } }),
        }),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const numbers = results.map((r) => Number(r.json().registerNumber.split('/')[0])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const [reg] = await t.db.rows<{ last_number: number }>(sql`select last_number from petition_registers where agency_id = ${SXD}`);
    expect(reg?.last_number).toBe(20);
  });
});

describe('classify, forward, handle, answer', () => {
  it('forwarding within 05 working days is on time; after the deadline it is allowed but recorded late', async () => {
    const fresh = (await submit(citizen, petitionBody(BMT, { category: 1 }))).json();
    const ok = await act(deskBmt, fresh.id, 'forward', { agencyId: SNV, reason: 'Phản ánh hành vi của công chức, thuộc Sở Nội vụ' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'forwarded', forwardedLate: false, forwardAgencyId: SNV, forwardAgencyName: 'Sở Nội vụ' });
    // The competent agency on the platform receives it in its own register.
    const moved = ok.json().forwardedToId;
    const there = await leaderSnv.request('GET', `/api/v1/petitions/${moved}`);
    expect(there.statusCode, there.body).toBe(200);
    expect(there.json()).toMatchObject({ state: 'received', forwardedFromId: fresh.id, registerNumber: `1/${year()}` });
    // The petitioner sees both.
    const mine = (await citizen.request('GET', '/api/v1/petitions/mine')).json().items.map((p: { id: string }) => p.id);
    expect(mine).toEqual(expect.arrayContaining([fresh.id, moved]));

    const old = (
      await counter(deskBmt, { ...petitionBody(BMT), channel: 'written', petitioner: contact, receivedAt: '2026-08-27T09:00:00+07:00' })
    ).json();
    const late = await act(deskBmt, old.id, 'forward', { agencyName: 'Bộ Xây dựng', reason: 'Quy định của Bộ, ngoài thẩm quyền' });
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json()).toMatchObject({ state: 'forwarded', forwardedLate: true, forwardAgencyId: null, forwardAgencyName: 'Bộ Xây dựng' });
    expect(late.json().timeline.at(-1)).toMatchObject({
      action: 'forward',
      details: { late: true, forwardDueAt: '2026-09-08T02:00:00.000Z' },
    });
  });

  it('rejects with a reason when formal requirements are not met', async () => {
    const p = (await submit(citizen, petitionBody(BMT))).json();
    expect((await act(deskBmt, p.id, 'classify', { decision: 'rejected' })).statusCode).toBe(400);
    const r = await act(deskBmt, p.id, 'classify', { decision: 'rejected', reason: 'Không nêu quy định hành chính cụ thể' });
    expect(r.json()).toMatchObject({ state: 'rejected', rejectReason: 'Không nêu quy định hành chính cụ thể' });
    expect((await act(deskBmt, p.id, 'forward', { agencyName: 'X', reason: 'y' })).statusCode).toBe(409);
  });

  it('in competence → assign → notes → extend once → answer publishes; the handling due date is 10 working days from receipt', async () => {
    const p = (
      await submit(
        citizen,
        petitionBody(BMT, {
          content:
            'Tôi là Nguyễn Thị Hồng, điện thoại 0912 345 678, email hong@example.vn. Quy định về giấy phép xây dựng bắt nộp bản giấy.',
        }),
      )
    ).json();
    const c = await act(deskBmt, p.id, 'classify', { decision: 'in_competence' });
    expect(c.statusCode, c.body).toBe(200);
    const cal = await t.platform.calendar.data();
    expect(c.json()).toMatchObject({ state: 'accepted', handleDueAt: addWorkingDays(cal, new Date(p.receivedAt), 10).toISOString() });
    const officer = await t.db.rows<{ id: string }>(sql`select id from accounts where username = 'chuyenvien.bmt'`);
    expect((await act(leaderBmt, p.id, 'assign', { accountId: officer[0]?.id })).json()).toMatchObject({
      state: 'in_progress',
      handlerName: 'Lê Thị Hồng',
    });
    expect((await act(officerBmt, p.id, 'note', { kind: 'meeting', note: 'Đối thoại với người kiến nghị ngày 07/12' })).statusCode).toBe(
      200,
    );
    const assess = await act(officerBmt, p.id, 'note', {
      assessment: { necessity: 'Không cần bản giấy', feasibility: 'Khả thi khi có chữ ký số' },
    });
    expect(assess.json().timeline.at(-1)).toMatchObject({ action: 'note', details: { kind: 'assessment' } });
    const ext = await act(officerBmt, p.id, 'extend', { days: 5, reason: 'Cần lấy ý kiến Sở Xây dựng' });
    expect(ext.statusCode, ext.body).toBe(200);
    expect(ext.json().handleDueAt).toBe(addWorkingDays(cal, new Date(c.json().handleDueAt), 5).toISOString());
    expect((await act(officerBmt, p.id, 'extend', { days: 1, reason: 'lần hai' })).statusCode).toBe(409);
    const ans = await act(officerBmt, p.id, 'answer', { answerText: 'Đã kiến nghị UBND tỉnh bãi bỏ yêu cầu nộp bản giấy.' });
    expect(ans.statusCode, ans.body).toBe(200);
    expect(ans.json()).toMatchObject({ state: 'answered', answeredLate: false });
    // The petitioner sees the whole timeline, without the internal assessment text.
    const own = (await citizen.request('GET', `/api/v1/petitions/${p.id}`)).json();
    expect(own.timeline.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'accept',
      'assign',
      'note',
      'note',
      'extend',
      'answer',
    ]);
    expect(own.timeline[3].note).toBe('Đối thoại với người kiến nghị ngày 07/12');
    expect(own.timeline[4]).toMatchObject({ note: null, details: {} });
    expect(own.timeline[2].actor).toBe('Cơ quan tiếp nhận');

    // Published: on the public list and detail, without personal data.
    const list = await anon.request('GET', `/api/v1/public/petitions?agency=${BMT}`);
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((i: { id: string }) => i.id === p.id);
    expect(item).toMatchObject({ answerText: 'Đã kiến nghị UBND tỉnh bãi bỏ yêu cầu nộp bản giấy.', agencyName: expect.any(String) });
    for (const secret of ['Nguyễn Thị Hồng', '0912 345 678', 'hong@example.vn', 'congdan']) expect(list.body).not.toContain(secret);
    expect(item.summary).toContain('giấy phép xây dựng');
    const detail = await anon.request('GET', `/api/v1/public/petitions/${p.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).not.toHaveProperty('petitioner');
    // Accent-insensitive search.
    const found = await anon.request('GET', `/api/v1/public/petitions?q=${encodeURIComponent('giay phep xay dung')}`);
    expect(found.json().items.map((i: { id: string }) => i.id)).toContain(p.id);
    const none = await anon.request('GET', `/api/v1/public/petitions?q=${encodeURIComponent('không có từ này')}`);
    expect(none.json().items).toEqual([]);

    expect((await act(deskBmt, p.id, 'close')).json().state).toBe('closed');
    expect((await anon.request('GET', `/api/v1/public/petitions/${p.id}`)).statusCode).toBe(200);
  });

  it('the signed answer document is served publicly once the answer is published', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    const boundary = '----petitionanswer';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="tra-loi.pdf"\r\ncontent-type: application/pdf\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const up = await deskBmt.request('POST', '/api/v1/files', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(up.statusCode, up.body).toBe(201);
    const p = (await submit(citizen, petitionBody(BMT))).json();
    await act(deskBmt, p.id, 'classify', { decision: 'in_competence' });
    expect((await anon.request('GET', `/api/v1/public/petitions/${p.id}/answer-file`)).statusCode).toBe(404);
    const ans = await act(deskBmt, p.id, 'answer', { answerText: 'Trả lời kèm văn bản', answerFileId: up.json().id });
    expect(ans.statusCode, ans.body).toBe(200);
    const file = await anon.request('GET', `/api/v1/public/petitions/${p.id}/answer-file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('application/pdf');
    expect(Buffer.from(file.rawPayload).equals(pdf)).toBe(true);
    expect((await anon.request('GET', `/api/v1/public/petitions/${p.id}`)).json().hasAnswerFile).toBe(true);
  });

  it('the public list has only published answers', async () => {
    const items = (await anon.request('GET', '/api/v1/public/petitions?limit=100')).json().items as { state: string; answeredAt: string }[];
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      expect(['answered', 'closed']).toContain(i.state);
      expect(i.answeredAt).not.toBeNull();
    }
    const open = (await submit(citizen, petitionBody(BMT))).json();
    expect((await anon.request('GET', `/api/v1/public/petitions/${open.id}`)).statusCode).toBe(404);
  });

  it('the staff queue filters by state and overdue, with paging', async () => {
    const q = await deskBmt.request('GET', '/api/v1/petitions?state=received&limit=2');
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json().items).toHaveLength(2);
    expect(q.json().items.every((p: { state: string }) => p.state === 'received')).toBe(true);
    const next = await deskBmt.request('GET', `/api/v1/petitions?state=received&limit=2&cursor=${q.json().nextCursor}`);
    expect(next.json().items[0].id).not.toBe(q.json().items[0].id);
    const overdue = await deskBmt.request('GET', '/api/v1/petitions?overdue=true');
    for (const p of overdue.json().items) expect(['received', 'accepted', 'in_progress']).toContain(p.state);
  });
});

describe('statistics (TT 01/2018 indicator 8)', () => {
  const stat = async () => {
    const r = await leaderSnv.request('GET', `/api/v1/petitions/stats?agency=${SNV}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items[0];
  };
  const newAccepted = async () => {
    const p = (await counter(leaderSnv, { ...petitionBody(SNV), channel: 'phone', petitioner: contact })).json();
    expect((await act(leaderSnv, p.id, 'classify', { decision: 'in_competence' })).statusCode).toBe(200);
    return p.id as string;
  };

  it('100 % answered on time = 2 points; one late of two = 0; an overdue unanswered one (protracted) = 0', async () => {
    const a = await newAccepted();
    await act(leaderSnv, a, 'answer', { answerText: 'Đã trả lời' });
    expect(await stat()).toMatchObject({ answered: 1, answeredOnTime: 1, onTimePercent: 100, indicator8: 2, protracted: 0 });

    const b = await newAccepted();
    await t.db.rows(sql`update petitions set handle_due_at = now() - interval '1 hour' where id = ${b}`);
    const late = await act(leaderSnv, b, 'answer', { answerText: 'Trả lời muộn' });
    expect(late.json().answeredLate).toBe(true);
    expect(await stat()).toMatchObject({ answered: 2, answeredOnTime: 1, onTimePercent: 50, indicator8: 0 });

    const c = await newAccepted();
    await t.db.rows(sql`update petitions set handle_due_at = now() - interval '1 hour' where id = ${c}`);
    const s = await stat();
    expect(s).toMatchObject({ protracted: 1, indicator8: 0 });
    // One forwarded on time from Buôn Ma Thuột arrived here (received, still open).
    expect(s.received).toBeGreaterThanOrEqual(4);
  });

  it('the forwarding ratio counts petitions forwarded within 05 working days', async () => {
    const r = await deskBmt.request('GET', `/api/v1/petitions/stats?agency=${BMT}`);
    expect(r.json().items[0]).toMatchObject({ forwarded: 2, forwardedOnTime: 1, forwardedOnTimePercent: 50 });
    const period = await deskBmt.request('GET', `/api/v1/petitions/stats?agency=${BMT}&from=2026-08-01&to=2026-08-31`);
    expect(period.json().items[0]).toMatchObject({ received: 2, forwarded: 1, forwardedOnTime: 0 });
  });
});
