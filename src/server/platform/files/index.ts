/**
 * The files block: what the rest of the server may use.
 */
import type { Config } from '../../config';
import type { Database } from '../db/database';
import { createBlobStore } from './blob-store';
import { createFileService, type FileService } from './files.service';
import { createVirusScanner } from './virus-scan';

export { BlobNotFoundError, type BlobRef, type BlobStore, createBlobStore, LocalBlobStore } from './blob-store';
export { type AllowedType, allowedTypes, contentDisposition } from './file-checks';
export { contentHeaders, registerFileRoutes } from './files.routes';
export type { FileContent, FileMeta, FileService, UploadInput } from './files.service';
export type { S3BlobStore, S3Settings } from './s3-blob-store';
export { ClamdScanner, createVirusScanner, EICAR, type ScanResult, type VirusScanner } from './virus-scan';

/** The file service with the blob store and virus scanner chosen by config. */
export async function createFiles(config: Config, db: Database): Promise<FileService> {
  return createFileService({
    db,
    blobs: await createBlobStore(config),
    scanner: createVirusScanner(config),
    maxBytes: config.files.maxBytes,
  });
}
