/**
 * Who may upload and read files, at the service level (hand-made actors, no login needed).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/template';
import { type Actor, anonymous, type RequestContext, systemContext } from '../auth/actor';
import type { Permission } from '../auth/permissions';
import { type Database, sql } from '../db/database';
import { Problem } from '../http/problem';
import { LocalBlobStore, sha256Hex } from './blob-store';
import { createFileService, type FileService } from './files.service';
import { eicarBytes, samplePdf, samplePng, sampleXml } from './testing';
import { ScannerUnavailableError, type VirusScanner } from './virus-scan';

const ctxOf = (actor: Actor): RequestContext => ({ actor, ip: '127.0.0.1', requestId: `req-${randomUUID()}` });
const citizen = (label: string): Actor => ({ kind: 'citizen', accountId: randomUUID(), label, grants: [] });
const staffWith = (label: string, permissions: Permission[], scope = ''): Actor => ({
  kind: 'staff',
  accountId: randomUUID(),
  label,
  grants: [{ role: 'test', permissions: new Set(permissions), scope }],
});

const owner = ctxOf(citizen('congdan-a'));
const otherCitizen = ctxOf(citizen('congdan-b'));
const provinceStaff = ctxOf(staffWith('quantri', ['files.upload', 'audit.read']));
const system = systemContext('test');
const nobody = ctxOf(anonymous);

/** A scanner that finds EICAR anywhere in the bytes (the real one is tested in virus-scan.test.ts). */
const eicarScanner: VirusScanner = {
  scan: async (bytes) => (bytes.includes(eicarBytes()) ? { clean: false, signature: 'Eicar-Test-Signature' } : { clean: true }),
};

let db: Database;
let dir: string;
let files: FileService;

async function problemOf(p: Promise<unknown>): Promise<Problem> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Problem);
  return err as Problem;
}

beforeAll(async () => {
  db = await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-files-scopes-'));
  files = createFileService({ db, blobs: new LocalBlobStore(dir), scanner: eicarScanner, maxBytes: 64 * 1024 });
});
afterAll(async () => {
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('upload: who may', () => {
  it('a citizen without any grant uploads their own file', async () => {
    const meta = await files.upload(owner, { name: 'Giấy khai sinh.pdf', bytes: samplePdf() });
    expect(meta).toMatchObject({
      mediaType: 'application/pdf',
      originalName: 'Giấy khai sinh.pdf',
      uploadedBy: owner.actor.accountId,
      size: samplePdf().length,
    });
  });

  it('staff and the system upload too', async () => {
    expect((await files.upload(provinceStaff, { name: 'a.png', bytes: samplePng() })).uploadedBy).toBe(provinceStaff.actor.accountId);
    expect((await files.upload(system, { name: 'b.xml', bytes: sampleXml() })).uploadedBy).toBeNull();
  });

  it('anonymous may not (401)', async () => {
    const p = await problemOf(files.upload(nobody, { name: 'a.pdf', bytes: samplePdf() }));
    expect(p).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});

describe('read and content: who may', () => {
  let id: string;
  beforeAll(async () => {
    id = (await files.upload(owner, { name: 'CCCD mặt trước.png', bytes: samplePng() })).id;
  });

  it('the uploader reads metadata and content', async () => {
    expect((await files.read(owner, id)).id).toBe(id);
    const c = await files.content(owner, id);
    expect(c.bytes.equals(samplePng())).toBe(true);
    expect(c).toMatchObject({ downloadName: 'CCCD mặt trước.png', inline: true });
  });

  it('the system reads any file', async () => {
    expect((await files.read(system, id)).uploadedBy).toBe(owner.actor.accountId);
    expect((await files.content(system, id)).bytes.equals(samplePng())).toBe(true);
  });

  it('another citizen gets 404, as if it did not exist', async () => {
    expect(await problemOf(files.read(otherCitizen, id))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await problemOf(files.content(otherCitizen, id))).toMatchObject({ status: 404 });
  });

  it('staff holding files.upload province-wide still get 404 for someone else’s file', async () => {
    expect(await problemOf(files.read(provinceStaff, id))).toMatchObject({ status: 404 });
    expect(await problemOf(files.content(provinceStaff, id))).toMatchObject({ status: 404 });
  });

  it('anonymous gets 401', async () => {
    expect(await problemOf(files.read(nobody, id))).toMatchObject({ status: 401 });
    expect(await problemOf(files.content(nobody, id))).toMatchObject({ status: 401 });
  });

  it('unknown and malformed ids are 404, never a database error', async () => {
    expect(await problemOf(files.read(owner, randomUUID()))).toMatchObject({ status: 404 });
    expect(await problemOf(files.read(owner, "x' or 1=1 --"))).toMatchObject({ status: 404 });
  });
});

describe('upload: storage and audit', () => {
  it('stores identical bytes once but records each upload', async () => {
    const bytes = samplePdf('bản sao');
    const a = await files.upload(owner, { name: 'a.pdf', bytes });
    const b = await files.upload(otherCitizen, { name: 'b.pdf', bytes });
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toBe(b.sha256);
    const blobDir = path.join(dir, a.sha256.slice(0, 2), a.sha256.slice(2, 4));
    expect(fs.readdirSync(blobDir)).toEqual([a.sha256]);
  });

  it('records an audit entry per upload, without the file name', async () => {
    const meta = await files.upload(owner, { name: 'Nguyen Van A 012345678901.pdf', bytes: samplePdf('audit') });
    const rows = await db.rows<{ action: string; actor_id: string; details: Record<string, unknown> }>(
      sql`select action, actor_id, details from audit_log where target_type = 'file' and target_id = ${meta.id}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'files.upload',
      actor_id: owner.actor.accountId,
      details: { sha256: meta.sha256, size: meta.size, mediaType: 'application/pdf' },
    });
    expect(JSON.stringify(rows[0]!.details)).not.toContain('012345678901');
  });

  it('refuses an infected file with 422, stores nothing and audits the refusal', async () => {
    const infected = Buffer.concat([samplePdf('nhiễm'), eicarBytes()]);
    const before = await db.rows<{ n: number }>(sql`select count(*)::int as n from files`);
    const p = await problemOf(files.upload(owner, { name: 'virus.pdf', bytes: infected }));
    expect(p).toMatchObject({ status: 422, code: 'file_infected', title: 'Tệp chứa mã độc' });
    expect(p.detail).toContain('Eicar-Test-Signature');
    const after = await db.rows<{ n: number }>(sql`select count(*)::int as n from files`);
    expect(after[0]!.n).toBe(before[0]!.n);
    const sha = sha256Hex(infected);
    expect(fs.existsSync(path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha))).toBe(false);
    const refused = await db.rows<{ details: Record<string, unknown> }>(
      sql`select details from audit_log where action = 'files.upload_refused' and actor_id = ${owner.actor.accountId}`,
    );
    expect(refused.at(-1)?.details).toMatchObject({ reason: 'infected', signature: 'Eicar-Test-Signature' });
  });

  it('fails closed with 503 when the scanner is down', async () => {
    const down: VirusScanner = {
      scan: async () => {
        throw new ScannerUnavailableError('clamd không trả lời');
      },
    };
    const withDown = createFileService({ db, blobs: new LocalBlobStore(dir), scanner: down, maxBytes: 64 * 1024 });
    const p = await problemOf(withDown.upload(owner, { name: 'a.pdf', bytes: samplePdf('down') }));
    expect(p).toMatchObject({ status: 503, code: 'virus_scanner_unavailable' });
  });

  it('checks type and size before anything is stored', async () => {
    expect(await problemOf(files.upload(owner, { name: 'x.pdf', bytes: Buffer.from('MZ giả PDF') }))).toMatchObject({
      status: 415,
    });
    const big = Buffer.concat([samplePdf(), Buffer.alloc(64 * 1024)]);
    expect(await problemOf(files.upload(owner, { name: 'big.pdf', bytes: big }))).toMatchObject({ status: 413 });
  });
});
