/**
 * Use cases of dossiers at submission and reception. Each starts with its access check; each write
 * appends one action to the dossier's log and writes the row derived from it (dossiers.state.ts) in
 * one transaction that ends with the audit record — a 2xx is only ever sent after that commit.
 */
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { can, requireAccess, requireSignedIn, scopesFor } from '../../platform/auth/access';
import { type RequestContext, systemContext } from '../../platform/auth/actor';
import {
  type CalendarService,
  clockDueDate,
  type LegalClock,
  localIsoDate,
  pauseClock,
  restartClock,
  startClock,
} from '../../platform/calendar';
import { type Database, isUniqueViolation, type Orm } from '../../platform/db/database';
import type { FileContent, FileService } from '../../platform/files';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination';
import { type FieldError, problems } from '../../platform/http/problem';
import type { Notifier } from '../../platform/notify';
import { currentProcedure, type Procedure, procedureVersion } from '../catalog';
import { type AgencyInfo, agencyById, receptionDeskOf } from '../org';
import { applicantOf, checkFormValues, lastDigits, summaryOf } from './dossiers.form-values';
import { formatDueDate, notifyApplicant } from './dossiers.notify';
import { renderReceipt, renderRefusal, renderSupplementRequest } from './dossiers.pdf';
import { type DossierView, dossiersRepo } from './dossiers.repo';
import type {
  CounterDossierBody,
  CreateDossierBody,
  DossierDetail,
  DossierSummary,
  FileRef,
  FormValues,
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

/**
 * Told of every action inside its transaction (before commit): what it does there — typically enqueue a
 * job with `jobs.sendInTx` — commits or rolls back with the action. Used by other modules (e.g. the
 * national portal sync) without dossiers knowing them.
 */
export type DossierActionListener = (
  tx: Orm,
  dossier: DossierRecord,
  action: { seq: number; action: DossierEvent['action']; at: Date },
) => Promise<void>;

export interface DossiersDeps {
  db: Database;
  config: Config;
  files: FileService;
  notify: Notifier;
  calendar: CalendarService;
  listeners?: readonly DossierActionListener[];
}

const RECEIVE = 'dossiers.receive' as const;
const ISSUED = '_issued';
const componentsOf = (files: FileRef[] | undefined) => new Set((files ?? []).map((f) => f.componentKey));

/** Where to tell the applicant by default: e-mail if the form has one, else SMS to the declared phone. */
function defaultNotifyChannel(form: FormValues): 'email' | 'sms' | null {
  const a = applicantOf(form);
  return a.email ? 'email' : a.phone ? 'sms' : null;
}

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
    const a = ctx.actor;
    const ok =
      (d.ownerAccountId !== null && a.accountId === d.ownerAccountId) ||
      (d.state !== 'draft' && (can(a, RECEIVE, { scope: d.deskScope }) || can(a, 'dossiers.process', { scope: d.agencyScope })));
    if (!ok) throw dossierNotFound();
  }

  function requireOwner(ctx: RequestContext, d: DossierView): void {
    requireSignedIn(ctx.actor);
    if (d.ownerAccountId === null || d.ownerAccountId !== ctx.actor.accountId) throw dossierNotFound();
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

  async function procedureFor(idOrCode: string): Promise<Procedure> {
    const p = await currentProcedure(db, idOrCode);
    if (p?.status !== 'active') {
      throw problems.validation([{ field: 'procedureId', message: 'Không tìm thấy thủ tục đang áp dụng' }]);
    }
    return p;
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
    const agency = await agencyById(db, id);
    if (!agency?.active) throw problems.validation([{ field: 'agencyId', message: 'Cơ quan không còn hoạt động' }]);
    const desk = await receptionDeskOf(db, agency);
    if (!desk)
      throw problems.unprocessable(
        'no_reception_desk',
        'Chưa có bộ phận tiếp nhận',
        'Cơ quan này chưa có bộ phận một cửa tiếp nhận hồ sơ.',
      );
    return { agency, desk };
  }

  /** Files must be the actor's own uploads and name components of the procedure. */
  async function checkFiles(ctx: RequestContext, p: Procedure, refs: FileRef[] | undefined, field = 'files'): Promise<void> {
    if (!refs?.length) return;
    const keys = new Set(p.components.map((c) => c.key));
    const errors: FieldError[] = [];
    for (const [i, r] of refs.entries()) {
      if (!keys.has(r.componentKey)) errors.push({ field: `${field}/${i}/componentKey`, message: 'Thủ tục không có thành phần hồ sơ này' });
    }
    const seen = new Set<string>();
    for (const [i, r] of refs.entries()) {
      if (seen.has(r.fileId)) errors.push({ field: `${field}/${i}/fileId`, message: 'Tệp được đính kèm hai lần' });
      seen.add(r.fileId);
      try {
        await files.read(ctx, r.fileId);
      } catch {
        errors.push({ field: `${field}/${i}/fileId`, message: 'Không tìm thấy tệp đã tải lên' });
      }
    }
    if (errors.length) throw problems.validation(errors);
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
    if (before === null) await repo.insert(tx, after);
    else if (!(await repo.update(tx, after, before.version))) throw versionConflict();
    await repo.appendAction(tx, {
      dossierId: after.id,
      seq,
      at,
      event: step.event,
      actorAccountId: ctx.actor.accountId,
      actorLabel: ctx.actor.label,
      note: step.note ?? null,
      fileIds: step.fileIds ?? [],
    });
    for (const listener of deps.listeners ?? []) await listener(tx, after, { seq, action: step.event.action, at });
    return after;
  }

  function audit(tx: Orm, ctx: RequestContext, action: string, d: DossierRecord, details: Record<string, unknown> = {}) {
    return recordAudit(tx, ctx, {
      action: `dossier.${action}`,
      targetType: 'dossier',
      targetId: d.id,
      details: { code: d.code, state: d.state, procedureId: d.procedureId, ...details },
    });
  }

  /** Gives the dossier its code (TT 01/2018 Art. 19): the agency's number for the local day. */
  async function codeFor(tx: Orm, agency: { id: string; code: string }, at: Date): Promise<string> {
    const day = localIsoDate(at);
    const n = await repo.nextSequence(tx, agency.id, day);
    return `${agency.code}-${day.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
  }

  function checkVersion(d: DossierView, version: number | undefined): void {
    if (version !== undefined && version !== d.version) throw versionConflict();
  }

  // ---------------------------------------------------------------------------------------------
  // Issued forms
  // ---------------------------------------------------------------------------------------------

  async function deskInfo(d: DossierView) {
    const desk = await agencyById(db, d.deskAgencyId);
    const parent = desk?.parentId ? await agencyById(db, desk.parentId) : null;
    return { name: desk?.name ?? d.deskAgencyName, parentName: parent?.name ?? null };
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
      default:
        return {};
    }
  }

  async function detail(d: DossierView): Promise<DossierDetail> {
    const [actions, fileRows] = await Promise.all([repo.actions(d.id), repo.files(d.id)]);
    return {
      ...summary(d),
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

  async function reload(id: string): Promise<DossierDetail> {
    return detail(await load(id));
  }

  // ---------------------------------------------------------------------------------------------
  // Draft and submission (the applicant, online)
  // ---------------------------------------------------------------------------------------------

  /** Creates the dossier's first action (and, with `submit`, submits it in the same transaction). */
  async function createOnline(ctx: RequestContext, body: CreateDossierBody, requestKey: string | null = null): Promise<DossierDetail> {
    requireSignedIn(ctx.actor);
    const retried = await retriedCreate(ctx, requestKey);
    if (retried) return retried;
    const p = await procedureFor(body.procedureId);
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
    await checkFiles(ctx, p, body.files);
    const now = new Date();
    const id = randomUUID();
    const created = await createOnce(ctx, requestKey, (tx) => transactionBody(tx));
    return reload(created.id);

    async function transactionBody(tx: Orm): Promise<DossierRecord> {
      let d = await append(
        tx,
        ctx,
        null,
        {
          event: {
            action: 'create',
            payload: {
              id,
              procedureId: p.id,
              procedureVersion: p.version,
              agencyId: agency.id,
              agencyScope: agency.path,
              deskAgencyId: desk.id,
              deskScope: desk.path,
              channel: 2,
              ownerAccountId: ctx.actor.accountId,
              createdByAccountId: ctx.actor.accountId,
              processingHours: p.processingHours,
              form,
              applicant: applicantOf(form),
              summary: summaryOf(form),
              resultDelivery: body.resultDelivery ?? defaultDelivery(p),
              notifyChannel: body.notifyChannel ?? defaultNotifyChannel(form),
              notifyTo: body.notifyTo ?? null,
              requestKey,
            },
          },
          fileIds: body.files?.map((f) => f.fileId),
        },
        now,
      );
      await repo.addFiles(tx, id, d.version, body.files ?? [], 'none');
      if (body.submit) d = await submitIn(tx, ctx, p, d, agency, now, null, componentsOf(body.files));
      await audit(tx, ctx, body.submit ? 'submitted' : 'draft_created', d, { channel: 2 });
      return d;
    }
  }

  /** A retry of a create whose first attempt committed but never answered (the server died): its dossier. */
  async function retriedCreate(ctx: RequestContext, requestKey: string | null): Promise<DossierDetail | null> {
    if (!requestKey || !ctx.actor.accountId) return null;
    const id = await repo.idByRequestKey(ctx.actor.accountId, requestKey);
    return id ? reload(id) : null;
  }

  /** Runs a creating transaction; if a concurrent retry with the same key won the race, answers with its dossier. */
  async function createOnce(
    ctx: RequestContext,
    requestKey: string | null,
    body: (tx: Orm) => Promise<DossierRecord>,
  ): Promise<{ id: string }> {
    try {
      return await db.orm.transaction(body);
    } catch (e) {
      const existing =
        requestKey && ctx.actor.accountId && isUniqueViolation(e) ? await repo.idByRequestKey(ctx.actor.accountId, requestKey) : null;
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
    const errors = await completenessErrors(p, d, tx, components);
    if (errors.length) {
      throw problems.unprocessable(
        'dossier_incomplete',
        'Hồ sơ chưa đầy đủ',
        'Vui lòng hoàn thiện các mục còn thiếu trước khi nộp.',
        errors,
      );
    }
    if (!d.notifyChannel) {
      // Default notification: e-mail if given, else SMS to the declared phone.
      const channel = d.applicant.email ? 'email' : d.applicant.phone ? 'sms' : null;
      if (channel) {
        d = await append(tx, ctx, d, { event: { action: 'update_draft', payload: { notifyChannel: channel, notifyTo: null } } }, at);
      }
    }
    const code = await codeFor(tx, agency, at);
    return append(tx, ctx, d, { event: { action: 'submit', payload: requestKey ? { code, requestKey } : { code } } }, at);
  }

  async function updateDraft(ctx: RequestContext, id: string, body: UpdateDraftBody): Promise<DossierDetail> {
    const d = await load(id);
    requireOwner(ctx, d);
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
      await audit(tx, ctx, 'draft_updated', after);
    });
    return reload(id);
  }

  async function submit(ctx: RequestContext, id: string, body: VersionBody, requestKey: string | null = null): Promise<DossierDetail> {
    const d = await load(id);
    requireOwner(ctx, d);
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
    requireOwner(ctx, d);
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
      await audit(tx, ctx, 'supplemented', after, { files: body.files?.length ?? 0 });
    });
    return reload(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Reception desk
  // ---------------------------------------------------------------------------------------------

  /** Counter (channel 1) or post (channel 3): the officer registers the dossier for the applicant. */
  async function registerAtCounter(
    ctx: RequestContext,
    body: CounterDossierBody,
    requestKey: string | null = null,
  ): Promise<DossierDetail> {
    requireAccess(ctx.actor, RECEIVE);
    const retried = await retriedCreate(ctx, requestKey);
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
    await createOnce(ctx, requestKey, async (tx) => {
      const created = await append(
        tx,
        ctx,
        null,
        {
          event: {
            action: 'create',
            payload: {
              id,
              procedureId: p.id,
              procedureVersion: p.version,
              agencyId: agency.id,
              agencyScope: agency.path,
              deskAgencyId: desk.id,
              deskScope: desk.path,
              channel: body.channel,
              ownerAccountId: null,
              createdByAccountId: ctx.actor.accountId,
              processingHours: p.processingHours,
              form: body.form,
              applicant: applicantOf(body.form),
              summary: summaryOf(body.form),
              resultDelivery: body.resultDelivery,
              notifyChannel: body.notifyChannel ?? defaultNotifyChannel(body.form),
              notifyTo: body.notifyTo ?? null,
              requestKey,
            },
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
    await db.orm.transaction(async (tx) => {
      const after = await append(
        tx,
        ctx,
        d,
        {
          event: { action: 'receive', payload: { clock, dueAt: dueAt?.toISOString() ?? null, receiptFileId: fileId } },
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
    });
    return reload(id);
  }

  function wrongState(d: DossierView, action: DossierEvent['action']) {
    return problems.conflict('dossier_wrong_state', 'Không thể thực hiện thao tác', new TransitionError(action, d.state).message);
  }

  async function requestSupplement(ctx: RequestContext, id: string, body: RequestSupplementBody): Promise<DossierDetail> {
    const d = await load(id);
    requireDesk(ctx, d);
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

  function cursorKey(cursor: string | undefined): [string, string] | null {
    const key = decodeCursor(cursor);
    if (!key) return null;
    if (key.length !== 2 || typeof key[0] !== 'string' || typeof key[1] !== 'string') {
      throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
    }
    return [key[0], key[1]];
  }

  function page(rows: DossierView[], limit: number, key: (d: DossierView) => [string, string]) {
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(summary), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
  }

  return {
    trackingUrl,
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
      requireRead(ctx, d);
      return detail(d);
    },

    async mine(ctx: RequestContext, q: MineQuery) {
      requireSignedIn(ctx.actor);
      const limit = q.limit ?? 50;
      const rows = await repo.mine(ctx.actor.accountId, q.state, cursorKey(q.cursor), limit);
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
        cursorKey(q.cursor),
        limit,
      );
      return page(rows, limit, (d) => [d.submittedAt ?? d.createdAt, d.id]);
    },

    async fileContent(ctx: RequestContext, id: string, fileId: string): Promise<FileContent> {
      const d = await load(id);
      requireRead(ctx, d);
      if (!(await repo.hasFile(id, fileId))) throw problems.notFound('Không tìm thấy tệp trong hồ sơ.');
      return files.content(systemContext('dossiers'), fileId);
    },

    // -------------------------------------------------------------------------------------------
    // Public tracking
    // -------------------------------------------------------------------------------------------

    /** What anyone with the code may see: no names, numbers or contacts. */
    async publicStatus(code: string): Promise<PublicDossier> {
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
