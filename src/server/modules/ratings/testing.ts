/**
 * Test helpers for ratings: a province-level dossier taken through the standard workflow to "result
 * returned" (received by the provincial desk, resolved by Sở Nội vụ), over the HTTP API.
 */
import { login, type Session } from '../../../../test/app';
import type { App } from '../../platform/http/types';
import { submitThoCung } from '../dossiers/testing';

export interface Cast {
  congdan: Session;
  motcua: Session;
  lanhdaoSnv: Session;
  chuyenvienSnv: Session;
  specialistId: string;
}

export async function cast(app: App): Promise<Cast> {
  const [congdan, motcua, lanhdaoSnv, chuyenvienSnv] = await Promise.all(
    ['congdan', 'motcua', 'lanhdao.snv', 'chuyenvien.snv'].map((u) => login(app, u)),
  );
  const specialistId = (await (chuyenvienSnv as Session).request('GET', '/api/v1/auth/me')).json().id;
  return { congdan, motcua, lanhdaoSnv, chuyenvienSnv, specialistId } as Cast;
}

async function ok(p: Promise<{ statusCode: number; body: string }>, what: string) {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
  return r;
}

/** Submitted by `applicant` and received by the desk (not yet returned). */
export async function receivedDossier(c: Cast, applicant: Session = c.congdan): Promise<{ id: string; code: string }> {
  const r = await submitThoCung(applicant);
  if (r.statusCode !== 201 && r.statusCode !== 200) throw new Error(`submit: ${r.statusCode} ${r.body}`);
  const { id, code } = r.json() as { id: string; code: string };
  await ok(c.motcua.request('POST', `/api/v1/dossiers/${id}/receive`, {}), 'receive');
  return { id, code };
}

/** Submitted, processed and returned at the counter: state completed, national status 10. */
export async function returnedDossier(c: Cast, applicant: Session = c.congdan): Promise<{ id: string; code: string }> {
  const d = await receivedDossier(c, applicant);
  const act = (s: Session, body: Record<string, unknown>, what: string) =>
    ok(s.request('POST', `/api/v1/dossiers/${d.id}/act`, body), what);
  await act(c.motcua, { action: 'forward' }, 'forward');
  await act(c.lanhdaoSnv, { action: 'assign', assigneeId: c.specialistId }, 'assign');
  await ok(
    c.chuyenvienSnv.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, {
      title: 'QUYẾT ĐỊNH',
      paragraphs: ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ.'],
    }),
    'result draft',
  );
  await act(c.chuyenvienSnv, { action: 'submit_appraisal' }, 'submit appraisal');
  await act(c.lanhdaoSnv, { action: 'approve' }, 'approve');
  await act(c.motcua, { action: 'return_result', returnMethod: 'counter' }, 'return');
  return d;
}
