/**
 * Who may and who may not, for the processing use cases not walked through in dossiers.processing.test.ts:
 * reassignment, bulk assignment, the draft result, consultations and their answers, the work of a dossier,
 * anonymous callers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { demoAgencyId } from '../org';
import { submitThoCung } from './testing';

let t: TestApp;
let congdan: Session;
let motcua: Session;
let lanhdaoSnv: Session;
let chuyenvienSnv: Session;
let lanhdaoStp: Session;
let chuyenvienStp: Session;
let anon: Session;
let specialistSnv: string;
/** Forwarded and assigned to chuyenvien.snv (step "appraising" at Sở Nội vụ). */
let d: { id: string; code: string };

const STP = demoAgencyId('H66.003');

beforeAll(async () => {
  t = await createTestApp();
  [congdan, motcua, lanhdaoSnv, chuyenvienSnv, lanhdaoStp, chuyenvienStp] = (await Promise.all(
    ['congdan', 'motcua', 'lanhdao.snv', 'chuyenvien.snv', 'lanhdao', 'chuyenvien'].map((u) => login(t.app, u)),
  )) as Session[] as [Session, Session, Session, Session, Session, Session, Session];
  anon = await anonymousSession(t.app);
  specialistSnv = (await chuyenvienSnv.request('GET', '/api/v1/auth/me')).json().id;
  d = (await submitThoCung(congdan)).json();
  await motcua.request('POST', `/api/v1/dossiers/${d.id}/receive`, {});
  await motcua.request('POST', `/api/v1/dossiers/${d.id}/act`, { action: 'forward' });
  expect(
    (await lanhdaoSnv.request('POST', `/api/v1/dossiers/${d.id}/act`, { action: 'assign', assigneeId: specialistSnv })).statusCode,
  ).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe('anonymous callers', () => {
  it('get 401 on every processing route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/v1/dossiers/${d.id}/work`],
      ['POST', `/api/v1/dossiers/${d.id}/act`, { action: 'approve' }],
      ['POST', `/api/v1/dossiers/${d.id}/reassign`, { assigneeId: specialistSnv }],
      ['POST', '/api/v1/dossiers/assign', { dossierIds: [d.id], assigneeId: specialistSnv }],
      ['POST', `/api/v1/dossiers/${d.id}/opinions`, { kind: 'opinion', text: 'x' }],
      ['GET', '/api/v1/work'],
      ['GET', '/api/v1/dossiers/register'],
      ['GET', `/api/v1/dossiers/${d.id}/control-slip.pdf`],
      ['GET', '/api/v1/dossiers/register.xlsx'],
      ['POST', `/api/v1/dossiers/${d.id}/result-draft`, { paragraphs: ['x'] }],
      ['POST', `/api/v1/dossiers/${d.id}/consultations`, { agencyId: STP, question: 'x' }],
      ['POST', `/api/v1/dossiers/${d.id}/apology`, { reason: 'x', newDueAt: new Date().toISOString() }],
      ['POST', `/api/v1/dossiers/${d.id}/stop`, { reason: 'x' }],
      ['POST', `/api/v1/dossiers/${d.id}/withdraw`, { reason: 'x' }],
    ];
    for (const [method, url, body] of routes) {
      const r = await anon.request(method, url, body);
      expect(r.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe('the register', () => {
  it('is for the desk and processing staff: a citizen gets 403 for the list and the Excel file', async () => {
    expect((await congdan.request('GET', '/api/v1/dossiers/register.xlsx')).statusCode).toBe(403);
    expect((await motcua.request('GET', '/api/v1/dossiers/register.xlsx')).statusCode).toBe(200);
  });
});

describe('reassignment', () => {
  it('the leader of the agency holding the step may; the specialist, the desk and another agency may not', async () => {
    const body = { assigneeId: specialistSnv };
    expect((await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/reassign`, body)).statusCode).toBe(403);
    expect((await motcua.request('POST', `/api/v1/dossiers/${d.id}/reassign`, body)).statusCode).toBe(403);
    expect((await lanhdaoStp.request('POST', `/api/v1/dossiers/${d.id}/reassign`, body)).statusCode).toBe(404);
    const r = await lanhdaoSnv.request('POST', `/api/v1/dossiers/${d.id}/reassign`, body);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().timeline.at(-1).action).toBe('reassign');
  });
});

describe('bulk assignment', () => {
  it("is the leaders' work: a specialist is refused (403)", async () => {
    const r = await chuyenvienSnv.request('POST', '/api/v1/dossiers/assign', { dossierIds: [d.id], assigneeId: specialistSnv });
    expect(r.statusCode).toBe(403);
  });

  it('a leader of another agency assigns nothing: the dossier is reported as refused', async () => {
    const r = await lanhdaoStp.request('POST', '/api/v1/dossiers/assign', { dossierIds: [d.id], assigneeId: specialistSnv });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ assigned: 0, results: [{ id: d.id, ok: false }] });
  });
});

describe('draft result', () => {
  it('only whoever holds the dossier now may draft it', async () => {
    const body = { paragraphs: ['Nội dung'] };
    expect((await motcua.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, body)).statusCode).toBe(403);
    expect((await chuyenvienStp.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, body)).statusCode).toBe(404);
    expect((await congdan.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, body)).statusCode).toBe(403);
    expect((await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, { paragraphs: [] })).statusCode).toBe(400);
    expect((await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, body)).statusCode).toBe(200);
  });

  it('an uploaded draft must be a PDF of the one who drafts', async () => {
    const other = (await submitThoCung(congdan)).json();
    const citizenFile = other.files[0].fileId;
    const r = await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, { fileId: citizenFile });
    expect(r.statusCode).toBe(400);
  });
});

describe('consultations', () => {
  let consultationId: string;

  it('the holder asks another agency; the desk may not ask', async () => {
    const body = { agencyId: STP, question: 'Đề nghị Sở Tư pháp cho ý kiến về hồ sơ liệt sĩ.', dueDays: 3 };
    expect((await motcua.request('POST', `/api/v1/dossiers/${d.id}/consultations`, body)).statusCode).toBe(403);
    const r = await chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/consultations`, body);
    expect(r.statusCode, r.body).toBe(200);
    consultationId = r.json().processing.consultations[0].id;
    expect(r.json().processing.consultations[0]).toMatchObject({ agencyName: 'Sở Tư pháp', answer: null });
  });

  it('the consulted agency reads the dossier and answers once; the asking agency may not answer for it', async () => {
    expect((await chuyenvienStp.request('GET', `/api/v1/dossiers/${d.id}`)).statusCode).toBe(200);
    const url = `/api/v1/dossiers/${d.id}/consultations/${consultationId}/answer`;
    expect((await chuyenvienSnv.request('POST', url, { answer: 'Tự trả lời' })).statusCode).toBe(403);
    const r = await chuyenvienStp.request('POST', url, { answer: 'Sở Tư pháp thống nhất.' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().processing.consultations[0]).toMatchObject({ answer: 'Sở Tư pháp thống nhất.' });
    expect((await chuyenvienStp.request('POST', url, { answer: 'Lần hai' })).statusCode).toBe(409);
  });
});

describe('the work of a dossier', () => {
  it('shows each officer only what they may do', async () => {
    const mine = (await chuyenvienSnv.request('GET', `/api/v1/dossiers/${d.id}/work`)).json();
    expect(mine.actions.map((a: { key: string }) => a.key)).toEqual(['submit_appraisal']);
    const desk = (await motcua.request('GET', `/api/v1/dossiers/${d.id}/work`)).json();
    expect(desk.actions).toEqual([]);
    expect((await congdan.request('GET', `/api/v1/dossiers/${d.id}/work`)).json().actions).toEqual([]);
    expect((await lanhdaoStp.request('GET', `/api/v1/dossiers/${d.id}/work`)).statusCode).toBe(200);
  });
});
