/**
 * What the dossiers module gets from the store: reuse of a document in a dossier ("submit once"), the
 * reads of officers through the dossier, counter scans, and — as a dossier action listener — the
 * e-result added to the owner's store when the result is returned.
 */
import { recordAudit } from '../../platform/audit/audit';
import { requireSignedIn } from '../../platform/auth/access';
import { systemContext } from '../../platform/auth/actor';
import { localIsoDate } from '../../platform/calendar';
import type { Database, Orm } from '../../platform/db/database';
import type { FileService } from '../../platform/files';
import { type FieldError, problems } from '../../platform/http/problem';
import type { DossierActionListener, DossierRecord } from '../dossiers';
import type { ReuseDossier, ReusePort } from '../dossiers/dossiers.reuse';
import { agencyOfAccount } from '../org';
import { edataRepo, principalOf } from './edata.repo';
import { isValid, metadataErrors, samePrincipal, today } from './edata.service';
import { type ActingRule, docTypeCodes, type Principal } from './edata.types';

/** Whose a dossier is: its business (when the parties module set one) or its owner account. */
export function dossierPrincipal(d: ReuseDossier): Principal | null {
  if (d.ownerBusinessId) return { kind: 'business', businessId: d.ownerBusinessId };
  if (d.ownerAccountId) return { kind: 'citizen', accountId: d.ownerAccountId };
  return null;
}

export function edataReusePort(db: Database, files: FileService, acting: ActingRule): ReusePort {
  const repo = edataRepo(db);

  return {
    async resolve(ctx, refs, procedureCode, field) {
      if (!refs.length) return { metas: new Map(), errors: [] };
      requireSignedIn(ctx.actor);
      const me = ctx.actor.accountId;
      const rows = new Map((await repo.byIds([...new Set(refs.map((r) => r.documentId))])).map((r) => [r.id, r]));
      const errors: FieldError[] = [];
      const day = today();
      const allowed = new Map<string, boolean>();
      for (const ref of refs) {
        const row = rows.get(ref.documentId);
        let ok = false;
        if (row && ctx.actor.kind === 'citizen') {
          const owner = principalOf(row);
          const key = JSON.stringify(owner);
          if (!allowed.has(key)) {
            // Same rule as reading the store: the citizen himself, or a representative of the business.
            const mayUse = owner.kind === 'citizen' ? owner.accountId === me : await acting.canActFor(me, owner, procedureCode);
            allowed.set(key, mayUse);
          }
          ok = allowed.get(key) === true;
        }
        const at = `${field}/${ref.index}`;
        if (!row || !ok) errors.push({ field: `${at}/edataDocumentId`, message: 'Không tìm thấy giấy tờ trong kho dữ liệu' });
        else if (row.file_id !== ref.fileId)
          errors.push({ field: `${at}/fileId`, message: 'Tệp không phải của giấy tờ đã chọn trong kho dữ liệu' });
        else if (!isValid(row.valid_until, day)) {
          errors.push({ field: `${at}/edataDocumentId`, message: `Giấy tờ "${row.title}" đã hết hiệu lực, không dùng lại được` });
        }
      }
      const metas = errors.length ? new Map() : await files.readMany(systemContext('edata'), [...new Set(refs.map((r) => r.fileId))]);
      return { metas, errors };
    },

    async recordReuse(tx, ctx, dossier, refs, field) {
      if (!refs.length) return;
      const owner = dossierPrincipal(dossier);
      const errors: FieldError[] = [];
      const entries = [];
      const seen = new Set<string>();
      for (const ref of refs) {
        const row = await repo.byId(ref.documentId, tx);
        if (!row || !owner || !samePrincipal(principalOf(row), owner)) {
          errors.push({
            field: `${field}/${ref.index}/edataDocumentId`,
            message: 'Giấy tờ trong kho dữ liệu không thuộc người đứng tên hồ sơ',
          });
          continue;
        }
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        entries.push({
          documentId: row.id,
          owner: principalOf(row),
          action: 'reuse' as const,
          actorAccountId: ctx.actor.accountId,
          actorLabel: ctx.actor.label,
          dossierId: dossier.id,
          dossierCode: dossier.code,
        });
      }
      if (errors.length) throw problems.validation(errors);
      // A draft saved again names the same documents: one 'reuse' entry per document and dossier.
      const already = await repo.reusedIn(
        tx,
        dossier.id,
        entries.map((e) => e.documentId),
      );
      await repo.logAccess(
        entries.filter((e) => !already.has(e.documentId)),
        tx,
      );
    },

    async recordRead(ctx, dossier, fileId, action) {
      const owner = dossierPrincipal(dossier);
      if (!owner) return;
      // The owner reading his own dossier is not an access by someone else.
      if (owner.kind === 'citizen' && owner.accountId === ctx.actor.accountId) return;
      const docs = await repo.byFile(owner, fileId.toLowerCase());
      if (!docs.length) return;
      const agency = ctx.actor.kind === 'staff' && ctx.actor.accountId ? await agencyOfAccount(db, ctx.actor.accountId) : null;
      await repo.logAccess(
        docs.map((d) => ({
          documentId: d.id,
          owner,
          action,
          actorAccountId: ctx.actor.accountId,
          actorLabel: ctx.actor.label,
          actorAgency: agency?.name ?? null,
          dossierId: dossier.id,
          dossierCode: dossier.code,
        })),
      );
    },

    async saveCounterScan(tx, ctx, dossier, scan) {
      const owner = dossierPrincipal(dossier);
      if (!owner) {
        throw problems.unprocessable(
          'no_store',
          'Người nộp chưa có tài khoản',
          'Chỉ lưu được bản số hoá vào kho dữ liệu của người nộp đã có tài khoản (hồ sơ có chủ tài khoản).',
        );
      }
      const errors = metadataErrors(scan);
      if (!(docTypeCodes as string[]).includes(scan.type)) errors.push({ field: 'type', message: 'Loại giấy tờ không hợp lệ' });
      if (errors.length) throw problems.validation(errors);
      const id = await repo.insert(tx, {
        owner,
        docType: scan.type,
        title: scan.title.trim(),
        number: scan.number?.trim() || null,
        issuer: scan.issuer?.trim() || null,
        issuedOn: scan.issuedOn ?? null,
        validUntil: scan.validUntil ?? null,
        fileId: scan.fileId.toLowerCase(),
        source: 'counter',
        dossierId: dossier.id,
        dossierCode: dossier.code,
        createdBy: ctx.actor.accountId,
      });
      await recordAudit(tx, ctx, {
        action: 'edata.counter_scan_saved',
        targetType: 'edata_document',
        targetId: id,
        details: { dossierId: dossier.id, type: scan.type },
      });
      return id;
    },
  };
}

/**
 * Hears dossier actions, in the action's transaction: on submission, names the dossier in the reuse entries
 * made while it was a draft; when the result is returned, adds the signed e-result to the owner's store
 * (source 'result', immutable, with the dossier's code; once per dossier and file).
 */
export function resultListener(db: Database): DossierActionListener {
  const repo = edataRepo(db);
  return async (tx: Orm, d: DossierRecord, action) => {
    // Papers reused in a draft were logged without a code: the submission gives the dossier its code. A dossier
    // created and submitted at once (same instant) had no draft: its reuse is logged after, with the code.
    if (action.action === 'submit' && d.code) {
      return d.createdAt === action.at.toISOString() ? undefined : repo.nameDossier(tx, d.id, d.code);
    }
    if (action.action !== 'advance' || !d.resultFileId || d.returnedAt !== action.at.toISOString()) return;
    const owner = dossierPrincipal(d as ReuseDossier);
    if (!owner) return;
    const id = await repo.insert(tx, {
      owner,
      docType: 'ket_qua_tthc',
      title: `Kết quả giải quyết hồ sơ ${d.code ?? ''}`.trim(),
      number: d.code,
      issuer: null,
      issuedOn: d.resultSignedAt ? localIsoDate(new Date(d.resultSignedAt)) : null,
      validUntil: null,
      fileId: d.resultFileId,
      source: 'result',
      dossierId: d.id,
      dossierCode: d.code,
      createdBy: null,
    });
    if (id) {
      await recordAudit(tx, systemContext('edata'), {
        action: 'edata.result_added',
        targetType: 'edata_document',
        targetId: id,
        details: { dossierId: d.id, code: d.code },
      });
    }
  };
}
