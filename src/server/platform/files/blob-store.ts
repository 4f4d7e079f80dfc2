/**
 * Content-addressed blob storage: a blob's name is the SHA-256 of its bytes, so the same bytes are
 * stored once however often they are uploaded, and a blob can be checked against its name.
 *
 * Two stores speak the same interface: a local folder (default, `${dataDir}/files`) and any
 * S3-compatible object store (when `S3_BUCKET` is set). Blobs are laid out as `ab/cd/<sha256>`
 * so no folder grows too large.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config';

export interface BlobRef {
  /** Lower-case hex SHA-256 of the bytes: the blob's name. */
  sha256: string;
  size: number;
}

export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Stores the bytes (once: putting the same bytes again is a no-op) and returns their name. */
  put(bytes: Buffer): Promise<BlobRef>;
  /** The stored bytes; throws BlobNotFoundError when there is no such blob. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(sha256: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`blob ${sha256} not found`);
    this.name = 'BlobNotFoundError';
  }
}

/** The stored bytes do not hash to their name: the storage was damaged or tampered with. */
export class BlobCorruptError extends Error {
  constructor(readonly sha256: string) {
    super(`blob ${sha256} does not match its SHA-256`);
    this.name = 'BlobCorruptError';
  }
}

const SHA256_RE = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Rejects anything that is not a SHA-256 name, so a name can never walk out of the store. */
export function assertSha256(sha256: string): void {
  if (!SHA256_RE.test(sha256)) throw new Error(`invalid blob name "${sha256.slice(0, 80)}"`);
}

/** `ab/cd/abcd…` — the relative key of a blob in either store. */
export function blobKey(sha256: string): string {
  assertSha256(sha256);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export function verified(sha256: string, bytes: Buffer): Buffer {
  if (sha256Hex(bytes) !== sha256) throw new BlobCorruptError(sha256);
  return bytes;
}

export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;

  /** Folders known to exist (created or found by this process): no mkdir on every put. */
  private readonly dirs = new Set<string>();

  constructor(readonly root: string) {}

  private pathOf(sha256: string): string {
    return path.join(this.root, ...blobKey(sha256).split('/'));
  }

  async put(bytes: Buffer): Promise<BlobRef> {
    const ref = { sha256: sha256Hex(bytes), size: bytes.length };
    const target = this.pathOf(ref.sha256);
    // No existence check first: bytes already stored are rare (each upload is a new scan), and renaming
    // the same bytes over them changes nothing.
    const dir = path.dirname(target);
    if (!this.dirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true });
      if (this.dirs.size > 70_000) this.dirs.clear(); // 65,536 folders at most (ab/cd)
      this.dirs.add(dir);
    }
    // Write beside the target, flush, then rename (atomic, also over an existing copy): a reader sees
    // either no blob or the whole blob, and a crash after put() returns cannot lose it.
    const temp = path.join(dir, `.${ref.sha256}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fs.open(temp, 'wx', 0o640).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      // The folder went away since it was created (store emptied by hand): make it again.
      await fs.mkdir(dir, { recursive: true });
      return fs.open(temp, 'wx', 0o640);
    });
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, target);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
    await syncDir(dir);
    return ref;
  }

  async get(sha256: string): Promise<Buffer> {
    try {
      return verified(sha256, await fs.readFile(this.pathOf(sha256)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(sha256);
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async delete(sha256: string): Promise<void> {
    await fs.rm(this.pathOf(sha256), { force: true });
  }
}

/** Makes a rename durable (the directory entry itself must reach the disk). */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the data itself is already synced.
  } finally {
    await handle?.close();
  }
}

/** The S3 SDK (~25 MB of memory) is loaded only when S3 storage is configured. */
export async function createBlobStore(config: Pick<Config, 'dataDir' | 'files'>): Promise<BlobStore> {
  const s3 = config.files.s3;
  if (s3) {
    const { S3BlobStore } = await import('./s3-blob-store');
    return new S3BlobStore(s3);
  }
  return new LocalBlobStore(path.join(config.dataDir, 'files'));
}
