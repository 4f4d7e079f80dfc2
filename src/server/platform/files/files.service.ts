/**
 * Use cases of the files block: upload a file (checked, scanned, stored once by content) and read
 * it back. A file belongs to the account that uploaded it; only that account and the platform
 * itself (system context) can read it. A module that lets others see a file — an officer opening a
 * dossier's attachment — checks its own access rules first and then reads with a system context.
 */

import { randomUUID } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { auditAppend, recordAudit } from '../audit/audit';
import { requireAccess } from '../auth/access';
import type { Actor, RequestContext } from '../auth/actor';
import type { Database, Orm } from '../db/database';
import { problems } from '../http/problem';
import type { BlobStore } from './blob-store';
import { allowedTypes, checkUpload, cleanName, inlineMediaTypes, safeFileName, uploadProblems } from './file-checks';
import { type FilesRepo, filesRepo } from './files.repo';
import type { FileRow } from './files.tables';
import { ScannerUnavailableError, type VirusScanner } from './virus-scan';

export interface FileMeta {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string;
  uploadedBy: string | null;
  createdAt: string;
}

export interface FileContent {
  file: FileMeta;
  bytes: Buffer;
  /** Name to offer on download: cleaned, with an extension matching the real type. */
  downloadName: string;
  /** Whether a browser may show it in place (PDF and common images). */
  inline: boolean;
}

export interface UploadInput {
  /** The name the user gave the file; kept for display only, never trusted for the type. */
  name: string;
  bytes: Buffer;
}

export interface FileService {
  /** Largest accepted upload in bytes (UPLOAD_MAX_BYTES). */
  readonly maxBytes: number;
  upload(ctx: RequestContext, input: UploadInput): Promise<FileMeta>;
  read(ctx: RequestContext, id: string): Promise<FileMeta>;
  /** Several files at once (one query), by id; the ones the actor may not see (or that do not exist) are absent. */
  readMany(ctx: RequestContext, ids: string[]): Promise<Map<string, FileMeta>>;
  content(ctx: RequestContext, id: string): Promise<FileContent>;
}

export interface FileServiceDeps {
  db: Database;
  blobs: BlobStore;
  /** null = virus scanning off. */
  scanner: VirusScanner | null;
  maxBytes: number;
}

/**
 * Any signed-in actor may upload: the new file is their own. Anonymous callers get 401.
 * Routes call this before reading a request body, so anonymous uploads are refused unread.
 */
export function requireUploader(actor: Actor): void {
  requireAccess(actor, 'files.upload', { ownerAccountId: actor.accountId });
}

/** Who may see a file: its uploader, or the platform itself. */
function ownerFilter(actor: Actor): string | 'any' | null {
  if (actor.kind === 'system') return 'any';
  return actor.accountId;
}

function toMeta(row: FileRow): FileMeta {
  return {
    id: row.id,
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.mediaType,
    originalName: row.originalName,
    uploadedBy: row.uploadedBy ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export function createFileService(deps: FileServiceDeps): FileService {
  const { db, blobs, scanner, maxBytes } = deps;
  const repo: FilesRepo = filesRepo(db);

  async function scan(ctx: RequestContext, bytes: Buffer, mediaType: string): Promise<void> {
    if (!scanner) return;
    let result: Awaited<ReturnType<VirusScanner['scan']>>;
    try {
      result = await scanner.scan(bytes);
    } catch (err) {
      // Fail closed: an unscanned file is never accepted while scanning is switched on.
      if (err instanceof ScannerUnavailableError) throw uploadProblems.scannerUnavailable();
      throw err;
    }
    if (result.clean) return;
    await db.orm.transaction(async (tx) => {
      await recordAudit(tx, ctx, {
        action: 'files.upload_refused',
        targetType: 'file',
        details: { reason: 'infected', signature: result.signature, size: bytes.length, mediaType },
      });
    });
    throw uploadProblems.infected(result.signature);
  }

  /** The file if the actor may see it: their own upload, or any file for the system. Others: 404. */
  async function findVisible(actor: Actor, id: string): Promise<FileRow> {
    const owner = ownerFilter(actor);
    const row = owner === null ? undefined : await repo.find(id, owner);
    if (!row) throw problems.notFound('Không tìm thấy tệp.');
    return row;
  }

  return {
    maxBytes,

    async upload(ctx, input) {
      requireUploader(ctx.actor);
      const type = await checkUpload(input.bytes, maxBytes);
      await scan(ctx, input.bytes, type.mediaType);
      // The blob is stored before the row: a crash in between leaves an unreferenced blob (harmless),
      // never a row without its bytes.
      const blob = await blobs.put(input.bytes);
      const id = randomUUID();
      // No file name in the log: names often carry personal data ("CCCD_Nguyen_Van_A.pdf").
      const audit = auditAppend(ctx, {
        action: 'files.upload',
        targetType: 'file',
        targetId: id,
        details: { sha256: blob.sha256, size: blob.size, mediaType: type.mediaType },
      });
      // Row and audit entry in one statement, atomic on its own: no BEGIN/COMMIT round trips.
      const row = await repo.insertWith(
        {
          id,
          sha256: blob.sha256,
          size: blob.size,
          mediaType: type.mediaType,
          originalName: cleanName(input.name) || `tep.${type.ext}`,
          uploadedBy: ctx.actor.accountId,
        },
        audit,
      );
      return toMeta(row);
    },

    async read(ctx, id) {
      // Signed in; which files are visible is decided by findVisible (own files only).
      requireAccess(ctx.actor, 'files.upload', { ownerAccountId: ctx.actor.accountId });
      return toMeta(await findVisible(ctx.actor, id));
    },

    async readMany(ctx, ids) {
      requireAccess(ctx.actor, 'files.upload', { ownerAccountId: ctx.actor.accountId });
      const owner = ownerFilter(ctx.actor);
      const rows = owner === null ? [] : await repo.findMany(ids, owner);
      return new Map(rows.map((r) => [r.id, toMeta(r)]));
    },

    async content(ctx, id) {
      requireAccess(ctx.actor, 'files.upload', { ownerAccountId: ctx.actor.accountId });
      const row = await findVisible(ctx.actor, id);
      const bytes = await blobs.get(row.sha256);
      const type = allowedTypes.find((t) => t.mediaType === row.mediaType) ?? { ext: 'bin' };
      return {
        file: toMeta(row),
        bytes,
        downloadName: safeFileName(row.originalName, type),
        inline: inlineMediaTypes.has(row.mediaType),
      };
    },
  };
}
