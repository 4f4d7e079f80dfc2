/**
 * Content-addressed blob storage: a blob's name is the SHA-256 of its bytes, so the same bytes are
 * stored once however often they are uploaded, and a blob can be checked against its name.
 *
 * Two stores speak the same interface: a local folder (default, `${dataDir}/files`) and any
 * S3-compatible object store (when `S3_BUCKET` is set). Blobs are laid out as `ab/cd/<sha256>`
 * so no folder grows too large.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config';
import { BlobWriter } from './blob-writer';

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

  private readonly writer: BlobWriter;

  constructor(readonly root: string) {
    this.writer = new BlobWriter(root);
  }

  private pathOf(sha256: string): string {
    return path.join(this.root, ...blobKey(sha256).split('/'));
  }

  /** Hashed, written beside, flushed, renamed into place and the folder flushed, on a writer thread. */
  put(bytes: Buffer): Promise<BlobRef> {
    return this.writer.put(bytes);
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

/** The S3 SDK (~25 MB of memory) is loaded only when S3 storage is configured. */
export async function createBlobStore(config: Pick<Config, 'dataDir' | 'files'>): Promise<BlobStore> {
  const s3 = config.files.s3;
  if (s3) {
    const { S3BlobStore } = await import('./s3-blob-store');
    return new S3BlobStore(s3);
  }
  return new LocalBlobStore(path.join(config.dataDir, 'files'));
}
