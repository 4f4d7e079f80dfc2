/**
 * Inter-agency one-stop (liên thông) on a published workflow: Sở Nội vụ resolves the dossier, Sở Tư pháp
 * gives an opinion in parallel (a branch opened at appraisal, joined before approval) and confirms it in
 * sequence (a step held by Sở Tư pháp's leader); each hand-over is recorded with the agencies and a verdict.
 * Also: a supplement asked by the specialist during appraisal (within 3 working days of reception; the
 * legal time counted again from the complete dossier), refused after that window.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { addWorkingHours } from '../../platform/calendar';
import { ensureConfiguredDemoCa } from '../../platform/signing';
import type { WorkflowDefinition } from '../workflows';
import { submitThoCung, THO_CUNG, uploadPdf } from './testing';

let t: TestApp;
let admin: Session;
let congdan: Session;
let motcua: Session;
let lanhdaoSnv: Session;
let chuyenvienSnv: Session;
let lanhdaoStp: Session;
let chuyenvienStp: Session;
let specialistSnv: string;

const act = (s: Session, id: string, body: Record<string, unknown>) => s.request('POST', `/api/v1/dossiers/${id}/act`, body);
const get = async (s: Session, id: string) => (await s.request('GET', `/api/v1/dossiers/${id}`)).json();

const STP = { agencyCode: 'H66.003' };
const interagency: WorkflowDefinition = {
  states: [
    { key: 'received', name: 'Đã tiếp nhận', publicStatus: 2 },
    { key: 'assigned', name: 'Chờ phân công thụ lý', publicStatus: 4 },
    { key: 'appraising', name: 'Đang thẩm định', publicStatus: 4 },
    { key: 'stp_review', name: 'Sở Tư pháp thẩm tra', publicStatus: 4 },
    { key: 'awaiting_approval', name: 'Chờ phê duyệt', publicStatus: 4 },
    { key: 'result_ready', name: 'Đã có kết quả, chờ trả', publicStatus: 9 },
    { key: 'returned', name: 'Đã trả kết quả', publicStatus: 10, terminal: true },
  ],
  start: 'received',
  actions: [
    { key: 'forward', name: 'Chuyển cơ quan giải quyết', from: ['received'], to: 'assigned', roles: ['motcua'], where: 'desk' },
    { key: 'assign', name: 'Phân công thụ lý', from: ['assigned'], to: 'appraising', roles: ['lanhdao'], assigns: true },
    {
      key: 'submit_appraisal',
      name: 'Trình Sở Tư pháp thẩm tra',
      from: ['appraising'],
      to: 'stp_review',
      roles: ['chuyenvien'],
      budgetHours: 16,
    },
    {
      key: 'stp_confirm',
      name: 'Sở Tư pháp xác nhận',
      from: ['stp_review'],
      to: 'awaiting_approval',
      roles: ['lanhdao'],
      where: STP,
      budgetHours: 16,
    },
    { key: 'approve', name: 'Phê duyệt', from: ['awaiting_approval'], to: 'result_ready', roles: ['lanhdao'], signsResult: true },
    {
      key: 'return_result',
      name: 'Trả kết quả',
      from: ['result_ready'],
      to: 'returned',
      roles: ['motcua'],
      where: 'desk',
      returnsResult: true,
    },
  ],
  branches: [
    {
      key: 'stp_opinion',
      name: 'Lấy ý kiến Sở Tư pháp',
      agency: STP,
      from: 'appraising',
      join: 'awaiting_approval',
      start: 'stp_opinion_open',
      states: [
        { key: 'stp_opinion_open', name: 'Sở Tư pháp cho ý kiến', publicStatus: 4 },
        { key: 'stp_opinion_done', name: 'Sở Tư pháp đã cho ý kiến', publicStatus: 4, terminal: true },
      ],
      actions: [{ key: 'give_opinion', name: 'Cho ý kiến', from: ['stp_opinion_open'], to: 'stp_opinion_done', roles: ['chuyenvien'] }],
    },
  ],
};

beforeAll(async () => {
  t = await createTestApp();
  await ensureConfiguredDemoCa(t.platform.config, [{ code: 'H66.002', name: 'Sở Nội vụ tỉnh Đắk Lắk' }]);
  [admin, congdan, motcua, lanhdaoSnv, chuyenvienSnv, lanhdaoStp, chuyenvienStp] = (await Promise.all(
    ['admin', 'congdan', 'motcua', 'lanhdao.snv', 'chuyenvien.snv', 'lanhdao', 'chuyenvien'].map((u) => login(t.app, u)),
  )) as Session[] as [Session, Session, Session, Session, Session, Session, Session];
  specialistSnv = (await chuyenvienSnv.request('GET', '/api/v1/auth/me')).json().id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function receivedDossier() {
  const d = (await submitThoCung(congdan)).json();
  expect((await motcua.request('POST', `/api/v1/dossiers/${d.id}/receive`, {})).statusCode).toBe(200);
  return d as { id: string; code: string; procedureId: string };
}

describe('supplement during appraisal', () => {
  it('the specialist asks within 3 working days; the legal time counts again from the complete dossier', async () => {
    const d = await receivedDossier();
    await act(motcua, d.id, { action: 'forward' });
    await act(lanhdaoSnv, d.id, { action: 'assign', assigneeId: specialistSnv });
    const body = { items: [{ componentKey: 'tp1', text: 'Bản khai có xác nhận của UBND xã' }], reason: 'Bản khai chưa có xác nhận' };
    expect((await lanhdaoStp.request('POST', `/api/v1/dossiers/${d.id}/request-supplement`, body)).statusCode).toBe(404);
    const asked = await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/request-supplement`, body);
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ state: 'supplement_requested', publicStatus: 5 });
    // The applicant supplements: back to the specialist who holds it, status "đang xử lý", time counted from zero.
    const back = (
      await congdan.request('POST', `/api/v1/dossiers/${d.id}/supplement`, {
        files: [{ componentKey: 'tp1', fileId: await uploadPdf(congdan) }],
      })
    ).json();
    expect(back).toMatchObject({ state: 'received', publicStatus: 4 });
    expect(back.processing.steps[0]).toMatchObject({ state: 'appraising', assigneeId: specialistSnv });
    const expected = addWorkingHours(await t.platform.calendar.data(), new Date(back.timeline.at(-1).at), 80);
    expect(new Date(back.dueAt).getTime()).toBe(expected.getTime());
  });

  it('is refused after 3 working days from reception', async () => {
    const d = await receivedDossier();
    await act(motcua, d.id, { action: 'forward' });
    await act(lanhdaoSnv, d.id, { action: 'assign', assigneeId: specialistSnv });
    // As if it had been received two weeks ago.
    await t.db.rows(sql`update dossiers set received_at = now() - interval '14 days' where id = ${d.id}`);
    const r = await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/request-supplement`, {
      items: [{ text: 'Giấy tờ khác' }],
      reason: 'Thiếu',
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('supplement_window_passed');
  });
});

describe('inter-agency one-stop (liên thông)', () => {
  let d: { id: string; code: string; procedureId: string };

  beforeAll(async () => {
    const procedureId = (await admin.request('GET', `/api/v1/procedures/${THO_CUNG.split('.000')[0]}`)).json().id;
    const wf = `/api/v1/procedures/${procedureId}/workflows`;
    const saved = await admin.request('PUT', `${wf}/draft`, { definition: interagency, baseVersion: 1 });
    expect(saved.json().errors).toEqual([]);
    expect((await admin.request('POST', `${wf}/draft/publish`)).statusCode).toBe(200);
    d = await receivedDossier();
    expect((await get(motcua, d.id)).processing.workflowVersion).toBe(2);
    expect((await act(motcua, d.id, { action: 'forward' })).statusCode).toBe(200);
  });

  it('Sở Tư pháp knows nothing of the dossier until its part opens', async () => {
    expect((await chuyenvienStp.request('GET', `/api/v1/dossiers/${d.id}`)).statusCode).toBe(404);
  });

  it('assignment opens the parallel branch at Sở Tư pháp next to the appraisal', async () => {
    const r = await act(lanhdaoSnv, d.id, { action: 'assign', assigneeId: specialistSnv });
    expect(r.statusCode, r.body).toBe(200);
    const steps = r.json().processing.steps;
    expect(steps).toHaveLength(2);
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ branch: null, state: 'appraising', agencies: ['Sở Nội vụ'] }),
        expect.objectContaining({ branch: 'stp_opinion', state: 'stp_opinion_open', agencies: ['Sở Tư pháp'] }),
      ]),
    );
    expect((await chuyenvienStp.request('GET', `/api/v1/dossiers/${d.id}`)).statusCode).toBe(200);
    const queue = (await chuyenvienStp.request('GET', '/api/v1/work?view=unassigned')).json();
    expect(queue.items.filter((i: { id: string }) => i.id === d.id)).toMatchObject([
      { branch: 'stp_opinion', stepAgencyName: 'Sở Tư pháp' },
    ]);
  });

  it('the specialist drafts the result and hands over to Sở Tư pháp in sequence', async () => {
    // Sở Tư pháp's specialist cannot take the main flow's actions.
    expect((await act(chuyenvienStp, d.id, { action: 'submit_appraisal' })).statusCode).toBe(403);
    await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, {
      paragraphs: ['Đồng ý giải quyết chế độ thờ cúng liệt sĩ.'],
    });
    const r = await act(chuyenvienSnv, d.id, { action: 'submit_appraisal' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().timeline.at(-1).details.handover).toMatchObject({
      fromAgencyName: 'Sở Nội vụ',
      toAgencyName: 'Sở Tư pháp',
      status: 'early',
    });
    expect((await act(lanhdaoSnv, d.id, { action: 'stp_confirm' })).statusCode).toBe(403);
    const c = await act(lanhdaoStp, d.id, { action: 'stp_confirm' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().timeline.at(-1).details.handover).toMatchObject({ fromAgencyName: 'Sở Tư pháp', toAgencyName: 'Sở Nội vụ' });
  });

  it('approval waits for the parallel branch, then goes on', async () => {
    const work = (await lanhdaoSnv.request('GET', `/api/v1/dossiers/${d.id}/work`)).json();
    expect(work.actions.find((a: { key: string }) => a.key === 'approve').blockedBy).toContain('Lấy ý kiến Sở Tư pháp');
    const blocked = await act(lanhdaoSnv, d.id, { action: 'approve' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('waiting_for_branches');
    const opinion = await act(chuyenvienStp, d.id, { action: 'give_opinion', branch: 'stp_opinion', note: 'Thống nhất.' });
    expect(opinion.statusCode, opinion.body).toBe(200);
    expect(opinion.json().processing.steps).toMatchObject([{ branch: null, state: 'awaiting_approval' }]);
    const approved = await act(lanhdaoSnv, d.id, { action: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ publicStatus: 9 });
  });

  it('the control slip has a row per hand-over between the agencies', async () => {
    const r = await motcua.request('GET', `/api/v1/dossiers/${d.id}/control-slip.pdf`);
    expect(r.statusCode).toBe(200);
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: r.rawPayload }).toString();
    for (const s of ['Sở Nội vụ', 'Sở Tư pháp', 'Trước hạn']) expect(text).toContain(s);
  });
});
