/**
 * S3-compatible blob storage (MinIO, Ceph, provincial object storage) through the AWS SDK.
 * Kept apart from blob-store.ts so the SDK is loaded only when S3 is configured.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobNotFoundError, type BlobRef, type BlobStore, blobKey, sha256Hex, verified } from './blob-store';

export interface S3Settings {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Key prefix inside the bucket, e.g. "files/". */
  prefix?: string;
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;

  constructor(readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
      // Send checksums only where S3 requires them: many S3-compatible servers (MinIO, Ceph, older
      // gateways) reject the SDK's default streaming CRC trailers. Integrity is checked by our own
      // SHA-256 on read anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private keyOf(sha256: string): string {
    return `${this.settings.prefix ?? ''}${blobKey(sha256)}`;
  }

  async put(bytes: Buffer): Promise<BlobRef> {
    const ref = { sha256: sha256Hex(bytes), size: bytes.length };
    if (await this.has(ref.sha256)) return ref;
    // A single PUT is atomic in S3: the object appears whole or not at all.
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: this.keyOf(ref.sha256),
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: 'application/octet-stream',
      }),
    );
    return ref;
  }

  async get(sha256: string): Promise<Buffer> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }));
      if (!res.Body) throw new BlobNotFoundError(sha256);
      return verified(sha256, Buffer.from(await res.Body.transformToByteArray()));
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(sha256);
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }));
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** S3-compatible storage when `S3_BUCKET` is set, otherwise the local folder `${dataDir}/files`. */
