/**
 * Use cases of processing a received dossier on its pinned workflow version: taking a workflow action
 * (forward, assign, appraise, approve — which signs the e-result — send back, return the result),
 * reassigning, opinions and site visits, the draft result, consultations of other agencies, the apology
 * letter with a new date (once), stopping, and the applicant's withdrawal. Who may take a workflow
 * action is the workflow's business: its roles, at the agency the action names (`holdsRole`).
 *
 * Every write appends one action through the dossiers core (`append`), which also rewrites the work
 * queue rows and tells the listeners, then audits, in one transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import { requireAccess, withinScope } from '../../platform/auth/access';
import type { Actor, RequestContext } from '../../platform/auth/actor';
import { TtlCache } from '../../platform/cache';
import { addWorkingDays, addWorkingHours, type CalendarData, workingHoursBetween } from '../../platform/calendar';
import type { Orm } from '../../platform/db/database';
import { type FieldError, Problem, problems } from '../../platform/http/problem';
import { SigningError } from '../../platform/signing';
import { type AgencyInfo, agencyByCode, agencyById, departmentPath, staffWithRoles } from '../org';
import {
  actionsFrom,
  type DossierPlace,
  publishedDefinition,
  type WorkflowAction,
  type WorkflowDefinition,
  workflowInForce,
} from '../workflows';
import { formatDueDate, notifyApplicant } from './dossiers.notify';
import { renderApology, renderResultDocument, renderStopNotice } from './dossiers.pdf-processing';
import type { DossierView } from './dossiers.repo';
import type { DossiersCore } from './dossiers.service';
import type { DossierRecord, OpenStep } from './dossiers.state';
import { type AgencyRef, agencyCodesOf, isEnd, stepsAfter, stepsAtStart, timeliness, waitingBranches } from './dossiers.steps';

export interface ActBody {
  action: string;
  branch?: string | null;
  version?: number;
  note?: string;
  assigneeId?: string;
  returnMethod?: 'online' | 'counter' | 'post';
}

export interface AvailableWork {
  key: string;
  name: string;
  branch: string | null;
  from: string;
  to: string;
  agencyName: string;
  requiresNote: boolean;
  assigns: boolean;
  signsResult: boolean;
  returnsResult: boolean;
  sendBack: boolean;
  /** Why it cannot be taken now (e.g. waiting for parallel agencies); null when it can. */
  blockedBy: string | null;
}

/** True when the actor holds `role` at the agency (a grant over it, or over one of its departments). */
export function holdsRole(actor: Actor, role: string, agencyPath: string, departmentScope?: string | null): boolean {
  if (actor.kind === 'system') return true;
  return actor.grants.some((g) => {
    if (g.role !== role) return false;
    if (departmentScope) return withinScope(g.scope, departmentScope);
    return withinScope(g.scope, agencyPath) || g.scope.startsWith(`${agencyPath}/d:`);
  });
}

const LEADER = 'lanhdao';
/** The branch a request names: null, '' (what a null becomes through type coercion) or absent mean the main flow. */
const mainOr = (branch: string | null | undefined) => branch || null;
const ONE_WORKING_DAY = 8;
/** NĐ 61 Art. 19: a supplement asked during appraisal must come within 3 working days of reception. */
const SUPPLEMENT_WINDOW_HOURS = 3 * 8;

export function processingService(core: DossiersCore) {
  const { db, calendar, signing, notify, repo } = core;

  // ---------------------------------------------------------------------------------------------
  // Workflow and agencies (published versions and agencies change rarely: cached per process)
  // ---------------------------------------------------------------------------------------------

  const definitions = new Map<string, WorkflowDefinition>();
  async function definitionOf(d: Pick<DossierRecord, 'workflowId' | 'workflowVersion'>): Promise<WorkflowDefinition> {
    if (!d.workflowId || !d.workflowVersion) {
      throw problems.conflict('no_workflow', 'Hồ sơ chưa có quy trình', 'Hồ sơ này được tiếp nhận trước khi có quy trình giải quyết.');
    }
    const key = `${d.workflowId}:${d.workflowVersion}`;
    const cached = definitions.get(key);
    if (cached) return cached;
    const definition = await publishedDefinition(db, d.workflowId, d.workflowVersion);
    if (!definition) throw new Error(`workflow ${key} missing`);
    definitions.set(key, definition);
    return definition;
  }

  const agencies = new TtlCache<string, AgencyInfo | null>(60_000);
  const agencyWithId = (id: string) => agencies.through(`id:${id}`, () => agencyById(db, id));
  const agencyWithCode = (code: string) => agencies.through(`code:${code}`, () => agencyByCode(db, code));

  async function placeOf(d: Pick<DossierRecord, 'deskAgencyId' | 'agencyId'>): Promise<DossierPlace> {
    const [desk, resolving] = await Promise.all([agencyWithId(d.deskAgencyId), agencyWithId(d.agencyId)]);
    if (!desk || !resolving) throw new Error('dossier agencies missing');
    return { deskAgencyCode: desk.code, resolvingAgencyCode: resolving.code };
  }

  /** An agency as printed at the head of the forms it issues (with its parent). */
  async function formAgency(agencyId: string, fallbackName: string): Promise<{ name: string; parentName: string | null }> {
    const agency = await agencyWithId(agencyId);
    const parent = agency?.parentId ? await agencyWithId(agency.parentId) : null;
    return { name: agency?.name ?? fallbackName, parentName: parent?.name ?? null };
  }
  const issuerOf = (d: DossierView) => formAgency(d.agencyId, d.agencyName);

  /** The number printed on a form: the dossier code's daily sequence. */
  const sequenceOf = (d: DossierView) => String(d.code?.split('-').at(-1) ?? '');

  /** Resolves every agency code the steps may need, once, into a synchronous lookup. */
  async function agencyLookup(def: WorkflowDefinition, states: string[], place: DossierPlace) {
    const map = new Map<string, AgencyRef>();
    for (const code of agencyCodesOf(def, states, place)) {
      const a = await agencyWithCode(code);
      if (a) map.set(code, { id: a.id, code: a.code, name: a.name, path: a.path });
    }
    return (code: string): AgencyRef => {
      const a = map.get(code);
      if (!a)
        throw problems.conflict(
          'workflow_agency_missing',
          'Quy trình sai cơ quan',
          `Không tìm thấy cơ quan có mã ${code} trong quy trình.`,
        );
      return a;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Reception: the pinned workflow and its first steps
  // ---------------------------------------------------------------------------------------------

  /** The workflow in force for the dossier's procedure and the steps it opens at `at` (null: no workflow). */
  async function startAtReception(d: DossierView, cal: CalendarData, at: Date) {
    const wf = await workflowInForce(db, d.procedureId);
    if (!wf) return null;
    const place = await placeOf(d);
    const agencies = await agencyLookup(wf.definition, [wf.definition.start], place);
    return {
      workflowId: wf.workflowId,
      workflowVersion: wf.version,
      steps: stepsAtStart(wf.definition, place, agencies, cal, at),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // What the actor may do
  // ---------------------------------------------------------------------------------------------

  interface Candidate {
    step: OpenStep;
    action: WorkflowAction;
    agency: AgencyRef;
    blockedBy: string | null;
  }

  async function candidates(ctx: RequestContext, d: DossierView, def: WorkflowDefinition, place: DossierPlace): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const agencies = await agencyLookup(
      def,
      d.steps.map((s) => s.state),
      place,
    );
    for (const step of d.steps) {
      const waiting = step.branch === null ? waitingBranches(def, d.steps, step.state) : [];
      for (const a of actionsFrom(def, step.state, place)) {
        const agency = agencies(a.agencyCode);
        const dept = a.action.department ? await departmentPath(db, agency.id, a.action.department) : null;
        if (a.action.department && !dept) continue;
        if (!a.action.roles.some((r) => holdsRole(ctx.actor, r, agency.path, dept))) continue;
        // Once a step is assigned, its holder acts on it; the agency's leaders may act in their place.
        if (step.assigneeId && step.assigneeId !== ctx.actor.accountId && !holdsRole(ctx.actor, LEADER, agency.path)) continue;
        const blockedBy = waiting.length ? `Đang chờ: ${waiting.map((b) => b.name).join(', ')}` : null;
        out.push({ step, action: a.action, agency, blockedBy });
      }
    }
    return out;
  }

  function available(c: Candidate): AvailableWork {
    return {
      key: c.action.key,
      name: c.action.name,
      branch: c.step.branch,
      from: c.step.state,
      to: c.action.to,
      agencyName: c.agency.name,
      requiresNote: !!c.action.requiresNote,
      assigns: !!c.action.assigns,
      signsResult: !!c.action.signsResult,
      returnsResult: !!c.action.returnsResult,
      sendBack: !!c.action.sendBack,
      blockedBy: c.blockedBy,
    };
  }

  /** May the actor work on this dossier at all (an open step at an agency where they hold a role)? */
  function isHolder(ctx: RequestContext, d: DossierView): boolean {
    return d.steps.some(
      (s) => s.assigneeId === ctx.actor.accountId || s.holders.some((h) => h.roles.some((r) => holdsRole(ctx.actor, r, h.agencyScope))),
    );
  }

  function requireHolder(ctx: RequestContext, d: DossierView): void {
    if (!isHolder(ctx, d)) {
      throw problems.forbidden('Chỉ cán bộ đang xử lý bước hiện tại của hồ sơ mới được thực hiện thao tác này.');
    }
  }

  function requireLeaderOf(ctx: RequestContext, agencyPath: string, what: string): void {
    if (!holdsRole(ctx.actor, LEADER, agencyPath)) throw problems.forbidden(`Chỉ lãnh đạo cơ quan giải quyết mới được ${what}.`);
  }

  function requireState(d: DossierView, states: DossierView['state'][], what: string): void {
    if (!states.includes(d.state)) {
      throw problems.conflict('dossier_wrong_state', 'Không thể thực hiện thao tác', `Hồ sơ ở bước "${d.currentStep}" không thể ${what}.`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Taking a workflow action
  // ---------------------------------------------------------------------------------------------

  async function assigneeFor(agency: AgencyRef, def: WorkflowDefinition, to: string, place: DossierPlace, id: string | undefined) {
    if (!id) throw problems.validation([{ field: 'assigneeId', message: 'Vui lòng chọn cán bộ thụ lý' }]);
    const roles = [...new Set(actionsFrom(def, to, place).flatMap((a) => a.action.roles))];
    const staff = await staffWithRoles(db, { path: agency.path }, roles);
    const who = staff.find((s) => s.accountId === id);
    if (!who)
      throw problems.validation([
        { field: 'assigneeId', message: 'Cán bộ này không thuộc cơ quan hoặc không có vai trò xử lý bước tiếp theo' },
      ]);
    return { id: who.accountId, label: who.name };
  }

  /** Signs the draft result with the agency's certificate; the signed PDF becomes the dossier's e-result. */
  async function signResult(ctx: RequestContext, d: DossierView, agency: AgencyRef, at: Date) {
    if (!d.resultDraftFileId) {
      throw problems.conflict(
        'no_result_draft',
        'Chưa có dự thảo kết quả',
        'Chuyên viên cần tạo hoặc tải lên dự thảo kết quả (PDF) trước khi phê duyệt.',
      );
    }
    const draft = await core.fileBytes(d.resultDraftFileId);
    const box = await core.resultBoxOf(d.id);
    let signed: Uint8Array;
    try {
      const signer = await signing.signerFor(agency.code);
      signed = await signer.sign(draft, {
        reason: `Phê duyệt kết quả giải quyết hồ sơ ${d.code}`,
        location: core.config.provinceName,
        signerName: ctx.actor.label,
        appearance: box ?? undefined,
      });
    } catch (e) {
      if (e instanceof SigningError) {
        throw problems.unprocessable(
          'signing_failed',
          'Không ký số được kết quả',
          `${e.message} (cơ quan ${agency.name}, mã ${agency.code}).`,
        );
      }
      throw e;
    }
    const fileId = await core.storePdf(`ket-qua-${d.code}.pdf`, signed);
    return { fileId, sha256: createHash('sha256').update(signed).digest('hex'), signedAt: at.toISOString() };
  }

  async function act(ctx: RequestContext, id: string, body: ActBody) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['received'], 'chuyển bước');
    const def = await definitionOf(d);
    const place = await placeOf(d);
    const mine = await candidates(ctx, d, def, place);
    const matches = mine.filter(
      (c) => c.action.key === body.action && (body.branch === undefined || c.step.branch === mainOr(body.branch)),
    );
    if (!matches.length) {
      const exists = d.steps.some((s) => actionsFrom(def, s.state, place).some((a) => a.action.key === body.action));
      if (!exists) {
        throw problems.conflict(
          'dossier_wrong_state',
          'Không thể thực hiện thao tác',
          `Ở bước hiện tại hồ sơ không có thao tác "${body.action}".`,
        );
      }
      throw problems.forbidden(
        'Bạn không có vai trò thực hiện thao tác này ở cơ quan đang xử lý hồ sơ (hoặc hồ sơ đã phân công cho cán bộ khác).',
      );
    }
    const c = matches[0] as Candidate;
    if (c.blockedBy) throw problems.conflict('waiting_for_branches', 'Chưa thể chuyển bước', `${c.blockedBy}.`);
    const note = body.note?.trim() || null;
    if (c.action.requiresNote && !note) throw problems.validation([{ field: 'note', message: 'Vui lòng ghi rõ ý kiến, lý do' }]);
    const returnMethod = c.action.returnsResult ? (body.returnMethod ?? d.resultDelivery) : undefined;
    if (c.action.returnsResult && returnMethod === 'online' && !d.resultFileId) {
      throw problems.conflict('no_e_result', 'Chưa có kết quả điện tử', 'Hồ sơ chưa có kết quả đã ký số để trả trực tuyến.');
    }
    const at = new Date();
    const cal = await calendar.data();
    const assignee = c.action.assigns ? await assigneeFor(c.agency, def, c.action.to, place, body.assigneeId) : null;
    const result = c.action.signsResult ? await signResult(ctx, d, c.agency, at) : undefined;
    const agencies = await agencyLookup(def, [c.action.to], place);
    const steps = stepsAfter(def, d.steps, c.step, c.action, place, agencies, cal, at, assignee);
    const entered = steps.find((s) => s.branch === c.step.branch && s.state === c.action.to) ?? null;
    const completed = c.step.branch === null && isEnd(def, c.action.to, place);
    const handover = {
      fromAgencyName: c.agency.name,
      toAgencyName: entered?.holders[0]?.agencyName ?? (completed ? 'Người nộp hồ sơ' : c.agency.name),
      stepDueAt: c.step.dueAt,
      status: timeliness(at, c.step.dueAt),
    };
    const after = await db.orm.transaction(async (tx) => {
      const after = await core.append(
        tx,
        ctx,
        d,
        {
          event: {
            action: 'advance',
            payload: {
              key: c.action.key,
              name: c.action.name,
              branch: c.step.branch,
              from: c.step.state,
              to: c.action.to,
              steps,
              handover,
              ...(result ? { result } : {}),
              ...(returnMethod ? { returnMethod } : {}),
              ...(completed ? { completed } : {}),
            },
          },
          note,
          fileIds: result ? [result.fileId] : [],
        },
        at,
      );
      if (result) await repo.addFiles(tx, d.id, after.version, [{ componentKey: core.RESULT, fileId: result.fileId }], 'none');
      if ((after.publicStatus ?? 0) === 9 && (d.publicStatus ?? 0) < 9) await tellResultReady(ctx, tx, after, d);
      await core.audit(tx, ctx, `action.${c.action.key}`, after, { step: c.step.state, to: c.action.to, status: handover.status });
      return after;
    });
    return core.detailAfter(d, after);
  }

  async function tellResultReady(ctx: RequestContext, tx: Orm, after: DossierRecord, d: DossierView) {
    await notifyApplicant(notify, ctx, tx, after, 'dossier.result_ready', {
      procedureName: d.procedureName,
      publicUrl: core.trackingUrl(d.code as string),
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Assignment
  // ---------------------------------------------------------------------------------------------

  /** The leader gives an open step to another person of the agency (the step stays where it is). */
  async function reassign(ctx: RequestContext, id: string, body: { branch?: string | null; assigneeId: string; version?: number }) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['received'], 'phân công lại');
    const step = d.steps.find((s) => s.branch === mainOr(body.branch));
    const holder = step?.holders[0];
    if (!step || !holder)
      throw problems.conflict('dossier_wrong_state', 'Không thể phân công', 'Bước hiện tại không có người xử lý để phân công.');
    requireLeaderOf(ctx, holder.agencyScope, 'phân công lại hồ sơ');
    const agency = { id: holder.agencyId, code: holder.agencyCode, name: holder.agencyName, path: holder.agencyScope };
    const staff = await staffWithRoles(db, agency, holder.roles);
    const who = staff.find((s) => s.accountId === body.assigneeId);
    if (!who) throw problems.validation([{ field: 'assigneeId', message: 'Cán bộ này không có vai trò xử lý bước hiện tại' }]);
    const steps = d.steps.map((s) => (s === step ? { ...s, assigneeId: who.accountId, assigneeLabel: who.name } : s));
    await db.orm.transaction(async (tx) => {
      const after = await core.append(tx, ctx, d, { event: { action: 'reassign', payload: { branch: step.branch, steps } } }, new Date());
      await core.audit(tx, ctx, 'reassigned', after, { step: step.state });
    });
    return core.reload(id);
  }

  /** Assigns many dossiers at once; each is its own transaction and reports its own outcome. */
  async function bulkAssign(ctx: RequestContext, body: { dossierIds: string[]; assigneeId: string }) {
    // Assigning is the leaders' work; each dossier is then checked against its own step.
    requireAccess(ctx.actor, 'dossiers.approve');
    const results: { id: string; ok: boolean; code: string | null; error: string | null }[] = [];
    for (const id of body.dossierIds) {
      try {
        const d = await core.load(id);
        core.requireRead(ctx, d);
        const def = await definitionOf(d);
        const place = await placeOf(d);
        const assign = (await candidates(ctx, d, def, place)).find((c) => c.action.assigns && !c.blockedBy);
        if (!assign) throw problems.conflict('nothing_to_assign', 'Không thể phân công', 'Hồ sơ không ở bước phân công của bạn.');
        const after = await act(ctx, id, { action: assign.action.key, branch: assign.step.branch, assigneeId: body.assigneeId });
        results.push({ id, ok: true, code: after.code, error: null });
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        results.push({ id, ok: false, code: null, error: e.detail ?? e.title });
      }
    }
    return { results, assigned: results.filter((r) => r.ok).length };
  }

  // ---------------------------------------------------------------------------------------------
  // Opinions, result draft, consultations
  // ---------------------------------------------------------------------------------------------

  async function addOpinion(
    ctx: RequestContext,
    id: string,
    body: { kind: 'opinion' | 'site_visit'; text: string; visitAt?: string; place?: string; participants?: string; version?: number },
  ) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['received'], 'ghi ý kiến');
    requireHolder(ctx, d);
    if (body.kind === 'site_visit' && (!body.visitAt || !body.place)) {
      const errors: FieldError[] = [];
      if (!body.visitAt) errors.push({ field: 'visitAt', message: 'Vui lòng nhập thời gian xác minh thực địa' });
      if (!body.place) errors.push({ field: 'place', message: 'Vui lòng nhập địa điểm xác minh' });
      throw problems.validation(errors);
    }
    await db.orm.transaction(async (tx) => {
      const after = await core.append(
        tx,
        ctx,
        d,
        {
          event: {
            action: 'opinion',
            payload: {
              kind: body.kind,
              text: body.text.trim(),
              visitAt: body.visitAt ?? null,
              place: body.place?.trim() || null,
              participants: body.participants?.trim() || null,
            },
          },
        },
        new Date(),
      );
      await core.audit(tx, ctx, 'opinion', after, { kind: body.kind });
    });
    return core.reload(id);
  }

  /** The draft result: an uploaded PDF, or one made from the platform's template with the specialist's text. */
  async function attachResult(
    ctx: RequestContext,
    id: string,
    body: { fileId?: string; title?: string; paragraphs?: string[]; version?: number },
  ) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['received'], 'dự thảo kết quả');
    requireHolder(ctx, d);
    const title = body.title?.trim() || 'KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH';
    let fileId: string;
    let box: { page: number; rect: [number, number, number, number] } | null = null;
    if (body.fileId) {
      const meta = await core.ownPdf(ctx, body.fileId);
      fileId = meta;
    } else {
      const paragraphs = (body.paragraphs ?? []).map((p) => p.trim()).filter(Boolean);
      if (!paragraphs.length) {
        throw problems.validation([{ field: 'paragraphs', message: 'Vui lòng nhập nội dung kết quả hoặc tải lên tệp PDF' }]);
      }
      const rendered = await renderResultDocument({
        agency: await issuerOf(d),
        number: sequenceOf(d),
        title,
        procedureName: d.procedureName,
        code: d.code as string,
        applicant: d.applicant,
        paragraphs,
        verifyUrl: core.verifyUrl(d.code as string),
        signerTitle: 'THỦ TRƯỞNG CƠ QUAN',
        signerName: '',
        issuedAt: new Date(),
        place: core.config.provinceName,
      });
      fileId = await core.storePdf(`du-thao-ket-qua-${d.code}.pdf`, rendered.pdf);
      box = rendered.signatureBox;
    }
    const after = await db.orm.transaction(async (tx) => {
      const after = await core.append(
        tx,
        ctx,
        d,
        { event: { action: 'attach_result', payload: { fileId, title, ...(box ? { signatureBox: box } : {}) } }, fileIds: [fileId] },
        new Date(),
      );
      await repo.addFiles(tx, d.id, after.version, [{ componentKey: core.DRAFT, fileId }], 'components');
      await core.audit(tx, ctx, 'result_drafted', after, {});
      return after;
    });
    return core.detailAfter(d, after);
  }

  async function consult(
    ctx: RequestContext,
    id: string,
    body: { agencyId: string; question: string; dueDays?: number; version?: number },
  ) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['received'], 'lấy ý kiến');
    requireHolder(ctx, d);
    const agency = await agencyWithId(body.agencyId);
    if (!agency?.active) throw problems.validation([{ field: 'agencyId', message: 'Không tìm thấy cơ quan được lấy ý kiến' }]);
    if (agency.id === d.agencyId)
      throw problems.validation([{ field: 'agencyId', message: 'Hãy chọn một cơ quan khác cơ quan giải quyết' }]);
    const at = new Date();
    const cal = await calendar.data();
    const dueAt = body.dueDays ? addWorkingDays(cal, at, body.dueDays) : null;
    const consultation = {
      id: randomUUID(),
      agencyId: agency.id,
      agencyName: agency.name,
      agencyScope: agency.path,
      question: body.question.trim(),
      dueAt: dueAt?.toISOString() ?? null,
      askedAt: at.toISOString(),
      answer: null,
      answeredAt: null,
      answeredBy: null,
    };
    await db.orm.transaction(async (tx) => {
      const after = await core.append(tx, ctx, d, { event: { action: 'consult', payload: { consultation } } }, at);
      await core.audit(tx, ctx, 'consulted', after, { agencyId: agency.id });
    });
    return core.reload(id);
  }

  async function answerConsultation(ctx: RequestContext, id: string, consultationId: string, body: { answer: string; version?: number }) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    const c = d.consultations.find((x) => x.id === consultationId);
    if (!c) throw problems.notFound('Không tìm thấy yêu cầu xin ý kiến.');
    if (!core.canProcessAt(ctx, c.agencyScope)) throw problems.forbidden('Chỉ cán bộ của cơ quan được xin ý kiến mới trả lời được.');
    if (c.answer !== null) throw problems.conflict('already_answered', 'Đã trả lời', 'Yêu cầu xin ý kiến này đã được trả lời.');
    requireState(d, ['received', 'supplement_requested'], 'trả lời xin ý kiến');
    await db.orm.transaction(async (tx) => {
      const after = await core.append(
        tx,
        ctx,
        d,
        { event: { action: 'answer_consultation', payload: { id: c.id, answer: body.answer.trim(), answeredBy: ctx.actor.label } } },
        new Date(),
      );
      await core.audit(tx, ctx, 'consultation_answered', after, { agencyId: c.agencyId });
    });
    return core.reload(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Apology with a new date, stop, withdrawal
  // ---------------------------------------------------------------------------------------------

  /**
   * Mẫu 04: at the latest one working day before the due date, the resolving agency apologises and sets
   * a new date — only once (NĐ 61 Art. 19(9)); the applicant is told and tracking shows the new date.
   */
  async function apologize(ctx: RequestContext, id: string, body: { reason: string; newDueAt: string; version?: number }) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['received'], 'xin lỗi, hẹn lại ngày trả');
    requireLeaderOf(ctx, d.agencyScope, 'ký phiếu xin lỗi và hẹn lại ngày trả kết quả');
    if (d.apologizedAt) {
      throw problems.conflict('already_rescheduled', 'Đã hẹn lại một lần', 'Việc hẹn lại ngày trả kết quả chỉ được thực hiện một lần.');
    }
    if (!d.dueAt) throw problems.conflict('no_due_date', 'Hồ sơ không có ngày hẹn trả', 'Hồ sơ này không có ngày hẹn trả để hẹn lại.');
    const at = new Date();
    const cal = await calendar.data();
    const due = new Date(d.dueAt);
    if (workingHoursBetween(cal, at, due) < ONE_WORKING_DAY) {
      throw problems.conflict(
        'apology_too_late',
        'Quá thời điểm xin lỗi, hẹn lại',
        `Phiếu xin lỗi và hẹn lại ngày trả kết quả phải được ban hành chậm nhất 01 ngày làm việc trước ngày hẹn trả (${formatDueDate(due)}).`,
      );
    }
    const newDue = new Date(body.newDueAt);
    if (Number.isNaN(newDue.getTime()) || newDue.getTime() <= due.getTime()) {
      throw problems.validation([{ field: 'newDueAt', message: 'Ngày hẹn mới phải sau ngày hẹn trả hiện tại' }]);
    }
    const pdf = await renderApology({
      agency: await issuerOf(d),
      number: sequenceOf(d),
      code: d.code as string,
      trackingUrl: core.trackingUrl(d.code as string),
      applicant: d.applicant,
      procedureName: d.procedureName,
      receivedAt: new Date(d.receivedAt as string),
      originalDueAt: due,
      newDueAt: newDue,
      reason: body.reason.trim(),
      signerTitle: 'THỦ TRƯỞNG CƠ QUAN',
      signerName: ctx.actor.label,
      issuedAt: at,
      place: core.config.provinceName,
    });
    const fileId = await core.storePdf(`mau-04-phieu-xin-loi-${d.code}.pdf`, pdf);
    await db.orm.transaction(async (tx) => {
      const after = await core.append(
        tx,
        ctx,
        d,
        {
          event: {
            action: 'apologize',
            payload: {
              reason: body.reason.trim(),
              previousDueAt: d.dueAt as string,
              newDueAt: newDue.toISOString(),
              clock: d.clock,
              fileId,
            },
          },
          fileIds: [fileId],
        },
        at,
      );
      await repo.addFiles(tx, d.id, after.version, [{ componentKey: core.ISSUED, fileId }], 'none');
      await notifyApplicant(notify, ctx, tx, after, 'dossier.apology', {
        procedureName: d.procedureName,
        reason: body.reason.trim(),
        previousDueDate: formatDueDate(due),
        newDueDate: formatDueDate(newDue),
        publicUrl: core.trackingUrl(d.code as string),
      });
      await core.audit(tx, ctx, 'apologized', after, { previousDueAt: d.dueAt, newDueAt: newDue.toISOString() });
    });
    return core.reload(id);
  }

  /** The resolving agency's leader stops processing, with the reason and the stop notice. */
  async function stop(ctx: RequestContext, id: string, body: { reason: string; version?: number }) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['received', 'supplement_requested'], 'dừng giải quyết');
    requireLeaderOf(ctx, d.agencyScope, 'dừng giải quyết hồ sơ');
    const at = new Date();
    const pdf = await renderStopNotice({
      agency: await issuerOf(d),
      number: sequenceOf(d),
      code: d.code as string,
      trackingUrl: core.trackingUrl(d.code as string),
      applicant: d.applicant,
      procedureName: d.procedureName,
      receivedAt: d.receivedAt ? new Date(d.receivedAt) : null,
      reason: body.reason.trim(),
      signerTitle: 'THỦ TRƯỞNG CƠ QUAN',
      signerName: ctx.actor.label,
      issuedAt: at,
      place: core.config.provinceName,
    });
    const fileId = await core.storePdf(`thong-bao-dung-giai-quyet-${d.code}.pdf`, pdf);
    await db.orm.transaction(async (tx) => {
      const after = await core.append(
        tx,
        ctx,
        d,
        { event: { action: 'stop', payload: { reason: body.reason.trim(), fileId } }, fileIds: [fileId] },
        at,
      );
      await repo.addFiles(tx, d.id, after.version, [{ componentKey: core.ISSUED, fileId }], 'none');
      await notifyApplicant(notify, ctx, tx, after, 'dossier.stopped', {
        procedureName: d.procedureName,
        reason: body.reason.trim(),
        publicUrl: core.trackingUrl(d.code as string),
      });
      await core.audit(tx, ctx, 'stopped', after, {});
    });
    return core.reload(id);
  }

  /** The applicant (or the desk for a walk-in applicant) withdraws the dossier before its result. */
  async function withdraw(ctx: RequestContext, id: string, body: { reason: string; version?: number }) {
    const d = await core.load(id);
    const owner = await core.isApplicant(ctx, d);
    if (!owner) core.requireDeskAccess(ctx, d);
    core.checkVersion(d, body.version);
    requireState(d, ['submitted', 'supplement_requested', 'received'], 'rút');
    if ((d.publicStatus ?? 0) >= 9) {
      throw problems.conflict('result_ready', 'Hồ sơ đã có kết quả', 'Hồ sơ đã có kết quả giải quyết nên không thể rút.');
    }
    await db.orm.transaction(async (tx) => {
      const after = await core.append(tx, ctx, d, { event: { action: 'withdraw', payload: { reason: body.reason.trim() } } }, new Date());
      await core.audit(tx, ctx, 'withdrawn', after, { byOwner: owner });
    });
    return core.reload(id);
  }

  /** A supplement asked by the resolving agency during appraisal: only within 3 working days of reception. */
  async function checkSupplementWindow(d: DossierView, at: Date): Promise<void> {
    if (!d.receivedAt) return;
    const cal = await calendar.data();
    const limit = addWorkingHours(cal, new Date(d.receivedAt), SUPPLEMENT_WINDOW_HOURS);
    if (at.getTime() > limit.getTime()) {
      throw problems.conflict(
        'supplement_window_passed',
        'Quá thời hạn yêu cầu bổ sung',
        `Yêu cầu bổ sung trong quá trình thẩm định phải gửi trong 03 ngày làm việc kể từ khi tiếp nhận (đến ${formatDueDate(limit)}).`,
      );
    }
  }

  /** The actions the actor may take now, and staff that an assigning action may choose from. */
  async function work(ctx: RequestContext, d: DossierView) {
    if (d.state !== 'received' || !d.workflowId) return { actions: [], assignees: [] };
    const def = await definitionOf(d);
    const place = await placeOf(d);
    const mine = await candidates(ctx, d, def, place);
    const assigning = mine.find((c) => c.action.assigns);
    // Whom to choose: for an assigning action, who may hold the next state; for a leader's reassignment,
    // who may hold the step as it is.
    const led = d.steps.flatMap((s) => s.holders).find((h) => holdsRole(ctx.actor, LEADER, h.agencyScope));
    const pool = assigning
      ? { path: assigning.agency.path, roles: [...new Set(actionsFrom(def, assigning.action.to, place).flatMap((a) => a.action.roles))] }
      : led
        ? { path: led.agencyScope, roles: led.roles }
        : null;
    const assignees = pool
      ? (await staffWithRoles(db, { path: pool.path }, pool.roles)).map((s) => ({
          accountId: s.accountId,
          name: s.name,
          department: s.department,
        }))
      : [];
    return { actions: mine.map(available), assignees };
  }

  async function workFor(ctx: RequestContext, id: string) {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    return work(ctx, d);
  }

  return {
    startAtReception,
    formAgency,
    workFor,
    act,
    reassign,
    bulkAssign,
    addOpinion,
    attachResult,
    consult,
    answerConsultation,
    apologize,
    stop,
    withdraw,
    checkSupplementWindow,
    work,
    isHolder,
  };
}

export type ProcessingService = ReturnType<typeof processingService>;
