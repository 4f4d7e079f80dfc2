/**
 * Use cases of the e-data store: the owner's (or a representative's / authorised proxy's) store —
 * list, add, edit, delete, download, access log, share links — and the public share link.
 * Officers have no store API: they see a store document only through a dossier that uses it
 * (edata.port.ts, called by the dossiers module).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { requireSignedIn } from '../../platform/auth/access';
import { type RequestContext, systemContext } from '../../platform/auth/actor';
import { localIsoDate } from '../../platform/calendar';
import type { Database, Orm } from '../../platform/db/database';
import type { FileContent, FileService } from '../../platform/files';
import { decodeCursorPair, encodeCursor } from '../../platform/http/pagination';
import { type FieldError, Problem, problems } from '../../platform/http/problem';
import { type AccessRow, type DocumentRow, type EdataRepo, edataRepo, principalOf, type ShareRow } from './edata.repo';
import type {
  AccessEntry,
  AddDocumentBody,
  CreateShareBody,
  EdataDocument,
  EditDocumentBody,
  LogQuery,
  OwnerOnlyQuery,
  Share,
  SharedDocument,
  StoreQuery,
} from './edata.schemas';
import { type ActingRule, docTypeName, docTypes, type Principal } from './edata.types';

export interface EdataDeps {
  db: Database;
  config: Config;
  files: FileService;
  acting: ActingRule;
}

const notFound = () => problems.notFound('Không tìm thấy giấy tờ trong kho dữ liệu.');
const gone = () =>
  new Problem(
    410,
    'share_gone',
    'Liên kết không còn hiệu lực',
    'Liên kết chia sẻ đã hết hạn hoặc đã bị thu hồi. Vui lòng xin chủ giấy tờ liên kết mới.',
  );
/** Who opened a share link (anonymous by design). */
const SHARE_VISITOR = 'Người mở liên kết chia sẻ';

export const today = () => localIsoDate(new Date());
export const isValid = (validUntil: string | null, day = today()) => validUntil === null || validUntil >= day;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const samePrincipal = (a: Principal, b: Principal) =>
  a.kind === b.kind && (a.kind === 'citizen' ? a.accountId === (b as typeof a).accountId : a.businessId === (b as typeof a).businessId);

export function toDocument(r: DocumentRow, day = today()): EdataDocument {
  return {
    id: r.id,
    type: r.doc_type,
    typeName: docTypeName(r.doc_type),
    title: r.title,
    number: r.number,
    issuer: r.issuer,
    issuedOn: r.issued_on,
    validUntil: r.valid_until,
    valid: isValid(r.valid_until, day),
    source: r.source,
    deletable: r.source !== 'result',
    editable: r.source === 'upload',
    dossierId: r.dossier_id,
    dossierCode: r.dossier_code,
    file: { id: r.file_id, name: r.file_name, mediaType: r.media_type, size: Number(r.size) },
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const toEntry = (r: AccessRow): AccessEntry => ({
  id: r.id,
  documentId: r.document_id,
  documentTitle: r.document_title,
  at: new Date(r.at).toISOString(),
  action: r.action,
  actorLabel: r.actor_label,
  actorAgency: r.actor_agency,
  dossierId: r.dossier_id,
  dossierCode: r.dossier_code,
});

const toShare = (r: ShareRow, now = Date.now()): Share => ({
  id: r.id,
  documentId: r.document_id,
  createdAt: new Date(r.created_at).toISOString(),
  expiresAt: new Date(r.expires_at).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  openedCount: Number(r.opened_count),
  active: !r.revoked_at && new Date(r.expires_at).getTime() > now,
});

/** Checks the metadata of a document: dates are real days, the validity does not end before the issue. */
export function metadataErrors(v: { title?: string; issuedOn?: string | null; validUntil?: string | null }): FieldError[] {
  const errors: FieldError[] = [];
  const realDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
  if (v.title !== undefined && !v.title.trim()) errors.push({ field: 'title', message: 'Vui lòng nhập tên giấy tờ' });
  if (v.issuedOn && !realDay(v.issuedOn)) errors.push({ field: 'issuedOn', message: 'Ngày cấp không hợp lệ' });
  if (v.validUntil && !realDay(v.validUntil)) errors.push({ field: 'validUntil', message: 'Ngày hết hiệu lực không hợp lệ' });
  if (v.issuedOn && v.issuedOn > today()) errors.push({ field: 'issuedOn', message: 'Ngày cấp không được sau ngày hôm nay' });
  if (v.issuedOn && v.validUntil && v.validUntil < v.issuedOn) {
    errors.push({ field: 'validUntil', message: 'Ngày hết hiệu lực không được trước ngày cấp' });
  }
  return errors;
}

const clean = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

export function edataService(deps: EdataDeps) {
  const { db, config, files, acting } = deps;
  const repo: EdataRepo = edataRepo(db);

  // ---------------------------------------------------------------------------------------------
  // Access: the owner, or a representative of the owning business. Never proxies, never officers.
  // ---------------------------------------------------------------------------------------------

  function requireStoreUser(ctx: RequestContext): asserts ctx is RequestContext & { actor: { accountId: string } } {
    requireSignedIn(ctx.actor);
    if (ctx.actor.kind !== 'citizen') {
      throw problems.forbidden('Kho dữ liệu điện tử chỉ dành cho công dân, tổ chức. Cán bộ xem giấy tờ qua hồ sơ có sử dụng giấy tờ đó.');
    }
  }

  /**
   * A citizen's store is read by that citizen alone — a proxy (ủy quyền) acts on dossiers, never browses the
   * grantor's papers; a business's store by its representatives (canActFor of a business principal).
   */
  async function mayUse(me: string, owner: Principal): Promise<boolean> {
    return owner.kind === 'citizen' ? owner.accountId === me : acting.canActFor(me, owner, null);
  }

  /** The store the request names (default: the actor's own), if the actor may use it. */
  async function storeOf(ctx: RequestContext, q: OwnerOnlyQuery): Promise<Principal> {
    requireStoreUser(ctx);
    const me = ctx.actor.accountId as string;
    const p: Principal = q.businessId ? { kind: 'business', businessId: q.businessId } : { kind: 'citizen', accountId: q.accountId ?? me };
    if (!(await mayUse(me, p))) throw problems.forbidden('Bạn không được xem kho dữ liệu này.');
    return p;
  }

  /** A live document of a store the actor may use; 404 for anyone else. */
  async function docFor(ctx: RequestContext, id: string, tx?: Orm): Promise<DocumentRow> {
    requireStoreUser(ctx);
    const row = await repo.byId(id, tx);
    if (!row) throw notFound();
    const owner = principalOf(row);
    if (!(await mayUse(ctx.actor.accountId as string, owner))) throw notFound();
    return row;
  }

  function audit(tx: Orm, ctx: RequestContext, action: string, doc: { id: string }, details: Record<string, unknown> = {}) {
    return recordAudit(tx, ctx, { action: `edata.${action}`, targetType: 'edata_document', targetId: doc.id, details });
  }

  const shareUrl = (token: string) => `${config.publicUrl.replace(/\/$/, '')}/chia-se/${token}`;

  async function liveShare(token: string) {
    const share = await repo.shareByHash(hashToken(token));
    if (!share) throw problems.notFound('Không tìm thấy liên kết chia sẻ.');
    if (share.revoked_at || share.deleted || new Date(share.expires_at).getTime() <= Date.now()) throw gone();
    const doc = await repo.byId(share.document_id);
    if (!doc) throw gone();
    return { share, doc };
  }

  return {
    types() {
      return docTypes.map((t) => ({ code: t.code, name: t.name, matches: [...t.matches] }));
    },

    async list(ctx: RequestContext, q: StoreQuery) {
      const owner = await storeOf(ctx, q);
      const limit = q.limit ?? 50;
      const day = today();
      const rows = await repo.list(
        owner,
        { type: q.type, source: q.source, validity: q.validity, today: day },
        decodeCursorPair(q.cursor),
        limit,
      );
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map((r) => toDocument(r, day)),
        nextCursor: rows.length > limit && last ? encodeCursor([last.created_key, last.id]) : null,
      };
    },

    async get(ctx: RequestContext, id: string): Promise<EdataDocument> {
      return toDocument(await docFor(ctx, id));
    },

    async add(ctx: RequestContext, body: AddDocumentBody): Promise<EdataDocument> {
      const owner = await storeOf(ctx, body);
      const errors = metadataErrors(body);
      let fileOk = false;
      try {
        // The actor's own upload only (files.read refuses anyone else's).
        await files.read(ctx, body.fileId);
        fileOk = true;
      } catch {
        errors.push({ field: 'fileId', message: 'Không tìm thấy tệp đã tải lên' });
      }
      if (errors.length || !fileOk) throw problems.validation(errors);
      const id = await db.orm.transaction(async (tx) => {
        const id = await repo.insert(tx, {
          owner,
          docType: body.type,
          title: body.title.trim(),
          number: clean(body.number),
          issuer: clean(body.issuer),
          issuedOn: body.issuedOn ?? null,
          validUntil: body.validUntil ?? null,
          fileId: body.fileId,
          source: 'upload',
          dossierId: null,
          dossierCode: null,
          createdBy: ctx.actor.accountId,
        });
        await audit(tx, ctx, 'document_added', { id }, { type: body.type, source: 'upload', owner: owner.kind });
        return id;
      });
      return toDocument((await repo.byId(id)) as DocumentRow);
    },

    async edit(ctx: RequestContext, id: string, body: EditDocumentBody): Promise<EdataDocument> {
      const row = await docFor(ctx, id);
      if (row.source !== 'upload') {
        throw problems.conflict(
          'edata_immutable',
          'Không sửa được giấy tờ này',
          row.source === 'result'
            ? 'Kết quả giải quyết thủ tục hành chính điện tử do cơ quan cấp không được sửa đổi.'
            : 'Bản số hoá tại bộ phận một cửa do cán bộ lập; chỉ xoá được, không sửa được.',
        );
      }
      const next = {
        docType: body.type ?? row.doc_type,
        title: body.title?.trim() ?? row.title,
        number: body.number === undefined ? row.number : clean(body.number),
        issuer: body.issuer === undefined ? row.issuer : clean(body.issuer),
        issuedOn: body.issuedOn === undefined ? row.issued_on : body.issuedOn,
        validUntil: body.validUntil === undefined ? row.valid_until : body.validUntil,
      };
      const errors = metadataErrors({ title: next.title, issuedOn: next.issuedOn, validUntil: next.validUntil });
      if (errors.length) throw problems.validation(errors);
      await db.orm.transaction(async (tx) => {
        await repo.update(tx, id, next);
        await audit(tx, ctx, 'document_edited', row, { fields: Object.keys(body) });
      });
      return toDocument((await repo.byId(id)) as DocumentRow);
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const row = await docFor(ctx, id);
      if (row.source === 'result') {
        throw problems.conflict(
          'edata_result_immutable',
          'Không xoá được kết quả điện tử',
          'Kết quả giải quyết thủ tục hành chính điện tử được lưu vĩnh viễn trong kho dữ liệu và không thể xoá.',
        );
      }
      await db.orm.transaction(async (tx) => {
        if (!(await repo.softDelete(tx, id))) throw notFound();
        await repo.logAccess(
          [
            {
              documentId: id,
              owner: principalOf(row),
              action: 'deleted',
              actorAccountId: ctx.actor.accountId,
              actorLabel: ctx.actor.label,
            },
          ],
          tx,
        );
        await audit(tx, ctx, 'document_deleted', row, { source: row.source });
      });
    },

    async download(ctx: RequestContext, id: string): Promise<FileContent> {
      const row = await docFor(ctx, id);
      const content = await files.content(systemContext('edata'), row.file_id);
      await repo.logAccess([
        { documentId: id, owner: principalOf(row), action: 'download', actorAccountId: ctx.actor.accountId, actorLabel: ctx.actor.label },
      ]);
      return content;
    },

    async documentLog(ctx: RequestContext, id: string, q: LogQuery) {
      await docFor(ctx, id);
      return logPage({ documentId: id }, q);
    },

    async storeLog(ctx: RequestContext, q: LogQuery) {
      return logPage({ owner: await storeOf(ctx, q) }, q);
    },

    async createShare(ctx: RequestContext, id: string, body: CreateShareBody) {
      const row = await docFor(ctx, id);
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + body.hours * 3_600_000);
      const share = await db.orm.transaction(async (tx) => {
        const s = await repo.insertShare(tx, id, hashToken(token), expiresAt, ctx.actor.accountId as string);
        await repo.logAccess(
          [
            {
              documentId: id,
              owner: principalOf(row),
              action: 'share_created',
              actorAccountId: ctx.actor.accountId,
              actorLabel: ctx.actor.label,
            },
          ],
          tx,
        );
        await audit(tx, ctx, 'share_created', row, { shareId: s.id, expiresAt: expiresAt.toISOString() });
        return s;
      });
      return { ...toShare(share), token, url: shareUrl(token) };
    },

    async shares(ctx: RequestContext, id: string) {
      await docFor(ctx, id);
      const now = Date.now();
      return { items: (await repo.shares(id)).map((s) => toShare(s, now)) };
    },

    async revokeShare(ctx: RequestContext, id: string, shareId: string): Promise<Share> {
      const row = await docFor(ctx, id);
      const share = await db.orm.transaction(async (tx) => {
        const s = await repo.revokeShare(tx, id, shareId);
        if (!s) throw problems.notFound('Không tìm thấy liên kết chia sẻ.');
        await repo.logAccess(
          [
            {
              documentId: id,
              owner: principalOf(row),
              action: 'share_revoked',
              actorAccountId: ctx.actor.accountId,
              actorLabel: ctx.actor.label,
            },
          ],
          tx,
        );
        await audit(tx, ctx, 'share_revoked', row, { shareId });
        return s;
      });
      return toShare(share);
    },

    /** Anyone holding the link, without login: what the document is (each open is logged). */
    async openShare(token: string): Promise<SharedDocument> {
      const { share, doc } = await liveShare(token);
      await db.orm.transaction(async (tx) => {
        await repo.countOpen(tx, share.id);
        await repo.logAccess(
          [{ documentId: doc.id, owner: principalOf(doc), action: 'share_opened', actorAccountId: null, actorLabel: SHARE_VISITOR }],
          tx,
        );
      });
      return {
        title: doc.title,
        type: doc.doc_type,
        typeName: docTypeName(doc.doc_type),
        number: doc.number,
        issuer: doc.issuer,
        issuedOn: doc.issued_on,
        validUntil: doc.valid_until,
        valid: isValid(doc.valid_until),
        source: doc.source,
        dossierCode: doc.dossier_code,
        file: { name: doc.file_name, mediaType: doc.media_type, size: Number(doc.size) },
        expiresAt: new Date(share.expires_at).toISOString(),
      };
    },

    /** The bytes behind a live share link (logged as a download by the link's visitor). */
    async shareFile(token: string): Promise<FileContent> {
      const { doc } = await liveShare(token);
      const content = await files.content(systemContext('edata'), doc.file_id);
      await repo.logAccess([
        { documentId: doc.id, owner: principalOf(doc), action: 'download', actorAccountId: null, actorLabel: SHARE_VISITOR },
      ]);
      return content;
    },
  };

  async function logPage(where: Parameters<EdataRepo['accessLog']>[0], q: LogQuery) {
    const limit = q.limit ?? 50;
    const rows = await repo.accessLog(where, decodeCursorPair(q.cursor), limit);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(toEntry),
      nextCursor: rows.length > limit && last ? encodeCursor([last.at_key, last.id]) : null,
    };
  }
}

export type EdataService = ReturnType<typeof edataService>;
