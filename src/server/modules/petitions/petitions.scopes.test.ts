/**
 * Who may act on a petition: staff of another agency neither read nor act (404, the petition is not confirmed);
 * a citizen cannot classify, not even his own (403); only the petitioner sees his unpublished petition; a
 * department officer acts only once assigned, and then only on his own steps; counter intake and statistics
 * only within the officer's agencies; only the administrator sets the deadlines; anonymous petitioners must
 * leave their name, address and contact.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { act, BMT, contact, counter, petitionBody, STP, submit } from './testing';

let t: TestApp;
let citizen: Session;
let citizen2: Session;
let anon: Session;
let deskBmt: Session;
let officerBmt: Session;
let officerEaKar: Session;
let leaderStp: Session;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  [citizen, citizen2, anon, deskBmt, officerBmt, officerEaKar, leaderStp, admin] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    anonymousSession(t.app),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'chuyenvien.bmt'),
    login(t.app, 'chuyenvien.eakar'),
    login(t.app, 'lanhdao'),
    login(t.app, 'admin'),
  ]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('petition scopes', () => {
  let id: string;

  it('staff of another agency can neither read, list nor act on a Buôn Ma Thuột petition', async () => {
    id = (await submit(citizen, petitionBody(BMT))).json().id;
    for (const s of [officerEaKar, leaderStp]) {
      expect((await s.request('GET', `/api/v1/petitions/${id}`)).statusCode).toBe(404);
      expect((await act(s, id, 'classify', { decision: 'in_competence' })).statusCode).toBe(404);
      expect((await act(s, id, 'forward', { agencyName: 'X', reason: 'y' })).statusCode).toBe(404);
      const queue = await s.request('GET', '/api/v1/petitions');
      expect(queue.statusCode).toBe(200);
      expect(queue.json().items.some((p: { id: string }) => p.id === id)).toBe(false);
    }
    const own = await deskBmt.request('GET', '/api/v1/petitions');
    expect(own.json().items.some((p: { id: string }) => p.id === id)).toBe(true);
  });

  it('a citizen cannot classify, not even his own petition; another citizen gets 404; anonymous 401', async () => {
    expect((await act(citizen, id, 'classify', { decision: 'in_competence' })).statusCode).toBe(403);
    expect((await act(citizen2, id, 'classify', { decision: 'in_competence' })).statusCode).toBe(404);
    expect((await act(anon, id, 'classify', { decision: 'in_competence' })).statusCode).toBe(401);
    expect((await citizen.request('GET', '/api/v1/petitions')).statusCode).toBe(403);
  });

  it('only the petitioner (and the agency) sees an unpublished petition', async () => {
    const own = await citizen.request('GET', `/api/v1/petitions/${id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().timeline).toHaveLength(1);
    expect((await citizen2.request('GET', `/api/v1/petitions/${id}`)).statusCode).toBe(404);
    expect((await anon.request('GET', `/api/v1/petitions/${id}`)).statusCode).toBe(401);
    expect((await anon.request('GET', `/api/v1/public/petitions/${id}`)).statusCode).toBe(404);
    const mine2 = await citizen2.request('GET', '/api/v1/petitions/mine');
    expect(mine2.json().items.some((p: { id: string }) => p.id === id)).toBe(false);
    expect((await anon.request('GET', '/api/v1/petitions/mine')).statusCode).toBe(401);
  });

  it('a department officer acts only once assigned, and then only on his own steps', async () => {
    expect((await act(officerBmt, id, 'classify', { decision: 'in_competence' })).statusCode).toBe(404);
    expect((await act(deskBmt, id, 'classify', { decision: 'in_competence' })).statusCode).toBe(200);
    expect((await act(officerBmt, id, 'note', { note: 'x' })).statusCode).toBe(404);
    const officerId = await accountId('chuyenvien.bmt');
    expect((await act(deskBmt, id, 'assign', { accountId: officerId })).statusCode).toBe(200);
    // Assigning someone of another agency is refused.
    expect((await act(deskBmt, id, 'assign', { accountId: await accountId('chuyenvien.eakar') })).statusCode).toBe(400);
    expect((await officerBmt.request('GET', `/api/v1/petitions/${id}`)).statusCode).toBe(200);
    expect((await act(officerBmt, id, 'note', { note: 'Đối thoại' })).statusCode).toBe(200);
    expect((await act(officerBmt, id, 'forward', { agencyName: 'X', reason: 'y' })).statusCode).toBe(403);
    expect((await act(officerBmt, id, 'answer', { answerText: 'Kết quả' })).statusCode).toBe(200);
    expect((await act(officerBmt, id, 'close')).statusCode).toBe(403);
    expect((await act(officerEaKar, id, 'close')).statusCode).toBe(404);
    expect((await act(deskBmt, id, 'close')).statusCode).toBe(200);
  });

  it('counter intake, the queue and the statistics stay within the officer’s agencies', async () => {
    const body = { ...petitionBody(BMT), channel: 'written', petitioner: contact };
    expect((await counter(leaderStp, body)).statusCode).toBe(404);
    expect((await counter(citizen, body)).statusCode).toBe(404);
    expect((await counter(anon, body)).statusCode).toBe(401);
    expect((await counter(leaderStp, { ...body, agencyId: STP })).statusCode).toBe(201);
    expect((await leaderStp.request('GET', `/api/v1/petitions/stats?agency=${BMT}`)).statusCode).toBe(404);
    expect((await citizen.request('GET', '/api/v1/petitions/stats')).statusCode).toBe(403);
    const stats = await leaderStp.request('GET', '/api/v1/petitions/stats');
    expect(stats.json().items.map((s: { agencyId: string }) => s.agencyId)).toEqual([STP]);
    const agencies = await deskBmt.request('GET', '/api/v1/petitions/agencies');
    expect(agencies.json().items.map((a: { id: string }) => a.id)).toEqual([BMT]);
  });

  it('only the administrator sets the deadlines', async () => {
    expect((await leaderStp.request('PUT', '/api/v1/petitions/settings', { handleDays: 7, forwardDays: 5 })).statusCode).toBe(403);
    const ok = await admin.request('PUT', '/api/v1/petitions/settings', { handleDays: 7, forwardDays: 5 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ handleDays: 7, forwardDays: 5 });
  });

  it('attachments: the petitioner and the agency download them; another citizen and another agency cannot', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 10, b: 10 } } })
      .png()
      .toBuffer();
    const boundary = '----petitiontest';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="ban-ve.png"\r\ncontent-type: image/png\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), png, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const up = await citizen.request('POST', '/api/v1/files', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id;
    // Someone else's upload cannot be attached.
    expect((await submit(citizen2, petitionBody(BMT, { attachmentIds: [fileId] }))).statusCode).toBe(400);
    const p = (await submit(citizen, petitionBody(BMT, { attachmentIds: [fileId] }))).json();
    const url = `/api/v1/petitions/${p.id}/files/${fileId}`;
    const own = await citizen.request('GET', url);
    expect(own.statusCode).toBe(200);
    expect(Buffer.from(own.rawPayload).equals(png)).toBe(true);
    expect((await deskBmt.request('GET', url)).statusCode).toBe(200);
    expect((await citizen2.request('GET', url)).statusCode).toBe(404);
    expect((await officerEaKar.request('GET', url)).statusCode).toBe(404);
    expect((await anon.request('GET', url)).statusCode).toBe(401);
    expect((await citizen.request('GET', `/api/v1/petitions/${id}/files/${fileId}`)).statusCode).toBe(404);
  });

  it('anonymous petitioners must give name, address and a phone or e-mail', async () => {
    const none = await submit(anon, petitionBody(BMT));
    expect(none.statusCode).toBe(400);
    expect(
      none
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['petitioner/address', 'petitioner/name', 'petitioner/phone']);
    const noContact = await submit(anon, petitionBody(BMT, { petitioner: { name: 'A B C', address: 'Hà Nội' } }));
    expect(noContact.json().errors.map((e: { field: string }) => e.field)).toEqual(['petitioner/phone']);
    const email = await submit(anon, petitionBody(BMT, { petitioner: { name: 'A B C', address: 'Hà Nội', email: 'abc@example.vn' } }));
    expect(email.statusCode, email.body).toBe(201);
  });
});

async function accountId(username: string): Promise<string> {
  const [r] = await t.db.rows<{ id: string }>(sql`select id from accounts where username = ${username}`);
  return (r as { id: string }).id;
}
