/**
 * Test helpers for the e-data store: a document added over HTTP, a dossier reusing one, the
 * processing path down to a returned e-result.
 */
import { expect } from 'vitest';
import type { Session } from '../../../../test/app';
import { BMT, filesFor, KHAI_SINH, khaiSinhForm, submitThoCung, uploadPdf } from '../dossiers/testing';

export const E = '/api/v1/edata';

export interface DocInput {
  type?: string;
  title?: string;
  number?: string | null;
  issuer?: string | null;
  issuedOn?: string | null;
  validUntil?: string | null;
}

/** Uploads a PDF and adds it to the session's store; returns the answer's JSON (201 expected). */
export async function addDocument(s: Session, input: DocInput = {}) {
  const fileId = await uploadPdf(s, 'cccd.pdf');
  const res = await s.request('POST', `${E}/documents`, {
    fileId,
    type: 'cccd',
    title: 'Thẻ căn cước',
    issuer: 'Cục Cảnh sát QLHC về TTXH',
    issuedOn: '2021-04-15',
    validUntil: '2031-04-15',
    ...input,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; file: { id: string }; source: string; valid: boolean };
}

/** A khai sinh dossier whose identity paper (tp6) is taken from the store. */
export function submitKhaiSinhReusing(s: Session, doc: { id: string; file: { id: string } }) {
  return (async () =>
    s.request('POST', '/api/v1/dossiers', {
      procedureId: KHAI_SINH,
      agencyId: BMT,
      form: khaiSinhForm(),
      files: [...(await filesFor(s, ['tp1', 'tp2'])), { componentKey: 'tp6', fileId: doc.file.id, edataDocumentId: doc.id }],
      resultDelivery: 'online',
      submit: true,
    }))();
}

/**
 * A province-level dossier of `owner` taken down the standard path to a returned e-result
 * (the desk receives and forwards, the leader assigns, the specialist drafts, the leader approves,
 * the desk returns). Needs the demo CA of Sở Nội vụ.
 */
export async function returnedResult(
  owner: Session,
  staff: { motcua: Session; lanhdao: Session; chuyenvien: Session },
): Promise<{ id: string; code: string; resultFileId: string }> {
  const d = (await submitThoCung(owner)).json();
  const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };
  const act = (s: Session, body: Record<string, unknown>) => ok(s.request('POST', `/api/v1/dossiers/${d.id}/act`, body));
  await ok(staff.motcua.request('POST', `/api/v1/dossiers/${d.id}/receive`, {}));
  await act(staff.motcua, { action: 'forward' });
  const specialist = (await staff.chuyenvien.request('GET', '/api/v1/auth/me')).json().id;
  await act(staff.lanhdao, { action: 'assign', assigneeId: specialist });
  await ok(
    staff.chuyenvien.request('POST', `/api/v1/dossiers/${d.id}/result-draft`, {
      title: 'QUYẾT ĐỊNH',
      paragraphs: ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ.'],
    }),
  );
  await act(staff.chuyenvien, { action: 'submit_appraisal' });
  const approved = (await act(staff.lanhdao, { action: 'approve' })) as unknown as { json(): { processing: { resultFileId: string } } };
  await act(staff.motcua, { action: 'return_result', returnMethod: 'counter' });
  return { id: d.id, code: d.code, resultFileId: approved.json().processing.resultFileId };
}
