import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config';
import { BlobCorruptError, BlobNotFoundError, type BlobStore, blobKey, createBlobStore, LocalBlobStore, sha256Hex } from './blob-store';
import { S3BlobStore } from './s3-blob-store';
import { samplePdf, samplePng } from './testing';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-blobs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MISSING = 'f'.repeat(64);

/** The behaviour every store must have. */
function contract(name: string, make: () => BlobStore) {
  describe(`${name}: BlobStore contract`, () => {
    it('stores bytes under their SHA-256 and gives them back', async () => {
      const store = make();
      const bytes = samplePdf('hợp đồng');
      const ref = await store.put(bytes);
      expect(ref).toEqual({ sha256: sha256Hex(bytes), size: bytes.length });
      expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.has(ref.sha256)).toBe(true);
      expect((await store.get(ref.sha256)).equals(bytes)).toBe(true);
    });

    it('stores the same bytes once', async () => {
      const store = make();
      const a = await store.put(samplePng());
      const b = await store.put(Buffer.from(samplePng()));
      expect(b).toEqual(a);
      expect((await store.get(a.sha256)).equals(samplePng())).toBe(true);
    });

    it('stores an empty blob and a large one', async () => {
      const store = make();
      const empty = await store.put(Buffer.alloc(0));
      expect(empty.size).toBe(0);
      expect((await store.get(empty.sha256)).length).toBe(0);
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      const ref = await store.put(big);
      expect((await store.get(ref.sha256)).equals(big)).toBe(true);
    });

    it('reports a missing blob', async () => {
      const store = make();
      expect(await store.has(MISSING)).toBe(false);
      await expect(store.get(MISSING)).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('deletes, and deleting twice is fine', async () => {
      const store = make();
      const ref = await store.put(Buffer.from('xoá tôi'));
      await store.delete(ref.sha256);
      expect(await store.has(ref.sha256)).toBe(false);
      await expect(store.get(ref.sha256)).rejects.toBeInstanceOf(BlobNotFoundError);
      await store.delete(ref.sha256);
    });

    it('refuses names that are not SHA-256 (no path tricks)', async () => {
      const store = make();
      for (const bad of ['../../etc/passwd', 'ABC', `${'a'.repeat(63)}/`, 'A'.repeat(64)]) {
        await expect(store.get(bad)).rejects.toThrow(/invalid blob name/);
        await expect(store.delete(bad)).rejects.toThrow(/invalid blob name/);
      }
    });
  });
}

contract('LocalBlobStore', () => new LocalBlobStore(path.join(tmp, 'local')));

describe('LocalBlobStore on disk', () => {
  const root = path.join(tmp, 'layout');
  const store = new LocalBlobStore(root);

  it('lays blobs out as ab/cd/<sha256> and leaves no temporary files', async () => {
    const ref = await store.put(Buffer.from('bố cục'));
    expect(blobKey(ref.sha256)).toBe(`${ref.sha256.slice(0, 2)}/${ref.sha256.slice(2, 4)}/${ref.sha256}`);
    const file = path.join(root, ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), ref.sha256);
    expect(fs.readFileSync(file, 'utf8')).toBe('bố cục');
    expect(fs.readdirSync(path.dirname(file))).toEqual([ref.sha256]);
  });

  it('writes concurrently without clashing', async () => {
    const bytes = Buffer.from('cùng lúc');
    const refs = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    expect(new Set(refs.map((r) => r.sha256)).size).toBe(1);
    const dir = path.join(root, refs[0]!.sha256.slice(0, 2), refs[0]!.sha256.slice(2, 4));
    expect(fs.readdirSync(dir)).toEqual([refs[0]!.sha256]);
  });

  it('stores the same bytes again as one blob, replaced whole (never a partial or second copy)', async () => {
    const ref = await store.put(Buffer.from('một lần'));
    const file = path.join(root, ...blobKey(ref.sha256).split('/'));
    expect((await store.put(Buffer.from('một lần'))).sha256).toBe(ref.sha256);
    expect(fs.readdirSync(path.dirname(file))).toEqual([ref.sha256]);
    expect((await store.get(ref.sha256)).toString()).toBe('một lần');
    // A damaged copy is repaired by the next upload of the same bytes.
    fs.writeFileSync(file, 'bị sửa');
    await store.put(Buffer.from('một lần'));
    expect((await store.get(ref.sha256)).toString()).toBe('một lần');
  });

  it('makes a folder emptied by hand again, and reports a store it cannot write to', async () => {
    const ref = await store.put(Buffer.from('thư mục'));
    fs.rmSync(path.join(root, ref.sha256.slice(0, 2)), { recursive: true, force: true });
    for (let i = 0; i < 4; i++) expect((await store.put(Buffer.from('thư mục'))).sha256).toBe(ref.sha256);
    expect((await store.get(ref.sha256)).toString()).toBe('thư mục');
    const blocked = path.join(tmp, 'not-a-folder');
    fs.writeFileSync(blocked, 'a file where the store should be');
    const broken = new LocalBlobStore(blocked);
    await expect(broken.put(Buffer.from('không ghi được'))).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    // The writer threads survive a failed write.
    expect((await store.put(Buffer.from('vẫn ghi được'))).size).toBe(Buffer.from('vẫn ghi được').length);
  });

  it('detects a damaged blob instead of serving it', async () => {
    const ref = await store.put(Buffer.from('nguyên vẹn'));
    const file = path.join(root, ...blobKey(ref.sha256).split('/'));
    fs.writeFileSync(file, 'bị sửa');
    await expect(store.get(ref.sha256)).rejects.toBeInstanceOf(BlobCorruptError);
  });
});

describe('S3BlobStore against an S3-compatible server (s3rver)', () => {
  let server: S3rver;
  let settings: ConstructorParameters<typeof S3BlobStore>[0];
  const dir = path.join(tmp, 's3rver');

  beforeAll(async () => {
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      directory: dir,
      silent: true,
      configureBuckets: [{ name: 'tinhso-files' }],
    });
    const { port } = await server.run();
    settings = {
      bucket: 'tinhso-files',
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    };
  });
  afterAll(async () => server?.close());

  contract('S3BlobStore', () => new S3BlobStore(settings));

  it('keeps objects at ab/cd/<sha256> in the bucket', async () => {
    const store = new S3BlobStore(settings);
    const ref = await store.put(Buffer.from('trong bucket'));
    const found = fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .some((p) => p.replaceAll(path.sep, '/').includes(blobKey(ref.sha256)));
    expect(found).toBe(true);
  });

  it('uploads the same bytes once (second put only asks whether it exists)', async () => {
    const store = new S3BlobStore(settings);
    const bytes = Buffer.from('chỉ một bản');
    await store.put(bytes);
    const send = vi.spyOn(store.client, 'send');
    await store.put(bytes);
    expect(send.mock.calls.map(([cmd]) => cmd.constructor.name)).toEqual(['HeadObjectCommand']);
  });

  it('is chosen by createBlobStore when S3_BUCKET is set', async () => {
    const url = new URL(settings.endpoint!);
    const config = loadConfig({
      TINHSO_DATA_DIR: tmp,
      S3_BUCKET: 'tinhso-files',
      S3_ENDPOINT: url.origin,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const store = await createBlobStore(config);
    expect(store.kind).toBe('s3');
    const ref = await store.put(Buffer.from('qua cấu hình'));
    expect((await new S3BlobStore(settings).get(ref.sha256)).toString()).toBe('qua cấu hình');
  });

  it('fails loudly when the bucket does not exist', async () => {
    const store = new S3BlobStore({ ...settings, bucket: 'khong-co' });
    await expect(store.put(Buffer.from('x'))).rejects.toThrow();
  });
});

describe('createBlobStore', () => {
  it('uses <dataDir>/files when S3 is not configured', async () => {
    const store = await createBlobStore(loadConfig({ TINHSO_DATA_DIR: tmp }));
    expect(store).toBeInstanceOf(LocalBlobStore);
    expect((store as LocalBlobStore).root).toBe(path.join(tmp, 'files'));
  });
});
