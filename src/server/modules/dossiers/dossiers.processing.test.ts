/**
 * Processing on the standard workflow, through the API: the desk forwards, the department's leader
 * assigns, the specialist appraises and drafts the result, the leader sends it back then approves —
 * which signs the e-result with the agency's certificate — and the desk returns it. Who may and who may
 * not at each step; the work queues; the apology letter (once, in time); stop and withdrawal; the control
 * slip, the register and its .xlsx; public verification of the signed result.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { ensureConfiguredDemoCa } from '../../platform/signing';
import { hasPdfsig, pdfsig } from '../../platform/signing/testing';
import { warnDeadlines } from './dossiers.deadlines';
import { submitThoCung } from './testing';

let t: TestApp;
let congdan: Session;
let motcua: Session;
let lanhdaoSnv: Session;
let chuyenvienSnv: Session;
let lanhdaoStp: Session;
let chuyenvienStp: Session;
let anon: Session;
let snvSpecialistId: string;

const get = async (s: Session, id: string) => (await s.request('GET', `/api/v1/dossiers/${id}`)).json();
const act = (s: Session, id: string, body: Record<string, unknown>) => s.request('POST', `/api/v1/dossiers/${id}/act`, body);

/** A province-level dossier (Sở Nội vụ resolves it) submitted by congdan and received by the provincial desk. */
async function receivedDossier(): Promise<{ id: string; code: string }> {
  const d = (await submitThoCung(congdan)).json();
  const r = await motcua.request('POST', `/api/v1/dossiers/${d.id}/receive`, {});
  expect(r.statusCode).toBe(200);
  return { id: d.id, code: d.code };
}

beforeAll(async () => {
  t = await createTestApp();
  await ensureConfiguredDemoCa(t.platform.config, [{ code: 'H66.002', name: 'Sở Nội vụ tỉnh Đắk Lắk' }]);
  [congdan, motcua, lanhdaoSnv, chuyenvienSnv, lanhdaoStp, chuyenvienStp, anon] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'motcua'),
    login(t.app, 'lanhdao.snv'),
    login(t.app, 'chuyenvien.snv'),
    login(t.app, 'lanhdao'),
    login(t.app, 'chuyenvien'),
    anonymousSession(t.app),
  ]);
  snvSpecialistId = (await chuyenvienSnv.request('GET', '/api/v1/auth/me')).json().id;
}, 120_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(path.join(os.tmpdir(), `tinhso-test-${process.pid}`), { recursive: true, force: true });
});

describe('the standard path, step by step', () => {
  let d: { id: string; code: string };
  let resultFileId: string;

  beforeAll(async () => {
    d = await receivedDossier();
  });

  it('reception pins the workflow and opens its first step at the desk', async () => {
    const got = await get(motcua, d.id);
    expect(got.processing.workflowVersion).toBe(1);
    expect(got.processing.steps).toMatchObject([{ branch: null, state: 'received', publicStatus: 2 }]);
    const work = (await motcua.request('GET', `/api/v1/dossiers/${d.id}/work`)).json();
    expect(work.actions.map((a: { key: string }) => a.key)).toEqual(['forward']);
  });

  it('nobody but the desk may forward it', async () => {
    for (const s of [lanhdaoSnv, chuyenvienSnv]) expect((await act(s, d.id, { action: 'forward' })).statusCode).toBe(403);
    // Staff of an agency with nothing to do with the dossier do not even learn it exists.
    expect((await act(chuyenvienStp, d.id, { action: 'forward' })).statusCode).toBe(404);
    expect((await act(congdan, d.id, { action: 'forward' })).statusCode).toBe(403);
  });

  it('an action the workflow does not have at this step is a conflict', async () => {
    const r = await act(motcua, d.id, { action: 'approve' });
    expect(r.statusCode).toBe(409);
  });

  it('the desk forwards: the step moves to the resolving agency, status 4, with its own due date', async () => {
    // The main flow may be named explicitly (branch: null), as the web app may send it.
    const r = await act(motcua, d.id, { action: 'forward', branch: null });
    expect(r.statusCode).toBe(200);
    const got = r.json();
    expect(got.publicStatus).toBe(4);
    expect(got.processing.steps).toMatchObject([{ state: 'assigned', agencies: ['Sở Nội vụ'] }]);
    expect(got.processing.steps[0].dueAt).not.toBeNull();
    expect(got.timeline.at(-1)).toMatchObject({
      action: 'advance',
      details: { handover: { fromAgencyName: expect.stringContaining('Trung tâm') } },
    });
    // Forwarded within the 15:00 rule (NĐ 61 Art. 18): never "late" for being forwarded moments after reception.
    expect(['early', 'on_time']).toContain(got.timeline.at(-1).details.handover.status);
  });

  it('the leader of another agency may not assign; the leader of the resolving agency sees whom to assign', async () => {
    expect((await act(lanhdaoStp, d.id, { action: 'assign', assigneeId: snvSpecialistId })).statusCode).toBe(404);
    const work = (await lanhdaoSnv.request('GET', `/api/v1/dossiers/${d.id}/work`)).json();
    expect(work.actions).toMatchObject([{ key: 'assign', assigns: true }]);
    expect(work.assignees.map((a: { accountId: string }) => a.accountId)).toContain(snvSpecialistId);
  });

  it('assigning needs a specialist of that agency', async () => {
    expect((await act(lanhdaoSnv, d.id, { action: 'assign' })).statusCode).toBe(400);
    const stpSpecialist = (await chuyenvienStp.request('GET', '/api/v1/auth/me')).json().id;
    expect((await act(lanhdaoSnv, d.id, { action: 'assign', assigneeId: stpSpecialist })).statusCode).toBe(400);
    const r = await act(lanhdaoSnv, d.id, { action: 'assign', assigneeId: snvSpecialistId });
    expect(r.statusCode).toBe(200);
    expect(r.json().processing.steps[0]).toMatchObject({ state: 'appraising', assigneeId: snvSpecialistId });
  });

  it('the specialist finds it in "assigned to me"; the leader does not', async () => {
    const mine = (await chuyenvienSnv.request('GET', '/api/v1/work?view=assigned')).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toContain(d.id);
    const leader = (await lanhdaoSnv.request('GET', '/api/v1/work?view=assigned')).json();
    expect(leader.items.map((i: { id: string }) => i.id)).not.toContain(d.id);
    expect((await congdan.request('GET', '/api/v1/work')).statusCode).toBe(403);
  });

  it('records a site visit (time and place required) and an opinion', async () => {
    const bad = await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/opinions`, { kind: 'site_visit', text: 'Đã xác minh' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['place', 'visitAt']);
    const ok = await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/opinions`, {
      kind: 'site_visit',
      text: 'Gia đình liệt sĩ đang thờ cúng tại nhà, đúng như hồ sơ.',
      visitAt: new Date().toISOString(),
      place: 'Thôn 3, xã Ea Kar',
      participants: 'Cán bộ Sở Nội vụ, trưởng thôn',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().timeline.at(-1)).toMatchObject({ action: 'opinion', details: { kind: 'site_visit', place: 'Thôn 3, xã Ea Kar' } });
    expect((await chuyenvienStp.request('POST', `/api/v1/dossiers/${d.id}/opinions`, { kind: 'opinion', text: 'x' })).statusCode).toBe(404);
  });

  it('cannot be approved before it is submitted for approval; the draft result is made from the template', async () => {
    expect((await act(lanhdaoSnv, d.id, { action: 'approve' })).statusCode).toBe(409);
    const r = await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, {
      title: 'QUYẾT ĐỊNH',
      paragraphs: ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ cho ông Nguyễn Văn An.', 'Quyết định có hiệu lực kể từ ngày ký.'],
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().processing.resultDraftFileId).toBeTruthy();
    expect((await act(chuyenvienSnv, d.id, { action: 'submit_appraisal' })).statusCode).toBe(200);
  });

  it('the leader sends it back only with a reason, and it returns to the same specialist', async () => {
    expect((await act(lanhdaoSnv, d.id, { action: 'send_back' })).statusCode).toBe(400);
    const r = await act(lanhdaoSnv, d.id, { action: 'send_back', note: 'Bổ sung căn cứ pháp lý vào quyết định.' });
    expect(r.statusCode).toBe(200);
    expect(r.json().processing.steps[0]).toMatchObject({ state: 'appraising', assigneeId: snvSpecialistId });
    expect((await act(chuyenvienSnv, d.id, { action: 'submit_appraisal' })).statusCode).toBe(200);
  });

  it('approval signs the result with the agency certificate: status 9, the applicant is told', async () => {
    const r = await act(lanhdaoSnv, d.id, { action: 'approve' });
    expect(r.statusCode).toBe(200);
    const got = r.json();
    expect(got.publicStatus).toBe(9);
    expect(got.processing.resultFileId).toBeTruthy();
    expect(got.processing.completedAt).toBeTruthy();
    resultFileId = got.processing.resultFileId;
    const outbox = await t.db.rows<{ template_code: string }>(
      sql`select template_code from notifications where target_id = ${d.id} order by created_at`,
    );
    expect(outbox.map((n) => n.template_code)).toContain('dossier.result_ready');
  });

  it('the signed result verifies: pdfsig, and the public verification page matches it byte for byte', async () => {
    const file = await congdan.request('GET', `/api/v1/dossiers/${d.id}/files/${resultFileId}`);
    expect(file.statusCode).toBe(200);
    const pdf = file.rawPayload;
    if (hasPdfsig) expect(pdfsig(pdf).signatures[0]?.validation).toBe('Signature is Valid.');
    const ok = await anon.request('POST', '/api/v1/public/results/verify', pdf, { 'content-type': 'application/pdf' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ matches: true, issued: { code: d.code } });
    expect(ok.json().signatures[0]).toMatchObject({ intact: true, trusted: true });
    const tampered = Buffer.from(pdf);
    tampered[200] = tampered[200] === 0x20 ? 0x21 : 0x20;
    const bad = (await anon.request('POST', '/api/v1/public/results/verify', tampered, { 'content-type': 'application/pdf' })).json();
    expect(bad.matches).toBe(false);
    const issued = await anon.request('GET', `/api/v1/public/results/${d.code}`);
    expect(issued.json()).toMatchObject({ code: d.code, agencyName: 'Sở Nội vụ' });
    expect(JSON.stringify(issued.json())).not.toContain('Nguyễn Văn An');
  });

  it('the desk returns the result: status 10, completed, the time and method recorded', async () => {
    expect((await act(lanhdaoSnv, d.id, { action: 'return_result' })).statusCode).toBe(403);
    const r = await act(motcua, d.id, { action: 'return_result', returnMethod: 'counter' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ state: 'completed', publicStatus: 10, processing: { returnMethod: 'counter' } });
    expect((await anon.request('GET', `/api/v1/public/dossiers/${d.code}`)).json().publicStatus).toBe(10);
  });

  it('the control slip lists every hand-over with its verdict (Mẫu 05)', async () => {
    const r = await motcua.request('GET', `/api/v1/dossiers/${d.id}/control-slip.pdf`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: r.rawPayload }).toString();
    // Reception, then each step's hand-over with its verdict, down to the result returned to the applicant.
    for (const s of [d.code, 'Sở Nội vụ', 'Người nộp hồ sơ', 'Phê duyệt kết quả', 'Trước hạn']) expect(text).toContain(s);
    expect((await congdan.request('GET', `/api/v1/dossiers/${d.id}/control-slip.pdf`)).statusCode).toBe(404);
  });

  it('the register lists it, with filters, and exports the same rows to .xlsx', async () => {
    const list = (await motcua.request('GET', '/api/v1/dossiers/register?status=10')).json();
    expect(list.items.map((i: { code: string }) => i.code)).toContain(d.code);
    const none = (await motcua.request('GET', '/api/v1/dossiers/register?status=10&channel=1')).json();
    expect(none.items.map((i: { code: string }) => i.code)).not.toContain(d.code);
    const x = await motcua.request('GET', '/api/v1/dossiers/register.xlsx?status=10');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const texts: string[] = [];
    wb.worksheets[0]?.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain(d.code);
    expect((await congdan.request('GET', '/api/v1/dossiers/register')).statusCode).toBe(403);
  });
});

describe('apology and new date (Mẫu 04)', () => {
  it('only the leader of the resolving agency, at least one working day before the due date, only once', async () => {
    const d = await receivedDossier();
    const due = new Date((await get(motcua, d.id)).dueAt);
    const later = new Date(due.getTime() + 3 * 86_400_000).toISOString();
    const body = { reason: 'Cần xác minh thêm với địa phương nơi liệt sĩ hy sinh.', newDueAt: later };
    expect((await motcua.request('POST', `/api/v1/dossiers/${d.id}/apology`, body)).statusCode).toBe(403);
    expect(
      (
        await lanhdaoSnv.request('POST', `/api/v1/dossiers/${d.id}/apology`, {
          ...body,
          newDueAt: new Date(due.getTime() - 1000).toISOString(),
        })
      ).statusCode,
    ).toBe(400);
    const r = await lanhdaoSnv.request('POST', `/api/v1/dossiers/${d.id}/apology`, body);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ dueAt: later, processing: { originalDueAt: due.toISOString() } });
    expect((await anon.request('GET', `/api/v1/public/dossiers/${d.code}`)).json().dueAt).toBe(later);
    const again = await lanhdaoSnv.request('POST', `/api/v1/dossiers/${d.id}/apology`, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_rescheduled');
  });
});

describe('stop and withdrawal', () => {
  it('the applicant withdraws their own dossier; another citizen cannot', async () => {
    const d = await receivedDossier();
    const other = await login(t.app, 'congdan2');
    expect((await other.request('POST', `/api/v1/dossiers/${d.id}/withdraw`, { reason: 'x' })).statusCode).toBe(404);
    const r = await congdan.request('POST', `/api/v1/dossiers/${d.id}/withdraw`, { reason: 'Gia đình đã thống nhất nộp lại sau.' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ state: 'withdrawn', publicStatus: 7 });
    expect((await act(motcua, d.id, { action: 'forward' })).statusCode).toBe(409);
  });

  it('the leader of the resolving agency stops it with a notice; the desk may not', async () => {
    const d = await receivedDossier();
    expect((await motcua.request('POST', `/api/v1/dossiers/${d.id}/stop`, { reason: 'x' })).statusCode).toBe(403);
    const r = await lanhdaoSnv.request('POST', `/api/v1/dossiers/${d.id}/stop`, {
      reason: 'Người đề nghị đã được hưởng chế độ tại địa phương khác.',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ state: 'stopped', publicStatus: 8 });
    expect(r.json().files.some((f: { name: string }) => f.name.startsWith('thong-bao-dung'))).toBe(true);
  });
});

describe('the answer to each step', () => {
  it('is the dossier as read afterwards, from reception to the returned result', async () => {
    const d = (await submitThoCung(congdan)).json();
    const steps: [Session, string, Record<string, unknown>][] = [
      [motcua, 'receive', {}],
      [motcua, 'act', { action: 'forward' }],
      [lanhdaoSnv, 'act', { action: 'assign', assigneeId: snvSpecialistId }],
      [chuyenvienSnv, 'result-draft', { title: 'QUYẾT ĐỊNH', paragraphs: ['Giải quyết chế độ trợ cấp theo quy định.'] }],
      [chuyenvienSnv, 'act', { action: 'submit_appraisal' }],
      [lanhdaoSnv, 'act', { action: 'approve' }],
      [motcua, 'act', { action: 'return_result', returnMethod: 'counter' }],
    ];
    let version = 0;
    for (const [who, path, body] of steps) {
      const r = await who.request('POST', `/api/v1/dossiers/${d.id}/${path}`, body);
      expect(r.statusCode, `${path} ${JSON.stringify(body)}`).toBe(200);
      const answer = r.json();
      expect(answer.version).toBeGreaterThan(version);
      version = answer.version;
      expect(answer).toEqual(await get(who, d.id));
    }
    expect((await get(motcua, d.id)).publicStatus).toBe(10);
  });
});

describe('bulk assignment', () => {
  it('assigns every dossier waiting for assignment and reports the others', async () => {
    const a = await receivedDossier();
    const b = await receivedDossier();
    const c = await receivedDossier();
    for (const x of [a, b]) expect((await act(motcua, x.id, { action: 'forward' })).statusCode).toBe(200);
    const r = await lanhdaoSnv.request('POST', '/api/v1/dossiers/assign', { dossierIds: [a.id, b.id, c.id], assigneeId: snvSpecialistId });
    expect(r.statusCode).toBe(200);
    expect(r.json().assigned).toBe(2);
    expect(r.json().results.find((x: { id: string }) => x.id === c.id)).toMatchObject({ ok: false });
    const queue = (await lanhdaoSnv.request('GET', '/api/v1/work?view=unassigned')).json();
    expect(queue.items.map((i: { id: string }) => i.id)).not.toContain(a.id);
  });
});

describe('deadline control', () => {
  it('warns the holders and their leaders once per due date, and again when it is overdue', async () => {
    const d = await receivedDossier();
    expect((await act(motcua, d.id, { action: 'forward' })).statusCode).toBe(200);
    const step = (await get(lanhdaoSnv, d.id)).processing.steps[0];
    const deps = { db: t.db, config: t.platform.config, calendar: t.platform.calendar, notify: t.platform.notify };
    const sentTo = async () =>
      (
        await t.db.rows<{ recipient: string; subject: string }>(
          sql`select recipient, subject from notifications where target_id = ${d.id} and template_code = 'dossier.deadline_warning' order by created_at`,
        )
      ).map((r) => `${r.recipient} ${r.subject}`);
    // Long before the step is due (a week earlier than its one-day budget): nothing.
    await warnDeadlines(deps, new Date(new Date(step.dueAt).getTime() - 7 * 86_400_000));
    expect(await sentTo()).toEqual([]);
    // Just before: the leaders of Sở Nội vụ (the step waits for assignment) are told it is due soon.
    await warnDeadlines(deps, new Date(new Date(step.dueAt).getTime() - 60_000));
    const soon = await sentTo();
    expect(soon.some((s) => s.startsWith('lanhdao.snv@example.vn [Sắp đến hạn bước xử lý]'))).toBe(true);
    expect(soon.some((s) => s.startsWith('motcua@'))).toBe(false);
    // Again at the same moment: nothing new.
    await warnDeadlines(deps, new Date(new Date(step.dueAt).getTime() - 60_000));
    expect(await sentTo()).toHaveLength(soon.length);
    // Once overdue: the overdue warning.
    await warnDeadlines(deps, new Date(new Date(step.dueAt).getTime() + 60_000));
    expect((await sentTo()).some((s) => s.includes('[Quá hạn bước xử lý]'))).toBe(true);
  });
});
