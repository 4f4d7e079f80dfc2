/**
 * Dossiers over HTTP on the real app: online draft → submit (code) → receive (due date, Mẫu 01) →
 * tracking; supplement and refusal at the desk; counter registration; idempotency; the derived row
 * equals the replay of the action log.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { addWorkingHours } from '../../platform/calendar';
import { sql } from '../../platform/db/database';
import { dossiersRepo } from './dossiers.repo';
import { type LoggedAction, replay } from './dossiers.state';
import { TRACKING_MAX_AGE_SECONDS } from './dossiers.tracking';
import { BMT, filesFor, KHAI_SINH, khaiSinhForm, submitKhaiSinh, submitThoCung, THO_CUNG, thoCungForm, uploadPdf } from './testing';

let t: TestApp;
let congdan: Session;
let motcua: Session;
let motcuaBmt: Session;
let anon: Session;

beforeAll(async () => {
  t = await createTestApp();
  [congdan, motcua, motcuaBmt, anon] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'motcua'),
    login(t.app, 'motcua.bmt'),
    anonymousSession(t.app),
  ]);
});
afterAll(async () => {
  await t?.close();
});

const CODE_RE = /^H66\.201-\d{6}-\d{4}$/;

function pdfText(bytes: Buffer): string {
  const path = `/tmp/tinhso-dossier-${process.pid}-${Date.now()}.pdf`;
  writeFileSync(path, bytes);
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

describe('online submission', () => {
  let id: string;
  let version: number;

  it('saves a draft without a code, visible only in my dossiers', async () => {
    const res = await congdan.request('POST', '/api/v1/dossiers', {
      procedureId: KHAI_SINH,
      agencyId: BMT,
      form: { ho_ten: 'Nguyễn Văn An' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ state: 'draft', code: null, publicStatus: null, channel: 2, agencyId: BMT });
    expect(d.timeline.map((e: { action: string }) => e.action)).toEqual(['create']);
    id = d.id;
    version = d.version;
    const mine = (await congdan.request('GET', '/api/v1/dossiers/mine')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('asks for the agency when the procedure has several', async () => {
    const res = await congdan.request('POST', '/api/v1/dossiers', { procedureId: KHAI_SINH });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'agencyId' });
  });

  it('refuses bad values in a draft with field errors', async () => {
    const res = await congdan.request('PATCH', `/api/v1/dossiers/${id}`, { version, form: { so_dinh_danh: '12345', khong_co: 'x' } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['form/so_dinh_danh', 'form/khong_co']));
  });

  it('will not submit an incomplete dossier and says everything that is missing', async () => {
    const res = await congdan.request('POST', `/api/v1/dossiers/${id}/submit`, { version });
    expect(res.statusCode).toBe(422);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['form/so_dinh_danh', 'form/noi_sinh', 'files/tp1', 'files/tp2', 'files/tp6']));
    expect(fields).not.toContain('files/tp3'); // conditional component
    const still = (await congdan.request('GET', `/api/v1/dossiers/${id}`)).json();
    expect(still).toMatchObject({ state: 'draft', code: null, version });
  });

  it('refuses a stale version with 409', async () => {
    const res = await congdan.request('PATCH', `/api/v1/dossiers/${id}`, { version: version + 5, form: khaiSinhForm() });
    expect(res.statusCode).toBe(409);
  });

  it('will not attach another person’s upload', async () => {
    const other = await login(t.app, 'congdan2');
    const foreign = await uploadPdf(other);
    const res = await congdan.request('PATCH', `/api/v1/dossiers/${id}`, { version, files: [{ componentKey: 'tp1', fileId: foreign }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('files/0/fileId');
  });

  it('completes the draft, then submits it with a code of the agency and day', async () => {
    const files = await filesFor(congdan, ['tp1', 'tp2', 'tp6']);
    const patched = await congdan.request('PATCH', `/api/v1/dossiers/${id}`, { version, form: khaiSinhForm(), files });
    expect(patched.statusCode, patched.body).toBe(200);
    version = patched.json().version;
    const res = await congdan.request('POST', `/api/v1/dossiers/${id}/submit`, { version }, { 'idempotency-key': `submit-${id}` });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.code).toMatch(CODE_RE);
    expect(d).toMatchObject({ state: 'submitted', publicStatus: 1, publicStatusName: 'Mới đăng ký', applicantName: 'Nguyễn Văn An' });
    expect(d.files.filter((f: { componentKey: string }) => !f.componentKey.startsWith('_'))).toHaveLength(3);
    // Retrying with the same key replays the answer; without it, the dossier is already submitted.
    const again = await congdan.request('POST', `/api/v1/dossiers/${id}/submit`, { version }, { 'idempotency-key': `submit-${id}` });
    expect(again.json().code).toBe(d.code);
    expect((await congdan.request('POST', `/api/v1/dossiers/${id}/submit`, {})).statusCode).toBe(409);
  });

  it('gives the desk of the chosen ward the dossier in its reception queue', async () => {
    const q = (await motcuaBmt.request('GET', '/api/v1/dossiers?queue=reception')).json();
    expect(q.items.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('receives it: state 2, receipt Mẫu 01 with code and QR, notification queued, public tracking', async () => {
    const before = (await congdan.request('GET', `/api/v1/dossiers/${id}`)).json();
    // Tracked while waiting (the answer is kept for a moment), then received: tracking shows the reception at once.
    expect((await anon.request('GET', `/api/v1/public/dossiers/${before.code}`)).json().publicStatus).toBe(1);
    const res = await motcuaBmt.request('POST', `/api/v1/dossiers/${id}/receive`, { version: before.version });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ state: 'received', publicStatus: 2 });
    expect(d.receiptFileId).toBeTruthy();
    const pdf = await congdan.request('GET', `/api/v1/dossiers/${id}/files/${d.receiptFileId}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain(d.code);
    expect(text).toContain('Nguyễn Văn An');
    const outbox = await t.db.rows<{ template_code: string; recipient: string }>(
      sql`select template_code, recipient from notifications where target_id = ${id}`,
    );
    expect(outbox.map((o) => o.template_code)).toContain('dossier.received');

    const pub = await anon.request('GET', `/api/v1/public/dossiers/${d.code}`);
    expect(pub.statusCode).toBe(200);
    const body = pub.json();
    expect(body).toMatchObject({ code: d.code, publicStatus: 2, publicStatusName: 'Được tiếp nhận' });
    expect(body.trackingUrl).toContain(`/tra-cuu/${d.code}`);
    // No personal data in the public answer.
    expect(pub.body).not.toContain('Nguyễn Văn An');
    expect(pub.body).not.toContain('066090001234');
    expect(pub.body).not.toContain('0912345678');

    const qr = await anon.request('GET', `/api/v1/public/dossiers/${d.code}/qr.svg`);
    expect(qr.statusCode).toBe(200);
    expect(qr.body).toContain('<svg');
  });

  it('shows full details to the code plus the last 4 digits of the ID number, or the phone', async () => {
    const d = (await congdan.request('GET', `/api/v1/dossiers/${id}`)).json();
    const byId = await anon.request('POST', `/api/v1/public/dossiers/${d.code}/lookup`, { idLast4: '1234' });
    expect(byId.statusCode).toBe(200);
    expect(byId.json().applicant.name).toBe('Nguyễn Văn An');
    const byPhone = await anon.request('POST', `/api/v1/public/dossiers/${d.code}/lookup`, { phone: '+84 912 345 678' });
    expect(byPhone.statusCode).toBe(200);
    const wrong = await anon.request('POST', `/api/v1/public/dossiers/${d.code}/lookup`, { idLast4: '9999' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).not.toContain('Nguyễn');
  });

  it('keeps a tracking answer as long as shared caches may (max-age), and shows a change made elsewhere after that', async () => {
    const d = (await submitKhaiSinh(congdan)).json();
    const url = `/api/v1/public/dossiers/${d.code}`;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const res = await anon.request('GET', url);
      expect(res.headers['cache-control']).toBe(`public, max-age=${TRACKING_MAX_AGE_SECONDS}`);
      const first = res.json();
      // As another server process would: the row changes without this process writing an action.
      await t.db.rows(sql`update dossiers set current_step = 'Bước do tiến trình khác ghi' where id = ${d.id}`);
      vi.setSystemTime(Date.now() + TRACKING_MAX_AGE_SECONDS * 1000 - 1000);
      expect((await anon.request('GET', url)).json().currentStep).toBe(first.currentStep);
      vi.setSystemTime(Date.now() + 1001);
      expect((await anon.request('GET', url)).json().currentStep).toBe('Bước do tiến trình khác ghi');
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers 404 for unknown codes and for drafts', async () => {
    expect((await anon.request('GET', '/api/v1/public/dossiers/H66.201-991231-9999')).statusCode).toBe(404);
    expect((await anon.request('GET', '/api/v1/public/dossiers/not-a-code')).statusCode).toBe(400);
  });

  it('keeps a row that equals the replay of its action log', async () => {
    const repo = dossiersRepo(t.db);
    const stored = await repo.byId(id);
    const log = await t.db.rows<{ seq: number; at: string; action: string; payload: unknown }>(
      sql`select seq, at, action, payload from dossier_actions where dossier_id = ${id} order by seq`,
    );
    const rebuilt = replay(
      log.map((a) => ({ seq: a.seq, at: new Date(a.at).toISOString(), event: { action: a.action, payload: a.payload } }) as LoggedAction),
    );
    const { procedureCode, procedureName, agencyName, agencyCode, deskAgencyName, ...row } = stored as NonNullable<typeof stored>;
    expect(rebuilt).toEqual(row);
  });

  it('refuses to change or delete the action log', async () => {
    const failure = (q: Promise<unknown>) =>
      q.then(
        () => 'no error',
        (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`,
      );
    expect(await failure(t.db.rows(sql`update dossier_actions set note = 'x' where dossier_id = ${id}`))).toMatch(/append-only/);
    expect(await failure(t.db.rows(sql`delete from dossier_actions where dossier_id = ${id}`))).toMatch(/append-only/);
  });
});

describe('legal time at reception', () => {
  it('sets the due date from the working calendar (10 working days)', async () => {
    const res = await submitThoCung(congdan);
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.code).toMatch(/^H66\.002-\d{6}-\d{4}$/);
    const r = await motcua.request('POST', `/api/v1/dossiers/${d.id}/receive`, {});
    expect(r.statusCode, r.body).toBe(200);
    const received = r.json();
    const expected = addWorkingHours(await t.platform.calendar.data(), new Date(received.receivedAt), 80);
    expect(new Date(received.dueAt).getTime()).toBe(expected.getTime());
  });
});

describe('supplement', () => {
  it('requests a supplement (Mẫu 02), the citizen supplements, the dossier returns to the queue', async () => {
    const d = (await submitKhaiSinh(congdan)).json();
    const req = await motcuaBmt.request('POST', `/api/v1/dossiers/${d.id}/request-supplement`, {
      items: [
        { componentKey: 'tp2', text: 'Giấy chứng sinh bản chính (bản đã nộp bị mờ)' },
        { text: 'Ghi rõ nơi sinh theo giấy chứng sinh' },
      ],
      reason: 'Hồ sơ chưa hợp lệ',
    });
    expect(req.statusCode, req.body).toBe(200);
    const waiting = req.json();
    expect(waiting).toMatchObject({ state: 'supplement_requested', publicStatus: 5 });
    expect(waiting.openSupplement.items).toHaveLength(2);
    const form02 = waiting.files.find((f: { name: string }) => f.name.startsWith('mau-02'));
    const text = pdfText((await congdan.request('GET', `/api/v1/dossiers/${d.id}/files/${form02.fileId}`)).rawPayload);
    expect(text).toContain('Giấy chứng sinh bản chính');
    expect(text).toContain('Ghi rõ nơi sinh');

    // Not in the reception queue while waiting.
    const q = (await motcuaBmt.request('GET', '/api/v1/dossiers?queue=reception')).json();
    expect(q.items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    // Only the owner supplements; the desk cannot receive it meanwhile.
    expect((await motcuaBmt.request('POST', `/api/v1/dossiers/${d.id}/receive`, {})).statusCode).toBe(409);

    const fileId = await uploadPdf(congdan, 'giay-chung-sinh.pdf');
    const sup = await congdan.request('POST', `/api/v1/dossiers/${d.id}/supplement`, {
      files: [{ componentKey: 'tp2', fileId }],
      form: { noi_sinh: 'Bệnh viện Đa khoa tỉnh Đắk Lắk' },
      note: 'Đã bổ sung giấy chứng sinh',
    });
    expect(sup.statusCode, sup.body).toBe(200);
    const back = sup.json();
    expect(back).toMatchObject({ state: 'submitted', publicStatus: 1, openSupplement: null });
    expect(back.form.noi_sinh).toBe('Bệnh viện Đa khoa tỉnh Đắk Lắk');
    const tp2 = back.files.filter((f: { componentKey: string }) => f.componentKey === 'tp2');
    expect(tp2.find((f: { fileId: string }) => f.fileId === fileId).superseded).toBe(false);
    expect(tp2.filter((f: { superseded: boolean }) => f.superseded)).toHaveLength(1);
    const q2 = (await motcuaBmt.request('GET', '/api/v1/dossiers?queue=reception')).json();
    expect(q2.items.map((x: { id: string }) => x.id)).toContain(d.id);
    expect(back.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'submit', 'request_supplement', 'supplement']);
  });

  it('stops the clock of a received dossier and counts the legal time again from the supplement', async () => {
    const d = (await submitThoCung(congdan)).json();
    const received = (await motcua.request('POST', `/api/v1/dossiers/${d.id}/receive`, {})).json();
    const req = await motcua.request('POST', `/api/v1/dossiers/${d.id}/request-supplement`, {
      items: [{ componentKey: 'tp1', text: 'Bản khai có chữ ký' }],
      reason: 'Thiếu chữ ký',
    });
    expect(req.json().state).toBe('supplement_requested');
    const fileId = await uploadPdf(congdan);
    const back = (
      await congdan.request('POST', `/api/v1/dossiers/${d.id}/supplement`, { files: [{ componentKey: 'tp1', fileId }] })
    ).json();
    expect(back.state).toBe('received');
    const supplementedAt = back.timeline.at(-1).at;
    const expected = addWorkingHours(await t.platform.calendar.data(), new Date(supplementedAt), 80);
    expect(new Date(back.dueAt).getTime()).toBe(expected.getTime());
    expect(new Date(back.dueAt).getTime()).toBeGreaterThanOrEqual(new Date(received.dueAt).getTime());
  });
});

describe('refusal', () => {
  it('refuses with reasons (Mẫu 03) and notifies the applicant', async () => {
    const d = (await submitKhaiSinh(congdan)).json();
    const res = await motcuaBmt.request('POST', `/api/v1/dossiers/${d.id}/refuse`, {
      reasons: ['Việc khai sinh đã được đăng ký tại xã khác'],
    });
    expect(res.statusCode, res.body).toBe(200);
    const refused = res.json();
    expect(refused).toMatchObject({ state: 'refused', publicStatus: 3 });
    const form03 = refused.files.find((f: { name: string }) => f.name.startsWith('mau-03'));
    expect(pdfText((await congdan.request('GET', `/api/v1/dossiers/${d.id}/files/${form03.fileId}`)).rawPayload)).toContain(
      'đã được đăng ký tại xã khác',
    );
    const outbox = await t.db.rows<{ template_code: string }>(sql`select template_code from notifications where target_id = ${d.id}`);
    expect(outbox.map((o) => o.template_code)).toContain('dossier.refused');
    expect((await motcuaBmt.request('POST', `/api/v1/dossiers/${d.id}/receive`, {})).statusCode).toBe(409);
  });

  it('takes one of two actions sent at the same moment; the other gets 409 and writes nothing', async () => {
    const d = (await submitKhaiSinh(congdan)).json();
    const [received, refused] = await Promise.all([
      motcuaBmt.request('POST', `/api/v1/dossiers/${d.id}/receive`, {}),
      motcuaBmt.request('POST', `/api/v1/dossiers/${d.id}/refuse`, { reasons: ['Hồ sơ nộp nhầm cơ quan'] }),
    ]);
    expect([received.statusCode, refused.statusCode].sort()).toEqual([200, 409]);
    const log = await t.db.rows<{ seq: number; action: string }>(
      sql`select seq, action from dossier_actions where dossier_id = ${d.id} order by seq`,
    );
    expect(log.map((a) => a.action)).toEqual(['create', 'submit', received.statusCode === 200 ? 'receive' : 'refuse']);
    const row = (await congdan.request('GET', `/api/v1/dossiers/${d.id}`)).json();
    expect(row.version).toBe(3);
  });

  it('requires at least one reason', async () => {
    const d = (await submitKhaiSinh(congdan)).json();
    expect((await motcuaBmt.request('POST', `/api/v1/dossiers/${d.id}/refuse`, { reasons: [] })).statusCode).toBe(400);
  });
});

describe('counter and post', () => {
  it('registers a walk-in dossier with scans and receives it at once', async () => {
    const files = await filesFor(motcua, ['tp1', 'tp2']);
    const res = await motcua.request(
      'POST',
      '/api/v1/dossiers/counter',
      {
        procedureId: THO_CUNG,
        channel: 1,
        form: thoCungForm({ ho_ten: 'Trần Thị Bưởi' }),
        files,
        resultDelivery: 'counter',
        receive: true,
      },
      { 'idempotency-key': 'counter-1' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ channel: 1, state: 'received', applicantName: 'Trần Thị Bưởi' });
    expect(d.receiptFileId).toBeTruthy();
    expect(d.dueAt).toBeTruthy();
    const again = await motcua.request(
      'POST',
      '/api/v1/dossiers/counter',
      {
        procedureId: THO_CUNG,
        channel: 1,
        form: thoCungForm({ ho_ten: 'Trần Thị Bưởi' }),
        files,
        resultDelivery: 'counter',
        receive: true,
      },
      { 'idempotency-key': 'counter-1' },
    );
    expect(again.json().id).toBe(d.id);
    const rows = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where applicant_name = 'Trần Thị Bưởi'`);
    expect(rows[0]?.n).toBe(1);
  });

  it('records a postal dossier (channel 3) in the reception queue', async () => {
    const files = await filesFor(motcua, ['tp1', 'tp2']);
    const res = await motcua.request('POST', '/api/v1/dossiers/counter', {
      procedureId: THO_CUNG,
      channel: 3,
      form: thoCungForm(),
      files,
      resultDelivery: 'post',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ channel: 3, state: 'submitted', publicStatus: 1 });
    const q = (await motcua.request('GET', '/api/v1/dossiers?queue=reception&channel=3')).json();
    expect(q.items.map((x: { id: string }) => x.id)).toContain(res.json().id);
    expect(q.items.every((x: { channel: number }) => x.channel === 3)).toBe(true);
  });
});

describe('retries after the server died mid-request', () => {
  it('a retry with the same Idempotency-Key gets the dossier the dead attempt committed, never a second one', async () => {
    const body = {
      procedureId: KHAI_SINH,
      agencyId: BMT,
      form: khaiSinhForm({ ho_ten: 'Lê Thị Thu' }),
      files: await filesFor(congdan, ['tp1', 'tp2', 'tp6']),
      submit: true,
    };
    const key = { 'idempotency-key': 'crash-retry-0001' };
    const first = await congdan.request('POST', '/api/v1/dossiers', body, key);
    expect(first.statusCode, first.body).toBe(201);
    // The dossier holds its key and the request's hash: nothing is kept in idempotency_keys for this route, so
    // a retry after a kill -9 between the commit and the answer is answered the same way as any retry.
    const kept = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from idempotency_keys where key = 'crash-retry-0001'`);
    expect(kept[0]?.n).toBe(0);
    const retry = await congdan.request('POST', '/api/v1/dossiers', body, key);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json()).toMatchObject({ id: first.json().id, code: first.json().code });
    const rows = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where applicant_name = 'Lê Thị Thu'`);
    expect(rows[0]?.n).toBe(1);
    // The same key for another dossier is refused, and files nothing.
    const other = await congdan.request('POST', '/api/v1/dossiers', { ...body, form: khaiSinhForm({ ho_ten: 'Lê Văn Năm' }) }, key);
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
    const fifth = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where applicant_name = 'Lê Văn Năm'`);
    expect(fifth[0]?.n).toBe(0);
    // The retry's own attempt was rolled back whole: it took no number from the agency's counter.
    const next = await congdan.request('POST', '/api/v1/dossiers', { ...body, form: khaiSinhForm({ ho_ten: 'Lê Văn Tư' }) });
    expect(next.statusCode, next.body).toBe(201);
    const number = (code: string) => Number(code.split('-')[2]);
    expect(number(next.json().code)).toBe(number(first.json().code) + 1);
    // Another citizen's key of the same name is theirs: keys are per account.
    const congdan2 = await login(t.app, 'congdan2');
    const theirs = await congdan2.request(
      'POST',
      '/api/v1/dossiers',
      { ...body, files: await filesFor(congdan2, ['tp1', 'tp2', 'tp6']) },
      key,
    );
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.json().id).not.toBe(first.json().id);
  });

  it('the same for a draft submitted with a key', async () => {
    const draft = (
      await congdan.request('POST', '/api/v1/dossiers', {
        procedureId: KHAI_SINH,
        agencyId: BMT,
        form: khaiSinhForm(),
        files: await filesFor(congdan, ['tp1', 'tp2', 'tp6']),
      })
    ).json();
    const key = { 'idempotency-key': 'crash-submit-0001' };
    const first = await congdan.request('POST', `/api/v1/dossiers/${draft.id}/submit`, { version: draft.version }, key);
    expect(first.statusCode, first.body).toBe(200);
    await t.db.rows(
      sql`update idempotency_keys set status_code = null, response = null, created_at = now() - interval '5 minutes' where key = 'crash-submit-0001'`,
    );
    const retry = await congdan.request('POST', `/api/v1/dossiers/${draft.id}/submit`, { version: draft.version }, key);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().code).toBe(first.json().code);
    // Without the key, submitting again is still refused.
    expect((await congdan.request('POST', `/api/v1/dossiers/${draft.id}/submit`, {})).statusCode).toBe(409);
  });
});

describe('dossier codes', () => {
  it('never repeats a code under 200 concurrent submissions', async () => {
    const sessions = await Promise.all(Array.from({ length: 4 }, () => login(t.app, 'congdan')));
    const filesPer = await Promise.all(sessions.map((s) => filesFor(s, ['tp1', 'tp2', 'tp6'])));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const s = sessions[i % sessions.length] as Session;
        return s.request('POST', '/api/v1/dossiers', {
          procedureId: KHAI_SINH,
          agencyId: BMT,
          form: khaiSinhForm(),
          files: filesPer[i % sessions.length],
          submit: true,
        });
      }),
    );
    expect(results.map((r) => r.statusCode).filter((c) => c !== 201)).toEqual([]);
    const codes = results.map((r) => r.json().code as string);
    expect(new Set(codes).size).toBe(200);
    const numbers = codes.map((c) => Number(c.split('-')[2])).sort((a, b) => a - b);
    // Consecutive numbers: the counter gives none away.
    expect(numbers.at(-1)! - numbers[0]!).toBe(199);
  }, 120_000);

  it('has four digits up to 9999 and more after, whether taken by the create or by a later submission', async () => {
    const body = { procedureId: KHAI_SINH, agencyId: BMT, form: khaiSinhForm(), files: await filesFor(congdan, ['tp1', 'tp2', 'tp6']) };
    const first = (await congdan.request('POST', '/api/v1/dossiers', { ...body, submit: true })).json();
    const [prefix] = /^.*-/.exec(first.code as string) ?? [];
    await t.db.rows(sql`update dossier_code_counters set last = 9998 where agency_id = ${BMT} and day = (
                          select day from dossier_code_counters where agency_id = ${BMT} order by day desc limit 1)`);
    const created = await congdan.request('POST', '/api/v1/dossiers', { ...body, submit: true });
    expect(created.json().code).toBe(`${prefix}9999`);
    const again = await congdan.request('POST', '/api/v1/dossiers', { ...body, submit: true });
    expect(again.json().code).toBe(`${prefix}10000`);
    // The action log and the tracking page hold the code the insert took, not a stand-in.
    const logged = await t.db.rows<{ code: string }>(
      sql`select payload->>'code' as code from dossier_actions where dossier_id = ${again.json().id} and action = 'submit'`,
    );
    expect(logged).toEqual([{ code: `${prefix}10000` }]);
    const audited = await t.db.rows<{ code: string; action: string }>(
      sql`select details->>'code' as code, action from audit_log where target_id = ${again.json().id}`,
    );
    expect(audited).toEqual([{ code: `${prefix}10000`, action: 'dossier.submitted' }]);
    expect((await anon.request('GET', `/api/v1/public/dossiers/${prefix}10000`)).statusCode).toBe(200);
    const draft = (await congdan.request('POST', '/api/v1/dossiers', body)).json();
    const submitted = await congdan.request('POST', `/api/v1/dossiers/${draft.id}/submit`, { version: draft.version });
    expect(submitted.json().code).toBe(`${prefix}10001`);
  });
});
