/**
 * Use cases of dossiers at submission and reception. Each starts with its access check; each write
 * appends one action to the dossier's log and writes the row derived from it (dossiers.state.ts) in
 * one transaction that ends with the audit record — a 2xx is only ever sent after that commit.
 */
import { randomUUID } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Config } from '../../config';
import { type AuditEntry, auditAppend, recordAudit } from '../../platform/audit/audit';
import { can, requireAccess, requireSignedIn, scopesFor } from '../../platform/auth/access';
import { type RequestContext, systemContext } from '../../platform/auth/actor';
import { TtlCache } from '../../platform/cache';
import {
  type CalendarService,
  clockDueDate,
  type LegalClock,
  localIsoDate,
  pauseClock,
  restartClock,
  startClock,
} from '../../platform/calendar';
import { type Database, isUniqueViolation, type Orm, sql } from '../../platform/db/database';
import type { FileContent, FileMeta, FileService } from '../../platform/files';
import { type Idempotency, keyReused } from '../../platform/http/idempotency';
import { decodeCursorPair, encodeCursor } from '../../platform/http/pagination';
import { type FieldError, Problem, problems } from '../../platform/http/problem';
import type { Notifier } from '../../platform/notify';
import type { SigningService } from '../../platform/signing';
import { currentVersionRef, type Procedure, procedureVersion } from '../catalog';
import { type AgencyInfo, agencyAndDesk } from '../org';
import { createPayload } from './dossiers.create';
import { applicantOf, checkFormValues, lastDigits, summaryOf } from './dossiers.form-values';
import { nationalImport } from './dossiers.import';
import { formatDueDate, notifyApplicant } from './dossiers.notify';
import { officeReads } from './dossiers.office-reads';
import { renderReceipt, renderRefusal, renderSupplementRequest } from './dossiers.pdf';
import { processingService } from './dossiers.processing';
import { type ActionRow, CODE_TAKEN_ON_INSERT, type DossierFileRow, type DossierView, dossiersRepo, type Numbering } from './dossiers.repo';
import { type CounterScan, type ReusePort, reuseRefsOf } from './dossiers.reuse';
import type {
  CounterDossierBody,
  CreateDossierBody,
  DossierDetail,
  DossierSummary,
  FileRef,
  LookupBody,
  MineQuery,
  OfficeQuery,
  PublicDossier,
  RefuseBody,
  RequestSupplementBody,
  SupplementBody,
  UpdateDraftBody,
  VersionBody,
} from './dossiers.schemas';
import { publicStatusNames } from './dossiers.schemas';
import { actionNames, applyAction, canApply, type DossierEvent, type DossierRecord, TransitionError } from './dossiers.state';
import { TRACKING_MAX_AGE_SECONDS } from './dossiers.tracking';

/**
 * Told of every action inside its transaction (before commit): what it does there — typically enqueue a
 * job with `jobs.sendInTx` — commits or rolls back with the action. Used by other modules (e.g. the
 * national portal sync) without dossiers knowing them. The actions that create a dossier are told before
 * its row is written (see appendNew), with `code` CODE_TAKEN_ON_INSERT when the insert takes the code: a
 * listener may enqueue work by id, but must not read the new row.
 */
export type DossierActionListener = (
  tx: Orm,
  dossier: DossierRecord,
  action: { seq: number; action: DossierEvent['action']; at: Date },
) => Promise<void>;

/** Whose a dossier is: a citizen (account) or a business (parties). */
export type DossierPrincipal = { kind: 'citizen'; accountId: string } | { kind: 'business'; businessId: string };

/**
 * Who besides the owner is the applicant side: representatives of the owner business and proxies holding
 * a live authorisation covering the procedure. Implemented by parties (modules/index.ts passes
 * partiesAccess(db)); without it only the owner account is.
 */
export interface DossierParties {
  /** How the actor may act for the principal on this procedure now (the authorisation used, if any); null = not at all. */
  authority(
    actorAccountId: string,
    principal: DossierPrincipal,
    procedureCode: string | null,
  ): Promise<{ authorisationId: string | null } | null>;
  /** For "my dossiers": the businesses represented, and per grantor the procedure codes authorised (empty = all). */
  reach(actorAccountId: string): Promise<{ businessIds: string[]; grantors: { accountId: string; procedureCodes: string[] }[] }>;
  /** A principal's display name. */
  nameOf(principal: DossierPrincipal): Promise<string | null>;
}

export interface DossiersDeps {
  db: Database;
  config: Config;
  files: FileService;
  notify: Notifier;
  calendar: CalendarService;
  signing: SigningService;
  listeners?: readonly DossierActionListener[];
  parties?: DossierParties;
  /** The e-data store ("submit once"): components filled from it, reads of reused files (dossiers.reuse.ts). */
  reuse?: ReusePort;
}

const RECEIVE = 'dossiers.receive' as const;
const ISSUED = '_issued';
/** Component keys of the result: the draft the specialist prepared, the signed e-result. */
const DRAFT = '_result_draft';
const RESULT = '_result';
const componentsOf = (files: FileRef[] | undefined) => new Set((files ?? []).map((f) => f.componentKey));
/** Code-point order, as PostgreSQL's "C" collation (component keys are ASCII). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const dossierNotFound = () => problems.notFound('Không tìm thấy hồ sơ.');
const versionConflict = () =>
  problems.conflict('dossier_changed', 'Hồ sơ vừa được cập nhật', 'Hồ sơ đã thay đổi kể từ lúc bạn mở. Vui lòng tải lại và thực hiện lại.');

export function dossiersService(deps: DossiersDeps) {
  const { db, config, files, notify, calendar } = deps;
  const repo = dossiersRepo(db);
  const trackingUrl = (code: string) => `${config.publicUrl.replace(/\/$/, '')}/tra-cuu/${encodeURIComponent(code)}`;

  // ---------------------------------------------------------------------------------------------
  // Access
  // ---------------------------------------------------------------------------------------------

  /** Owner, the desk that receives it, or the agency that resolves it; anyone else gets 404. */
  function requireRead(ctx: RequestContext, d: DossierView): void {
    requireSignedIn(ctx.actor);
    if (!mayRead(ctx, d)) throw dossierNotFound();
  }

  function mayRead(ctx: RequestContext, d: DossierView): boolean {
    const a = ctx.actor;
    return (
      (d.ownerAccountId !== null && a.accountId === d.ownerAccountId) ||
      (d.state !== 'draft' && (can(a, RECEIVE, { scope: d.deskScope }) || involvedScopes(d).some((scope) => canProcessAt(ctx, scope))))
    );
  }

  /** Whose the dossier is (null: a walk-in applicant without an account, or imported). */
  function principalOf(d: DossierView): DossierPrincipal | null {
    if (d.ownerBusinessId) return { kind: 'business', businessId: d.ownerBusinessId };
    return d.ownerAccountId ? { kind: 'citizen', accountId: d.ownerAccountId } : null;
  }

  /**
   * The applicant side: the owner account, a current representative of the owner business, or a proxy
   * whose authorisation is live and covers the procedure (parties decides; a revoked or expired one is a stranger).
   */
  async function isApplicant(ctx: RequestContext, d: DossierView): Promise<boolean> {
    const me = ctx.actor.accountId;
    if (!me || ctx.actor.kind === 'anonymous') return false;
    if (d.ownerAccountId !== null && d.ownerAccountId === me) return true;
    const principal = principalOf(d);
    if (!principal || !deps.parties) return false;
    return (await deps.parties.authority(me, principal, d.procedureCode)) !== null;
  }

  /** The applicant's writes (draft, submission, supplement): anyone else gets 404. */
  async function requireApplicant(ctx: RequestContext, d: DossierView): Promise<void> {
    requireSignedIn(ctx.actor);
    if (!(await isApplicant(ctx, d))) throw dossierNotFound();
  }

  /** Reading: the applicant side (see isApplicant) or the offices of requireRead; anyone else gets 404. */
  async function requireApplicantOrRead(ctx: RequestContext, d: DossierView): Promise<void> {
    requireSignedIn(ctx.actor);
    if (!mayRead(ctx, d) && !(await isApplicant(ctx, d))) throw dossierNotFound();
  }

  /** Agencies that work on the dossier: the resolving one, those holding a step now, those consulted. */
  function involvedScopes(d: DossierView): string[] {
    return [d.agencyScope, ...d.steps.flatMap((s) => s.holders.map((h) => h.agencyScope)), ...d.consultations.map((c) => c.agencyScope)];
  }

  /** Staff of the agency at `scope` with a processing or desk grant over it, or over one of its departments. */
  function canProcessAt(ctx: RequestContext, scope: string): boolean {
    const inDepartment = ctx.actor.grants.some(
      (g) => (g.permissions.has('dossiers.process') || g.permissions.has(RECEIVE)) && g.scope.startsWith(`${scope}/d:`),
    );
    return inDepartment || can(ctx.actor, 'dossiers.process', { scope }) || can(ctx.actor, RECEIVE, { scope });
  }

  function requireDesk(ctx: RequestContext, d: DossierView): void {
    requireAccess(ctx.actor, RECEIVE, { scope: d.deskScope });
    if (d.state === 'draft') throw dossierNotFound();
  }

  async function load(id: string): Promise<DossierView> {
    const d = await repo.byId(id);
    if (!d) throw dossierNotFound();
    return d;
  }

  // ---------------------------------------------------------------------------------------------
  // Procedure, agency, files
  // ---------------------------------------------------------------------------------------------

  /** The version in force: one query for which one it is, its content from the per-process cache of versions. */
  async function procedureFor(idOrCode: string): Promise<Procedure> {
    const ref = await currentVersionRef(db, idOrCode);
    if (ref?.status !== 'active') {
      throw problems.validation([{ field: 'procedureId', message: 'Không tìm thấy thủ tục đang áp dụng' }]);
    }
    const p = await pinned({ procedureId: ref.id, procedureVersion: ref.version });
    // The cached copy carries the status of when it was read; the status is the one just read.
    return p.status === ref.status ? p : { ...p, status: ref.status };
  }

  /** Published versions never change, so each is read once per process. */
  const versions = new Map<string, Procedure>();
  async function pinned(d: Pick<DossierView, 'procedureId' | 'procedureVersion'>): Promise<Procedure> {
    const key = `${d.procedureId}:${d.procedureVersion}`;
    const cached = versions.get(key);
    if (cached) return cached;
    const p = await procedureVersion(db, d.procedureId, d.procedureVersion);
    if (!p) throw new Error(`procedure ${d.procedureId} v${d.procedureVersion} missing`);
    if (versions.size > 2000) versions.clear();
    versions.set(key, p);
    return p;
  }

  /**
   * Agencies and their desks change rarely (an admin's edit): each is read at most every 30 s per process,
   * so a deactivation reaches new submissions within that time. Submissions read it on every request.
   */
  const desks = new TtlCache<string, Awaited<ReturnType<typeof agencyAndDesk>>>(30_000);
  const agencyWithDesk = (id: string) => desks.through(id, () => agencyAndDesk(db, id));

  /** The resolving agency (chosen among the procedure's) and the desk that receives for it. */
  async function agencyFor(p: Procedure, agencyId: string | undefined): Promise<{ agency: AgencyInfo; desk: AgencyInfo }> {
    const only = p.agencies.length === 1 ? p.agencies[0]?.id : undefined;
    const id = agencyId ?? only;
    if (!id) {
      throw problems.validation([{ field: 'agencyId', message: 'Vui lòng chọn cơ quan giải quyết (thủ tục có nhiều nơi thực hiện)' }]);
    }
    if (!p.agencies.some((a) => a.id === id)) {
      throw problems.validation([{ field: 'agencyId', message: 'Cơ quan đã chọn không thực hiện thủ tục này' }]);
    }
    const found = await agencyWithDesk(id);
    if (!found?.agency.active) throw problems.validation([{ field: 'agencyId', message: 'Cơ quan không còn hoạt động' }]);
    const { agency, desk } = found;
    if (!desk)
      throw problems.unprocessable(
        'no_reception_desk',
        'Chưa có bộ phận tiếp nhận',
        'Cơ quan này chưa có bộ phận một cửa tiếp nhận hồ sơ.',
      );
    return { agency, desk };
  }

  /**
   * Files must be the actor's own uploads and name components of the procedure (read in one query).
   * Returns what is known of them, by lower-case id.
   */
  async function checkFiles(
    ctx: RequestContext,
    p: Procedure,
    refs: FileRef[] | undefined,
    field = 'files',
  ): Promise<Map<string, FileMeta>> {
    if (!refs?.length) return new Map();
    const keys = new Set(p.components.map((c) => c.key));
    const errors: FieldError[] = [];
    for (const [i, r] of refs.entries()) {
      if (!keys.has(r.componentKey)) errors.push({ field: `${field}/${i}/componentKey`, message: 'Thủ tục không có thành phần hồ sơ này' });
    }
    let found: Map<string, FileMeta>;
    const uploads = refs.filter((r) => !r.edataDocumentId);
    try {
      found = uploads.length
        ? await files.readMany(
            ctx,
            uploads.map((r) => r.fileId),
          )
        : new Map();
    } catch {
      found = new Map();
    }
    // Components filled from the e-data store: the store says whether the actor may use those documents.
    const reused = reuseRefsOf(refs);
    if (reused.length && !deps.reuse) {
      for (const r of reused) errors.push({ field: `${field}/${r.index}/edataDocumentId`, message: 'Không dùng được kho dữ liệu ở đây' });
    } else if (reused.length && deps.reuse) {
      const got = await deps.reuse.resolve(ctx, reused, p.code, field);
      errors.push(...got.errors);
      for (const [id, meta] of got.metas) found.set(id.toLowerCase(), meta);
    }
    const seen = new Set<string>();
    for (const [i, r] of refs.entries()) {
      if (seen.has(r.fileId)) errors.push({ field: `${field}/${i}/fileId`, message: 'Tệp được đính kèm hai lần' });
      seen.add(r.fileId);
      if (!found.has(r.fileId.toLowerCase()) && !(r.edataDocumentId && errors.length)) {
        errors.push({ field: `${field}/${i}/fileId`, message: 'Không tìm thấy tệp đã tải lên' });
      }
    }
    if (errors.length) throw problems.validation(errors);
    return found;
  }

  /** In the transaction that attaches files: the store checks reused documents are the owner's and logs their reuse. */
  async function recordReuse(tx: Orm, ctx: RequestContext, d: DossierRecord, refs: FileRef[] | undefined): Promise<void> {
    const reused = reuseRefsOf(refs);
    if (reused.length && deps.reuse) await deps.reuse.recordReuse(tx, ctx, d, reused, 'files');
  }

  /** What is still missing before the dossier can be submitted (field = form/<key> or files/<component>). */
  async function completenessErrors(p: Procedure, d: DossierRecord, tx: Orm, known?: Set<string>): Promise<FieldError[]> {
    const errors = checkFormValues(p.form, d.form, true);
    const present = known ?? (await repo.componentsWithFiles(d.id, tx));
    for (const c of p.components) {
      if (c.required && !present.has(c.key)) {
        errors.push({ field: `files/${c.key}`, message: `Thiếu thành phần hồ sơ bắt buộc: ${c.name}` });
      }
    }
    return errors;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing an action
  // ---------------------------------------------------------------------------------------------

  interface Step {
    event: DossierEvent;
    note?: string | null;
    fileIds?: string[];
  }

  /**
   * Public tracking answers (no personal data), kept per code as long as the route lets shared caches keep them
   * (TRACKING_MAX_AGE_SECONDS): a tracking page is read far more often than its dossier changes, and each read was
   * a round trip to the database. Each action this process writes forgets its dossier's answer at once; a change
   * written otherwise (another process, a hand-made correction) shows within the same time a browser or proxy
   * may take.
   */
  const tracked = new TtlCache<string, PublicDossier>(TRACKING_MAX_AGE_SECONDS * 1000, 10_000);
  const forgetTracked = (d: DossierRecord) => {
    if (d.code) tracked.delete(d.code);
  };

  /** What anyone with the code may see, read from the database. */
  async function publicAnswer(code: string): Promise<PublicDossier> {
    const d = await repo.publicByCode(code);
    if (!d) throw dossierNotFound();
    const at = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
    return {
      code,
      procedureCode: d.procedure_code,
      procedureName: d.procedure_name,
      agencyName: d.agency_name,
      channel: Number(d.channel) as 1 | 2 | 3,
      publicStatus: d.public_status,
      publicStatusName: publicStatusNames[d.public_status] ?? '',
      currentStep: d.current_step,
      submittedAt: at(d.submitted_at),
      receivedAt: at(d.received_at),
      dueAt: at(d.due_at),
      trackingUrl: trackingUrl(code),
    };
  }

  /** Appends one action and writes the row it derives; returns the new record. */
  async function append(tx: Orm, ctx: RequestContext, before: DossierRecord | null, step: Step, at: Date): Promise<DossierRecord> {
    const seq = (before?.version ?? 0) + 1;
    let after: DossierRecord;
    try {
      after = applyAction(before, { seq, at: at.toISOString(), event: step.event });
    } catch (e) {
      if (e instanceof TransitionError) throw problems.conflict('dossier_wrong_state', 'Không thể thực hiện thao tác', e.message);
      throw e;
    }
    const action = {
      dossierId: after.id,
      seq,
      at,
      event: step.event,
      actorAccountId: ctx.actor.accountId,
      actorLabel: ctx.actor.label,
      note: step.note ?? null,
      fileIds: step.fileIds ?? [],
    };
    if (before === null) {
      await repo.insert(tx, after);
      await repo.appendAction(tx, action);
    } else if (!(await repo.update(tx, after, before.version, action))) throw versionConflict();
    forgetTracked(after);
    if (after.state !== before?.state || after.steps !== before?.steps || after.dueAt !== before?.dueAt) {
      await repo.writeQueue(tx, after);
    }
    for (const listener of deps.listeners ?? []) await listener(tx, after, { seq, action: step.event.action, at });
    return after;
  }

  function audit(tx: Orm, ctx: RequestContext, action: string, d: DossierRecord, details: Record<string, unknown> = {}) {
    return recordAudit(tx, ctx, auditEntry(action, d, details));
  }

  function auditEntry(action: string, d: DossierRecord, details: Record<string, unknown> = {}): AuditEntry {
    return {
      action: `dossier.${action}`,
      targetType: 'dossier',
      targetId: d.id,
      details: { code: d.code, state: d.state, procedureId: d.procedureId, ...details },
    };
  }

  /** Dossier codes (TT 01/2018 Art. 19): `{agency code}-{YYMMDD}-{NNNN}`, the agency's number for the local day. */
  function numberingFor(agency: { id: string; code: string }, at: Date): Numbering {
    const day = localIsoDate(at);
    return { agencyId: agency.id, day, prefix: `${agency.code}-${day.slice(2).replaceAll('-', '')}-` };
  }

  /** Gives the dossier its code, taken now in `tx` (a new dossier takes it in its insert: see appendNew). */
  function codeFor(tx: Orm, agency: { id: string; code: string }, at: Date): Promise<string> {
    return repo.nextCode(tx, numberingFor(agency, at));
  }

  function checkVersion(d: DossierView, version: number | undefined): void {
    if (version !== undefined && version !== d.version) throw versionConflict();
  }

  // ---------------------------------------------------------------------------------------------
  // Issued forms
  // ---------------------------------------------------------------------------------------------

  /** The desk as printed at the head of Mẫu 01–03 (agencies are cached by processing). */
  function deskInfo(d: DossierView) {
    return processing.formAgency(d.deskAgencyId, d.deskAgencyName);
  }

  async function storePdf(name: string, bytes: Uint8Array): Promise<string> {
    const meta = await files.upload(systemContext('dossiers'), { name, bytes: Buffer.from(bytes) });
    return meta.id;
  }

  const officerName = (ctx: RequestContext) => ctx.actor.label;

  // ---------------------------------------------------------------------------------------------
  // Reading
  // ---------------------------------------------------------------------------------------------

  function summary(d: DossierView): DossierSummary {
    return {
      id: d.id,
      code: d.code,
      procedureId: d.procedureId,
      procedureVersion: d.procedureVersion,
      procedureCode: d.procedureCode,
      procedureName: d.procedureName,
      agencyId: d.agencyId,
      agencyName: d.agencyName,
      deskAgencyId: d.deskAgencyId,
      deskAgencyName: d.deskAgencyName,
      state: d.state,
      publicStatus: d.publicStatus,
      publicStatusName: d.publicStatus ? (publicStatusNames[d.publicStatus] ?? null) : null,
      channel: d.channel,
      applicantName: d.applicant.name,
      resultDelivery: d.resultDelivery,
      currentStep: d.currentStep,
      submittedAt: d.submittedAt,
      receivedAt: d.receivedAt,
      dueAt: d.dueAt,
      updatedAt: d.updatedAt,
      version: d.version,
    };
  }

  /** Action payloads as shown on the timeline: what a person needs, not the internals. */
  function timelineDetails(action: string, p: Record<string, unknown>): Record<string, unknown> {
    switch (action) {
      case 'submit':
        return { code: p.code };
      case 'receive':
      case 'supplement':
        return p.dueAt ? { dueAt: p.dueAt } : {};
      case 'request_supplement':
        return { items: p.items, reason: p.reason };
      case 'refuse':
        return { reasons: p.reasons };
      case 'advance':
        return { name: p.name, from: p.from, to: p.to, handover: p.handover, ...(p.returnMethod ? { returnMethod: p.returnMethod } : {}) };
      case 'opinion':
        return { kind: p.kind, text: p.text, visitAt: p.visitAt, place: p.place, participants: p.participants };
      case 'apologize':
        return { reason: p.reason, previousDueAt: p.previousDueAt, newDueAt: p.newDueAt };
      case 'stop':
      case 'withdraw':
        return { reason: p.reason };
      case 'consult': {
        const c = p.consultation as { agencyName: string; question: string; dueAt: string | null };
        return { agencyName: c.agencyName, question: c.question, dueAt: c.dueAt };
      }
      case 'answer_consultation':
        return { answer: p.answer };
      case 'attach_result':
        return { title: p.title };
      default:
        return {};
    }
  }

  async function detail(d: DossierView, known?: { actions: ActionRow[]; files: DossierFileRow[] }): Promise<DossierDetail> {
    const { actions, files: fileRows } = known ?? (await repo.actionsAndFiles(d.id));
    const submittedBy = (actions.findLast((a) => a.action === 'submit') ?? actions.find((a) => a.action === 'create'))?.actor_label ?? null;
    return {
      ...summary(d),
      submittedBy,
      onBehalfOf: await onBehalfOf(d),
      applicant: {
        name: d.applicant.name,
        idNumber: d.applicant.idNumber,
        phone: d.applicant.phone,
        email: d.applicant.email,
        address: d.applicant.address,
      },
      form: d.form,
      files: fileRows.map((f) => ({
        fileId: f.file_id,
        componentKey: f.component_key,
        name: f.name,
        mediaType: f.media_type,
        size: f.size,
        reused: f.reused,
        superseded: f.superseded,
        addedSeq: f.added_seq,
      })),
      notifyChannel: d.notifyChannel,
      notifyTo: d.notifyTo,
      processingHours: d.processingHours,
      openSupplement: d.openSupplement,
      receiptFileId: d.receiptFileId,
      refusedAt: d.refusedAt,
      processing: {
        workflowVersion: d.workflowVersion,
        steps: d.steps.map((s) => ({
          branch: s.branch,
          state: s.state,
          name: s.name,
          publicStatus: s.publicStatus,
          agencies: s.holders.map((h) => h.agencyName),
          assigneeId: s.assigneeId,
          assigneeLabel: s.assigneeLabel,
          enteredAt: s.enteredAt,
          dueAt: s.dueAt,
        })),
        consultations: d.consultations.map(({ agencyId: _a, agencyScope: _s, ...c }) => c),
        originalDueAt: d.originalDueAt,
        apologizedAt: d.apologizedAt,
        resultDraftFileId: d.resultDraftFileId,
        resultFileId: d.resultFileId,
        resultSignedAt: d.resultSignedAt,
        completedAt: d.completedAt,
        returnedAt: d.returnedAt,
        returnMethod: d.returnMethod,
        stoppedAt: d.stoppedAt,
        withdrawnAt: d.withdrawnAt,
      },
      timeline: actions.map((a) => ({
        seq: a.seq,
        action: a.action,
        actionName: actionNames[a.action] ?? a.action,
        at: new Date(a.at).toISOString(),
        actorLabel: a.actor_label,
        note: a.note,
        details: timelineDetails(a.action, a.payload),
        fileIds: a.file_ids,
      })),
    };
  }

  /** For whom a proxy or a representative filed the dossier (null: the owner filed it himself, or a counter dossier). */
  async function onBehalfOf(d: DossierView): Promise<DossierDetail['onBehalfOf']> {
    const principal = principalOf(d);
    if (!principal || (principal.kind === 'citizen' && principal.accountId === d.createdByAccountId)) return null;
    if (principal.kind === 'citizen' && d.channel !== 2) return null;
    const name = (await deps.parties?.nameOf(principal)) ?? d.applicant.name;
    return { kind: principal.kind, name };
  }

  async function reload(id: string): Promise<DossierDetail> {
    return detail(await load(id));
  }

  /**
   * The detail after an action without reading the row again: the record just written, with the names the row
   * joins (procedure, agencies) taken from before the action when it left their ids as they were.
   */
  async function detailAfter(before: DossierView, after: DossierRecord): Promise<DossierDetail> {
    const same =
      after.procedureId === before.procedureId &&
      after.procedureVersion === before.procedureVersion &&
      after.agencyId === before.agencyId &&
      after.deskAgencyId === before.deskAgencyId;
    if (!same) return reload(after.id);
    const { procedureCode, procedureName, agencyName, agencyCode, deskAgencyName } = before;
    return detail({ ...after, procedureCode, procedureName, agencyName, agencyCode, deskAgencyName });
  }

  // ---------------------------------------------------------------------------------------------
  // Draft and submission (the applicant, online)
  // ---------------------------------------------------------------------------------------------

  /** What an online create needs, checked: the procedure in force, the owner, the agencies, the form and files. */
  async function checkOnlineCreate(ctx: RequestContext, body: CreateDossierBody) {
    const p = await procedureFor(body.procedureId);
    const owner = await ownerFor(ctx, body.onBehalfOf, p.code);
    if (p.onlineLevel === 'thong_tin') {
      throw problems.unprocessable(
        'not_online',
        'Thủ tục chưa nhận hồ sơ trực tuyến',
        'Thủ tục này chỉ cung cấp thông tin trực tuyến; vui lòng nộp hồ sơ tại Bộ phận Một cửa hoặc qua bưu chính.',
      );
    }
    const { agency, desk } = await agencyFor(p, body.agencyId);
    const form = body.form ?? {};
    const formErrors = checkFormValues(p.form, form, false);
    if (formErrors.length) throw problems.validation(formErrors);
    checkDelivery(p, body.resultDelivery);
    const metas = await checkFiles(ctx, p, body.files);
    return { p, owner, agency, desk, form, metas };
  }

  /** Creates the dossier's first action (and, with `submit`, submits it in the same transaction). */
  async function createOnline(ctx: RequestContext, body: CreateDossierBody, idem: Idempotency | null = null): Promise<DossierDetail> {
    requireSignedIn(ctx.actor);
    const requestKey = idem?.key ?? null;
    // A retry of a create that committed (request_key) is not looked up first: its transaction fails on
    // the key's unique index and createOnce answers with that dossier. Only when the checks refuse the
    // retry (the procedure changed since) is the key looked up, so the retry still gets its dossier.
    let checked: Awaited<ReturnType<typeof checkOnlineCreate>>;
    try {
      checked = await checkOnlineCreate(ctx, body);
    } catch (e) {
      const retried = await retriedCreate(ctx, idem);
      if (retried) return retried;
      throw e;
    }
    const { p, owner, agency, desk, form, metas } = checked;
    const now = new Date();
    const id = randomUUID();
    const out: { written?: { record: DossierRecord; steps: Step[] } } = {};
    const created = await createOnce(ctx, idem, (tx) => transactionBody(tx));
    // Answered from what was just written (the same rows a reload would read), unless a retry won the race.
    if (!out.written || created.id !== id) return reload(created.id);
    const { record, steps } = out.written;
    return createdDetail(record, steps, now, ctx, {
      procedure: p,
      agency,
      desk,
      files: (body.files ?? []).map((f) => ({ ref: f, meta: metas.get(f.fileId.toLowerCase()) as FileMeta })),
    });

    async function transactionBody(tx: Orm): Promise<DossierRecord> {
      const first: Step = {
        event: {
          action: 'create',
          payload: createPayload({
            id,
            procedure: p,
            agency,
            desk,
            channel: 2,
            ...owner,
            createdByAccountId: ctx.actor.accountId,
            form,
            resultDelivery: body.resultDelivery ?? defaultDelivery(p),
            notifyChannel: body.notifyChannel,
            notifyTo: body.notifyTo,
            requestKey,
            requestHash: idem?.hash ?? null,
          }),
        },
        fileIds: body.files?.map((f) => f.fileId.toLowerCase()),
      };
      // Create (and submit) folded in memory, then written at once: one row, one insert of the actions.
      const steps = [first];
      const created = fold(null, first, now);
      if (body.submit) steps.push(...(await submitSteps(tx, p, created, null, now, null, componentsOf(body.files))));
      const files = (body.files ?? []).map((f) => ({ ...f, seq: created.version }));
      const d = await appendNew(tx, ctx, steps, now, files, {
        numbering: body.submit ? numberingFor(agency, now) : undefined,
        audit: (r) =>
          auditEntry(body.submit ? 'submitted' : 'draft_created', r, {
            channel: 2,
            ...(body.onBehalfOf ? { ownerBusinessId: owner.ownerBusinessId, ownerAccountId: owner.ownerAccountId } : {}),
            ...(owner.actingAuthorisationId ? { actingAuthorisationId: owner.actingAuthorisationId } : {}),
          }),
      });
      await recordReuse(tx, ctx, d, body.files);
      out.written = { record: d, steps };
      return d;
    }
  }

  /**
   * Whose a new online dossier is. For oneself: the actor's. For a business the actor represents: the
   * business's (owner_account_id null — its current representatives are the applicant side). For a
   * citizen who authorised the actor for this procedure: the grantor's, with the authorisation used.
   * Anyone else: 403 not_authorised_for_principal.
   */
  async function ownerFor(
    ctx: RequestContext,
    on: CreateDossierBody['onBehalfOf'],
    procedureCode: string,
  ): Promise<{ ownerAccountId: string | null; ownerBusinessId: string | null; actingAuthorisationId: string | null }> {
    const me = ctx.actor.accountId as string;
    if (!on || (on.kind === 'citizen' && on.accountId.toLowerCase() === me)) {
      return { ownerAccountId: me, ownerBusinessId: null, actingAuthorisationId: null };
    }
    const principal: DossierPrincipal =
      on.kind === 'business'
        ? { kind: 'business', businessId: on.businessId.toLowerCase() }
        : { kind: 'citizen', accountId: on.accountId.toLowerCase() };
    const authority = deps.parties ? await deps.parties.authority(me, principal, procedureCode) : null;
    if (!authority) {
      throw new Problem(
        403,
        'not_authorised_for_principal',
        'Không được nộp hồ sơ thay',
        principal.kind === 'business'
          ? 'Bạn không phải người đại diện của doanh nghiệp này nên không thể nộp hồ sơ cho doanh nghiệp.'
          : 'Bạn không có ủy quyền còn hiệu lực của người này cho thủ tục đã chọn nên không thể nộp hồ sơ thay.',
      );
    }
    return principal.kind === 'business'
      ? { ownerAccountId: null, ownerBusinessId: principal.businessId, actingAuthorisationId: null }
      : { ownerAccountId: principal.accountId, ownerBusinessId: null, actingAuthorisationId: authority.authorisationId };
  }

  /** The record after one more step (TransitionError as 409), without writing anything. */
  function fold(before: DossierRecord | null, step: Step, at: Date): DossierRecord {
    try {
      return applyAction(before, { seq: (before?.version ?? 0) + 1, at: at.toISOString(), event: step.event });
    } catch (e) {
      if (e instanceof TransitionError) throw problems.conflict('dossier_wrong_state', 'Không thể thực hiện thao tác', e.message);
      throw e;
    }
  }

  /**
   * The first actions of a new dossier (create, maybe its submission) as `append` would write them one by one,
   * with its first files (as addFiles(…, 'none')): the derived row, the actions and the files in one
   * statement, then the listeners of each action. With `numbering`, the submission's code is taken by that
   * statement (the steps carry CODE_TAKEN_ON_INSERT until then, and the real code after). With `audit`, the
   * audit entry of the new record (its code as taken) is written by that statement too.
   */
  async function appendNew(
    tx: Orm,
    ctx: RequestContext,
    steps: Step[],
    at: Date,
    files: { componentKey: string; fileId: string; seq: number }[],
    opts: { numbering?: Numbering; audit?: (d: DossierRecord) => AuditEntry } = {},
  ): Promise<DossierRecord> {
    const { numbering, audit: auditOf } = opts;
    let records: DossierRecord[] = [];
    for (const step of steps) records.push(fold(records.at(-1) ?? null, step, at));
    const folded = records.at(-1);
    if (!folded) throw new Error('appendNew without steps');
    // Listeners first: the insert below locks the agency's day counter when it takes the code, and the lock
    // lasts until commit; every statement after it lengthens the queue of submissions to the same agency.
    for (const [i, step] of steps.entries()) {
      for (const listener of deps.listeners ?? []) {
        await listener(tx, records[i] as DossierRecord, { seq: i + 1, action: step.event.action, at });
      }
    }
    // The entry as `audit` writes it, its code (when the statement takes one) merged in by the statement.
    const audit = auditOf
      ? (taken: SQL | null) => auditAppend(ctx, auditOf(folded), taken ? sql`jsonb_build_object('code', ${taken})` : undefined)
      : undefined;
    const code = await repo.insertNew(
      tx,
      folded,
      steps.map((step, i) => ({
        dossierId: folded.id,
        seq: i + 1,
        at,
        event: step.event,
        actorAccountId: ctx.actor.accountId,
        actorLabel: ctx.actor.label,
        note: step.note ?? null,
        fileIds: step.fileIds ?? [],
      })),
      files,
      numbering,
      audit,
    );
    if (code) {
      records = records.map((r) => (r.code === CODE_TAKEN_ON_INSERT ? { ...r, code } : r));
      for (const step of steps) {
        if (step.event.action === 'submit' && step.event.payload.code === CODE_TAKEN_ON_INSERT) {
          step.event = { ...step.event, payload: { ...step.event.payload, code } };
        }
      }
    }
    const last = records.at(-1) as DossierRecord;
    forgetTracked(last);
    // As append does after each action; a new dossier has no queue rows yet, and a draft or a dossier
    // just submitted is in no processing queue, so there is nothing to write before reception.
    if (last.state !== 'draft' && last.state !== 'submitted') await repo.writeQueue(tx, last);
    return last;
  }

  /**
   * The answer to a create, from what the transaction wrote: the same as `reload` would read back (row,
   * names of the pinned procedure version and agencies, action log, files), without three more queries.
   */
  function createdDetail(
    d: DossierRecord,
    steps: Step[],
    at: Date,
    ctx: RequestContext,
    known: {
      procedure: Procedure;
      agency: AgencyInfo;
      desk: AgencyInfo;
      files: { ref: FileRef; meta: FileMeta }[];
    },
  ): Promise<DossierDetail> {
    const view: DossierView = {
      ...d,
      procedureCode: known.procedure.code,
      procedureName: known.procedure.name,
      agencyName: known.agency.name,
      agencyCode: known.agency.code,
      deskAgencyName: known.desk.name,
    };
    const actions: ActionRow[] = steps.map((step, i) => ({
      seq: i + 1,
      action: step.event.action,
      at: at.toISOString(),
      actor_label: ctx.actor.label,
      note: step.note ?? null,
      payload: step.event.payload as Record<string, unknown>,
      file_ids: step.fileIds ?? [],
    }));
    // As repo.files orders them: by action, component, name.
    const fileRows: DossierFileRow[] = known.files
      .map(({ ref, meta }) => ({
        file_id: meta.id,
        component_key: ref.componentKey,
        added_seq: 1,
        reused: Boolean(ref.edataDocumentId),
        superseded: false,
        name: meta.originalName,
        media_type: meta.mediaType,
        size: meta.size,
      }))
      .sort((a, b) => cmp(a.component_key, b.component_key) || cmp(a.name, b.name));
    return detail(view, { actions, files: fileRows });
  }

  /** A retry of a create whose first attempt committed but never answered (the server died): its dossier. */
  async function retriedCreate(ctx: RequestContext, idem: Idempotency | null): Promise<DossierDetail | null> {
    const id = await createdWith(ctx, idem);
    return id ? reload(id) : null;
  }

  /**
   * The dossier this account created with the request's Idempotency-Key, if any. The same key with another
   * request (its hash, when the key came with one, differs) is refused: 422 idempotency_key_reused.
   */
  async function createdWith(ctx: RequestContext, idem: Idempotency | null): Promise<string | null> {
    if (!idem?.key || !ctx.actor.accountId) return null;
    const found = await repo.byRequestKey(ctx.actor.accountId, idem.key);
    // Dossiers created before request hashes were kept have none: their key alone answers.
    if (found?.requestHash && found.requestHash !== idem.hash) throw keyReused();
    return found?.id ?? null;
  }

  /** Runs a creating transaction; if a concurrent retry with the same key won the race, answers with its dossier. */
  async function createOnce(
    ctx: RequestContext,
    idem: Idempotency | null,
    body: (tx: Orm) => Promise<DossierRecord>,
  ): Promise<{ id: string }> {
    try {
      return await db.orm.transaction(body);
    } catch (e) {
      const existing = isUniqueViolation(e) ? await createdWith(ctx, idem) : null;
      if (existing) return { id: existing };
      throw e;
    }
  }

  function defaultDelivery(p: Procedure): 'online' | 'counter' | 'post' {
    return p.resultDelivery[0] ?? 'counter';
  }

  function checkDelivery(p: Procedure, delivery: string | undefined): void {
    if (delivery && p.resultDelivery.length && !p.resultDelivery.includes(delivery as 'online')) {
      throw problems.validation([{ field: 'resultDelivery', message: 'Thủ tục không trả kết quả theo cách này' }]);
    }
  }

  async function submitIn(
    tx: Orm,
    ctx: RequestContext,
    p: Procedure,
    d: DossierRecord,
    agency: { id: string; code: string },
    at: Date,
    requestKey: string | null = null,
    /** The components with files, when the caller knows them (a dossier created in this transaction). */
    components?: Set<string>,
  ): Promise<DossierRecord> {
    for (const step of await submitSteps(tx, p, d, agency, at, requestKey, components)) d = await append(tx, ctx, d, step, at);
    return d;
  }

  /**
   * The steps that submit `d` (checked complete; default notification channel; its code, taken in `tx` from
   * `agency`'s counter, or, with no agency, CODE_TAKEN_ON_INSERT for appendNew to take).
   */
  async function submitSteps(
    tx: Orm,
    p: Procedure,
    d: DossierRecord,
    agency: { id: string; code: string } | null,
    at: Date,
    requestKey: string | null,
    components: Set<string> | undefined,
  ): Promise<Step[]> {
    const errors = await completenessErrors(p, d, tx, components);
    if (errors.length) {
      throw problems.unprocessable(
        'dossier_incomplete',
        'Hồ sơ chưa đầy đủ',
        'Vui lòng hoàn thiện các mục còn thiếu trước khi nộp.',
        errors,
      );
    }
    const steps: Step[] = [];
    if (!d.notifyChannel) {
      // Default notification: e-mail if given, else SMS to the declared phone.
      const channel = d.applicant.email ? 'email' : d.applicant.phone ? 'sms' : null;
      if (channel) steps.push({ event: { action: 'update_draft', payload: { notifyChannel: channel, notifyTo: null } } });
    }
    const code = agency ? await codeFor(tx, agency, at) : CODE_TAKEN_ON_INSERT;
    steps.push({ event: { action: 'submit', payload: requestKey ? { code, requestKey } : { code } } });
    return steps;
  }

  async function updateDraft(ctx: RequestContext, id: string, body: UpdateDraftBody): Promise<DossierDetail> {
    const d = await load(id);
    await requireApplicant(ctx, d);
    if (d.state !== 'draft') throw problems.conflict('dossier_not_draft', 'Hồ sơ đã nộp', 'Chỉ sửa được hồ sơ còn là bản nháp.');
    checkVersion(d, body.version);
    const p = await pinned(d);
    const payload: Extract<DossierEvent, { action: 'update_draft' }>['payload'] = {};
    if (body.agencyId && body.agencyId !== d.agencyId) {
      const { agency, desk } = await agencyFor(p, body.agencyId);
      Object.assign(payload, { agencyId: agency.id, agencyScope: agency.path, deskAgencyId: desk.id, deskScope: desk.path });
    }
    if (body.form) {
      const errors = checkFormValues(p.form, body.form, false);
      if (errors.length) throw problems.validation(errors);
      Object.assign(payload, { form: body.form, applicant: applicantOf(body.form), summary: summaryOf(body.form) });
    }
    checkDelivery(p, body.resultDelivery);
    if (body.resultDelivery) payload.resultDelivery = body.resultDelivery;
    if (body.notifyChannel) payload.notifyChannel = body.notifyChannel;
    if (body.notifyTo !== undefined) payload.notifyTo = body.notifyTo;
    await checkFiles(ctx, p, body.files);
    await db.orm.transaction(async (tx) => {
      const after = await append(
        tx,
        ctx,
        d,
        { event: { action: 'update_draft', payload }, fileIds: body.files?.map((f) => f.fileId) },
        new Date(),
      );
      if (body.files) await repo.addFiles(tx, d.id, after.version, body.files, 'all');
      await recordReuse(tx, ctx, after, body.files);
      await audit(tx, ctx, 'draft_updated', after);
    });
    return reload(id);
  }

  async function submit(ctx: RequestContext, id: string, body: VersionBody, requestKey: string | null = null): Promise<DossierDetail> {
    const d = await load(id);
    await requireApplicant(ctx, d);
    // The retry of a submission that committed but never answered gets the submitted dossier.
    if (d.state !== 'draft' && requestKey && d.requestKey === requestKey) return detail(d);
    if (d.state !== 'draft') throw problems.conflict('dossier_not_draft', 'Hồ sơ đã được nộp', `Hồ sơ đã được nộp với mã ${d.code}.`);
    checkVersion(d, body.version);
    const p = await pinned(d);
    if ((await procedureFor(d.procedureId)).version !== d.procedureVersion) {
      // The procedure changed while the draft waited: the applicant must see the rules in force.
      throw problems.conflict(
        'procedure_changed',
        'Thủ tục vừa được cập nhật',
        'Thủ tục đã có phiên bản mới kể từ khi bạn lập bản nháp. Vui lòng lập hồ sơ mới theo quy định hiện hành.',
      );
    }
    await db.orm.transaction(async (tx) => {
      const after = await submitIn(tx, ctx, p, d, { id: d.agencyId, code: d.agencyCode }, new Date(), requestKey);
      await audit(tx, ctx, 'submitted', after, { channel: d.channel });
    });
    return reload(id);
  }

  async function supplement(ctx: RequestContext, id: string, body: SupplementBody): Promise<DossierDetail> {
    const d = await load(id);
    await requireApplicant(ctx, d);
    checkVersion(d, body.version);
    if (!canApply(d.state, 'supplement')) {
      throw problems.conflict('dossier_wrong_state', 'Không thể bổ sung', 'Hồ sơ không ở trạng thái chờ bổ sung.');
    }
    const p = await pinned(d);
    const form = body.form ? { ...d.form, ...body.form } : d.form;
    const formErrors = checkFormValues(p.form, form, false);
    if (formErrors.length) throw problems.validation(formErrors);
    await checkFiles(ctx, p, body.files);
    if (!body.files?.length && !body.form && !body.note) {
      throw problems.validation([{ field: 'files', message: 'Vui lòng đính kèm giấy tờ hoặc sửa tờ khai theo yêu cầu bổ sung' }]);
    }
    const now = new Date();
    // A received dossier's legal time is counted again from the start (NĐ 61/2018 Art. 19(4)); before
    // reception the clock has not started yet and starts at reception.
    const cal = await calendar.data();
    const clock: LegalClock | null = d.clock ? restartClock(d.clock, now) : null;
    const dueAt = clock ? (clockDueDate(cal, clock)?.toISOString() ?? null) : null;
    await db.orm.transaction(async (tx) => {
      const after = await append(
        tx,
        ctx,
        d,
        {
          event: {
            action: 'supplement',
            payload: { ...(body.form ? { form, applicant: applicantOf(form), summary: summaryOf(form) } : {}), clock, dueAt },
          },
          note: body.note ?? null,
          fileIds: body.files?.map((f) => f.fileId),
        },
        now,
      );
      await repo.addFiles(tx, d.id, after.version, body.files ?? [], 'components');
      await recordReuse(tx, ctx, after, body.files);
      await audit(tx, ctx, 'supplemented', after, { files: body.files?.length ?? 0 });
    });
    return reload(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Reception desk
  // ---------------------------------------------------------------------------------------------

  /** Counter (channel 1) or post (channel 3): the officer registers the dossier for the applicant. */
  async function registerAtCounter(ctx: RequestContext, body: CounterDossierBody, idem: Idempotency | null = null): Promise<DossierDetail> {
    requireAccess(ctx.actor, RECEIVE);
    const requestKey = idem?.key ?? null;
    const retried = await retriedCreate(ctx, idem);
    if (retried) return retried.state === 'submitted' && body.receive ? receive(ctx, retried.id, { version: retried.version }) : retried;
    const p = await procedureFor(body.procedureId);
    const { agency, desk } = await agencyFor(p, body.agencyId);
    requireAccess(ctx.actor, RECEIVE, { scope: desk.path });
    const formErrors = checkFormValues(p.form, body.form, false);
    if (formErrors.length) throw problems.validation(formErrors);
    checkDelivery(p, body.resultDelivery);
    await checkFiles(ctx, p, body.files);
    const now = new Date();
    const id = randomUUID();
    await createOnce(ctx, idem, async (tx) => {
      const created = await append(
        tx,
        ctx,
        null,
        {
          event: {
            action: 'create',
            payload: createPayload({
              id,
              procedure: p,
              agency,
              desk,
              channel: body.channel,
              ownerAccountId: null,
              createdByAccountId: ctx.actor.accountId,
              form: body.form,
              resultDelivery: body.resultDelivery,
              notifyChannel: body.notifyChannel,
              notifyTo: body.notifyTo,
              requestKey,
              requestHash: idem?.hash ?? null,
            }),
          },
          fileIds: body.files?.map((f) => f.fileId),
        },
        now,
      );
      await repo.addFiles(tx, id, created.version, body.files ?? [], 'none');
      const submitted = await submitIn(tx, ctx, p, created, agency, now, null, componentsOf(body.files));
      await audit(tx, ctx, 'registered', submitted, { channel: body.channel });
      return submitted;
    });
    const d = await load(id);
    return body.receive ? receive(ctx, id, { version: d.version }) : detail(d);
  }

  async function receive(ctx: RequestContext, id: string, body: VersionBody): Promise<DossierDetail> {
    const d = await load(id);
    requireDesk(ctx, d);
    checkVersion(d, body.version);
    if (!canApply(d.state, 'receive')) throw wrongState(d, 'receive');
    const p = await pinned(d);
    const now = new Date();
    const cal = await calendar.data();
    const clock = d.processingHours ? startClock(d.processingHours, now) : null;
    const dueAt = clock ? clockDueDate(cal, clock) : null;
    const workflow = await processing.startAtReception(d, cal, now);
    const code = d.code as string;
    const pdf = await renderReceipt({
      desk: await deskInfo(d),
      number: code.split('-').at(-1) ?? code,
      code,
      trackingUrl: trackingUrl(code),
      applicant: d.applicant,
      procedureName: d.procedureName,
      components: p.components.map((c) => ({ name: c.name, copies: c.copies, original: c.original })),
      processingDays: d.processingHours ? d.processingHours / 8 : null,
      receivedAt: now,
      dueAt,
      resultDelivery: d.resultDelivery,
      officerName: officerName(ctx),
      place: config.provinceName,
    });
    const fileId = await storePdf(`mau-01-giay-tiep-nhan-${code}.pdf`, pdf);
    const received = await db.orm.transaction(async (tx) => {
      const after = await append(
        tx,
        ctx,
        d,
        {
          event: { action: 'receive', payload: { clock, dueAt: dueAt?.toISOString() ?? null, receiptFileId: fileId, ...workflow } },
          note: body.note,
          fileIds: [fileId],
        },
        now,
      );
      await repo.addFiles(tx, d.id, after.version, [{ componentKey: ISSUED, fileId }], 'none');
      await notifyApplicant(notify, ctx, tx, after, 'dossier.received', {
        procedureName: d.procedureName,
        receivedAt: formatDueDate(now),
        dueDate: dueAt ? formatDueDate(dueAt) : 'theo quy định của thủ tục',
        publicUrl: trackingUrl(code),
      });
      await audit(tx, ctx, 'received', after, { dueAt: after.dueAt });
      return after;
    });
    return detailAfter(d, received);
  }

  function wrongState(d: DossierView, action: DossierEvent['action']) {
    return problems.conflict('dossier_wrong_state', 'Không thể thực hiện thao tác', new TransitionError(action, d.state).message);
  }

  async function requestSupplement(ctx: RequestContext, id: string, body: RequestSupplementBody): Promise<DossierDetail> {
    const d = await load(id);
    if (can(ctx.actor, RECEIVE, { scope: d.deskScope })) requireDesk(ctx, d);
    else {
      // The agency appraising it may ask too (NĐ 61 Art. 19): the one holding the dossier now.
      requireRead(ctx, d);
      if (d.state !== 'received' || !processing.isHolder(ctx, d)) {
        throw problems.forbidden('Chỉ bộ phận một cửa hoặc cán bộ đang thẩm định hồ sơ mới được yêu cầu bổ sung.');
      }
    }
    if (d.state === 'received') await processing.checkSupplementWindow(d, new Date());
    checkVersion(d, body.version);
    if (!canApply(d.state, 'request_supplement')) throw wrongState(d, 'request_supplement');
    const p = await pinned(d);
    const keys = new Set(p.components.map((c) => c.key));
    const bad = body.items.findIndex((i) => i.componentKey !== undefined && !keys.has(i.componentKey));
    if (bad >= 0) throw problems.validation([{ field: `items/${bad}/componentKey`, message: 'Thủ tục không có thành phần hồ sơ này' }]);
    const now = new Date();
    const cal = await calendar.data();
    // The legal time stops while the office waits for the applicant (only if it had started).
    const clock = d.clock?.runningSince ? pauseClock(cal, d.clock, now) : d.clock;
    const code = d.code as string;
    const pdf = await renderSupplementRequest({
      desk: await deskInfo(d),
      code,
      trackingUrl: trackingUrl(code),
      applicant: d.applicant,
      procedureName: d.procedureName,
      items: body.items,
      reason: body.reason,
      officerName: officerName(ctx),
      contactPhone: null,
      issuedAt: now,
      place: config.provinceName,
    });
    const fileId = await storePdf(`mau-02-phieu-yeu-cau-bo-sung-${code}.pdf`, pdf);
    await db.orm.transaction(async (tx) => {
      const after = await append(
        tx,
        ctx,
        d,
        {
          event: { action: 'request_supplement', payload: { items: body.items, reason: body.reason, clock, fileId } },
          note: body.note,
          fileIds: [fileId],
        },
        now,
      );
      await repo.addFiles(tx, d.id, after.version, [{ componentKey: ISSUED, fileId }], 'none');
      await notifyApplicant(notify, ctx, tx, after, 'dossier.supplement_requested', {
        procedureName: d.procedureName,
        reason: [...body.items.map((i, n) => `${n + 1}. ${i.text}`), `Lý do: ${body.reason}`].join('\n'),
        publicUrl: trackingUrl(code),
      });
      await audit(tx, ctx, 'supplement_requested', after, { items: body.items.length });
    });
    return reload(id);
  }

  async function refuse(ctx: RequestContext, id: string, body: RefuseBody): Promise<DossierDetail> {
    const d = await load(id);
    requireDesk(ctx, d);
    checkVersion(d, body.version);
    if (!canApply(d.state, 'refuse')) throw wrongState(d, 'refuse');
    const now = new Date();
    const code = d.code as string;
    const pdf = await renderRefusal({
      desk: await deskInfo(d),
      code,
      trackingUrl: trackingUrl(code),
      applicant: d.applicant,
      procedureName: d.procedureName,
      reasons: body.reasons,
      officerName: officerName(ctx),
      issuedAt: now,
      place: config.provinceName,
    });
    const fileId = await storePdf(`mau-03-phieu-tu-choi-${code}.pdf`, pdf);
    await db.orm.transaction(async (tx) => {
      const after = await append(
        tx,
        ctx,
        d,
        { event: { action: 'refuse', payload: { reasons: body.reasons, fileId } }, note: body.note, fileIds: [fileId] },
        now,
      );
      await repo.addFiles(tx, d.id, after.version, [{ componentKey: ISSUED, fileId }], 'none');
      await notifyApplicant(notify, ctx, tx, after, 'dossier.refused', {
        procedureName: d.procedureName,
        reason: body.reasons.join('; '),
        publicUrl: trackingUrl(code),
      });
      await audit(tx, ctx, 'refused', after, { reasons: body.reasons.length });
    });
    return reload(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Lists and files
  // ---------------------------------------------------------------------------------------------

  function page(rows: DossierView[], limit: number, key: (d: DossierView) => [string, string]) {
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(summary), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
  }

  // ---------------------------------------------------------------------------------------------
  // Processing (dossiers.processing.ts) works through this core
  // ---------------------------------------------------------------------------------------------

  const core = {
    db,
    config,
    calendar,
    notify,
    signing: deps.signing,
    files,
    repo,
    ISSUED,
    DRAFT,
    RESULT,
    load,
    requireRead,
    isApplicant,
    requireDeskAccess: requireDesk,
    canProcessAt,
    checkVersion,
    append,
    audit,
    reload,
    detailAfter,
    storePdf,
    trackingUrl,
    verifyUrl: (code: string) => `${config.publicUrl.replace(/\/$/, '')}/xac-thuc/${encodeURIComponent(code)}`,
    async fileBytes(fileId: string): Promise<Uint8Array> {
      return (await files.content(systemContext('dossiers'), fileId)).bytes;
    },
    /** The signature box the template left on the last draft result (null for an uploaded PDF). */
    async resultBoxOf(dossierId: string): Promise<{ page: number; rect: [number, number, number, number] } | null> {
      const drafts = (await repo.actions(dossierId)).filter((a) => a.action === 'attach_result');
      const box = drafts.at(-1)?.payload.signatureBox as { page: number; rect: [number, number, number, number] } | undefined;
      return box ?? null;
    },
    /** A PDF the actor uploaded (the draft result); its id. */
    async ownPdf(ctx: RequestContext, fileId: string): Promise<string> {
      let meta: FileMeta;
      try {
        meta = await files.read(ctx, fileId);
      } catch {
        throw problems.validation([{ field: 'fileId', message: 'Không tìm thấy tệp đã tải lên' }]);
      }
      if (meta.mediaType !== 'application/pdf') throw problems.validation([{ field: 'fileId', message: 'Kết quả phải là tệp PDF' }]);
      return meta.id;
    },
  };
  const processing = processingService(core);
  const reads = officeReads(core, summary);

  return {
    trackingUrl,
    processing,
    reads,
    /** A dossier filed on the national portal, into its desk's reception queue (dossiers.import.ts). */
    importFromNational: nationalImport(core),
    create: createOnline,
    updateDraft,
    submit,
    supplement,
    registerAtCounter,
    receive,
    requestSupplement,
    refuse,

    async get(ctx: RequestContext, id: string): Promise<DossierDetail> {
      const d = await load(id);
      await requireApplicantOrRead(ctx, d);
      return detail(d);
    },

    async mine(ctx: RequestContext, q: MineQuery) {
      requireSignedIn(ctx.actor);
      const limit = q.limit ?? 50;
      const reach = ctx.actor.kind === 'citizen' && deps.parties ? await deps.parties.reach(ctx.actor.accountId) : undefined;
      const rows = await repo.mine(ctx.actor.accountId, q.state, decodeCursorPair(q.cursor), limit, reach);
      return page(rows, limit, (d) => [d.updatedAt, d.id]);
    },

    async office(ctx: RequestContext, q: OfficeQuery) {
      requireAccess(ctx.actor, RECEIVE);
      const limit = q.limit ?? 50;
      const rows = await repo.office(
        scopesFor(ctx.actor, RECEIVE),
        {
          queue: q.queue ?? 'all',
          state: q.state,
          channel: q.channel ? Number(q.channel) : undefined,
          procedureId: q.procedureId,
          q: q.q?.trim() || undefined,
        },
        decodeCursorPair(q.cursor),
        limit,
      );
      return page(rows, limit, (d) => [d.submittedAt ?? d.createdAt, d.id]);
    },

    /** The desk saves a scan made at the counter into the e-data store of the dossier's owner. */
    async saveCounterScan(ctx: RequestContext, id: string, body: CounterScan): Promise<{ documentId: string }> {
      const d = await load(id);
      requireDesk(ctx, d);
      const port = deps.reuse;
      if (!port) throw problems.notFound('Kho dữ liệu điện tử chưa được bật.');
      // A file of this dossier, or the officer's own upload (the scan just made).
      let known = (await repo.fileReused(id, body.fileId)) !== null;
      if (!known) known = (await files.readMany(ctx, [body.fileId])).size === 1;
      if (!known) throw problems.validation([{ field: 'fileId', message: 'Không tìm thấy tệp đã tải lên' }]);
      const documentId = await db.orm.transaction(async (tx) => port.saveCounterScan(tx, ctx, d, body));
      return { documentId };
    },

    async fileContent(ctx: RequestContext, id: string, fileId: string, download = false): Promise<FileContent> {
      const d = await load(id);
      await requireApplicantOrRead(ctx, d);
      const reused = await repo.fileReused(id, fileId);
      if (reused === null) throw problems.notFound('Không tìm thấy tệp trong hồ sơ.');
      const content = await files.content(systemContext('dossiers'), fileId);
      // A paper taken from the owner's e-data store: the read goes into the owner's access log.
      if (reused && deps.reuse) await deps.reuse.recordRead(ctx, d, fileId, download ? 'download' : 'view');
      return content;
    },

    // -------------------------------------------------------------------------------------------
    // Public tracking
    // -------------------------------------------------------------------------------------------

    /** What anyone with the code may see: no names, numbers or contacts. */
    publicStatus(code: string): Promise<PublicDossier> {
      return tracked.through(code, () => publicAnswer(code));
    },

    /** Full details for whoever shows the code plus the last 4 digits of the ID number or the phone. */
    async lookup(code: string, body: LookupBody): Promise<DossierDetail | null> {
      if (!body.idLast4 && !body.phone) {
        throw problems.validation([{ field: 'idLast4', message: 'Vui lòng nhập 4 số cuối số định danh hoặc số điện thoại của người nộp' }]);
      }
      const d = await repo.byCode(code);
      if (!d || d.publicStatus === null) return null;
      const idOk = body.idLast4 !== undefined && lastDigits(d.applicant.idNumber) === body.idLast4;
      // Phones compare on their last 9 digits so 0912…, +84912… and spaced forms all match.
      const phoneOk =
        body.phone !== undefined && d.applicant.phone !== null && lastDigits(d.applicant.phone, 9) === lastDigits(body.phone, 9);
      return idOk || phoneOk ? detail(d) : null;
    },

    async qrSvg(code: string): Promise<string> {
      await this.publicStatus(code);
      return QRCode.toString(trackingUrl(code), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    },
  };
}

export type DossiersService = ReturnType<typeof dossiersService>;

/** What processing use cases share with the rest of the module (built inside dossiersService). */
export type DossiersCore = {
  db: Database;
  config: Config;
  calendar: CalendarService;
  notify: Notifier;
  signing: SigningService;
  files: FileService;
  repo: ReturnType<typeof dossiersRepo>;
  ISSUED: string;
  DRAFT: string;
  RESULT: string;
  load(id: string): Promise<DossierView>;
  requireRead(ctx: RequestContext, d: DossierView): void;
  /** The owner, a representative of the owner business, or a proxy within a live authorisation. */
  isApplicant(ctx: RequestContext, d: DossierView): Promise<boolean>;
  requireDeskAccess(ctx: RequestContext, d: DossierView): void;
  canProcessAt(ctx: RequestContext, scope: string): boolean;
  checkVersion(d: DossierView, version: number | undefined): void;
  append(
    tx: Orm,
    ctx: RequestContext,
    before: DossierRecord | null,
    step: { event: DossierEvent; note?: string | null; fileIds?: string[] },
    at: Date,
  ): Promise<DossierRecord>;
  audit(tx: Orm, ctx: RequestContext, action: string, d: DossierRecord, details?: Record<string, unknown>): Promise<unknown>;
  reload(id: string): Promise<DossierDetail>;
  detailAfter(before: DossierView, after: DossierRecord): Promise<DossierDetail>;
  storePdf(name: string, bytes: Uint8Array): Promise<string>;
  trackingUrl(code: string): string;
  verifyUrl(code: string): string;
  fileBytes(fileId: string): Promise<Uint8Array>;
  resultBoxOf(dossierId: string): Promise<{ page: number; rect: [number, number, number, number] } | null>;
  ownPdf(ctx: RequestContext, fileId: string): Promise<string>;
};
