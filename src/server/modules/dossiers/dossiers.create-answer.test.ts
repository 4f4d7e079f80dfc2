/**
 * The answer to POST /api/v1/dossiers is built from what the transaction wrote, not read back: it must
 * be exactly what GET /api/v1/dossiers/{id} then reads (drafts, submissions at a ward and at the
 * provincial service centre, file ids in any letter case, the default notification step).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { BMT, filesFor, KHAI_SINH, khaiSinhForm, submitKhaiSinh, submitThoCung, THO_CUNG, thoCungForm } from './testing';

let t: TestApp;
let congdan: Session;

beforeAll(async () => {
  t = await createTestApp();
  congdan = await login(t.app, 'congdan');
});
afterAll(async () => {
  await t?.close();
});

async function sameAsRead(res: { statusCode: number; body: string; json(): unknown }) {
  expect(res.statusCode, res.body).toBe(201);
  const created = res.json() as { id: string };
  const read = await congdan.request('GET', `/api/v1/dossiers/${created.id}`);
  expect(read.statusCode).toBe(200);
  expect(created).toEqual(read.json());
  return created as Record<string, unknown>;
}

describe('the create answer equals the dossier read back', () => {
  it('submitted at a ward (three files)', async () => {
    const d = await sameAsRead(await submitKhaiSinh(congdan));
    expect(d).toMatchObject({ state: 'submitted', procedureCode: KHAI_SINH });
  });

  it('submitted to the provincial service centre', async () => {
    const d = await sameAsRead(await submitThoCung(congdan, thoCungForm()));
    expect(d).toMatchObject({ state: 'submitted', procedureCode: THO_CUNG });
    expect(d.deskAgencyId).not.toBe(d.agencyId);
  });

  it('a draft, and a submission with upper-case file ids and no contact (no notification step)', async () => {
    await sameAsRead(await congdan.request('POST', '/api/v1/dossiers', { procedureId: KHAI_SINH, agencyId: BMT, form: { ho_ten: 'An' } }));
    const files = (await filesFor(congdan, ['tp6', 'tp1', 'tp2'])).map((f) => ({ ...f, fileId: f.fileId.toUpperCase() }));
    const d = await sameAsRead(
      await congdan.request('POST', '/api/v1/dossiers', {
        procedureId: KHAI_SINH,
        agencyId: BMT,
        form: Object.fromEntries(Object.entries(khaiSinhForm()).filter(([k]) => k !== 'email')),
        files,
        submit: true,
      }),
    );
    expect((d.files as { componentKey: string }[]).map((f) => f.componentKey)).toEqual(['tp1', 'tp2', 'tp6']);
  });
});
