/**
 * Use cases of process definitions. Any signed-in staff member may read them (processing shows the
 * steps to everyone who works on a dossier); writing needs `workflows.manage` over the whole province,
 * like the catalogue they belong to. Every write runs in one transaction, ends with its audit record,
 * and never touches a published version: publishing freezes the draft as the next version.
 */
import { recordAudit } from '../../platform/audit/audit';
import { requireAccess, scopesFor } from '../../platform/auth/access';
import type { Actor, RequestContext } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination';
import { Problem, problems } from '../../platform/http/problem';
import { defaultDefinition } from './workflows.defaults';
import { type ProcedureInfoRow, type VersionRow, type WorkflowRow, workflowsRepo } from './workflows.repo';
import type {
  DefinitionError,
  DraftInput,
  ValidateResult,
  WorkflowDefinition,
  WorkflowList,
  WorkflowListQuery,
  WorkflowOverview,
  WorkflowVersion,
} from './workflows.schemas';
import { validateDefinition } from './workflows.validate';

const MANAGE = 'workflows.manage' as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (v: Date | string) => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null) => (v === null ? null : iso(v));

/** Reading: signed-in staff (and the platform itself); citizens never see internal processes. */
function requireStaff(actor: Actor): void {
  if (actor.kind === 'anonymous') throw problems.unauthorized();
  if (actor.kind === 'system' || (actor.kind === 'staff' && !actor.pending)) return;
  throw problems.forbidden('Chỉ cán bộ đã đăng nhập mới xem được quy trình giải quyết.');
}

/** Processes are the province's, like its catalogue: a grant limited to one agency is not enough. */
function requireManager(actor: Actor): void {
  requireAccess(actor, MANAGE);
  if (scopesFor(actor, MANAGE) !== 'all') {
    throw problems.forbidden('Quy trình giải quyết thủ tục của tỉnh chỉ do cán bộ được giao quyền trên phạm vi toàn tỉnh quản lý.');
  }
}

const noProcedure = () => problems.notFound('Không tìm thấy thủ tục.');
const noWorkflow = (code: string) => problems.notFound(`Thủ tục ${code} chưa có quy trình giải quyết được công bố.`);

export function workflowsService(db: Database) {
  const repo = workflowsRepo(db);

  async function procedureOf(id: string, tx?: Orm): Promise<ProcedureInfoRow> {
    if (!UUID_RE.test(id)) throw noProcedure();
    const p = await repo.procedureInfo(id.toLowerCase(), tx);
    if (!p) throw noProcedure();
    return p;
  }

  async function errorsOf(def: WorkflowDefinition, processingHours: number | null): Promise<DefinitionError[]> {
    const [roles, agencyCodes] = await Promise.all([repo.roleCodes(), repo.activeAgencyCodes()]);
    return validateDefinition(def, { roles, agencyCodes, processingHours });
  }

  /** A version as the API shows it; drafts carry their current errors. */
  async function view(w: WorkflowRow, p: ProcedureInfoRow, v: VersionRow): Promise<WorkflowVersion> {
    return {
      workflowId: w.id,
      procedureId: w.procedure_id,
      version: v.version,
      status: v.status,
      current: w.current_version === v.version,
      definition: v.definition,
      procedureVersion: v.procedure_version,
      processingHours: p.processing_hours,
      updatedAt: iso(v.updated_at),
      updatedBy: v.updated_by,
      publishedAt: isoOrNull(v.published_at),
      publishedBy: v.published_by,
      errors: v.status === 'draft' ? await errorsOf(v.definition, p.processing_hours) : [],
    };
  }

  function refuseRetired(p: ProcedureInfoRow): void {
    if (p.status === 'retired') {
      throw problems.conflict('procedure_retired', 'Thủ tục đã bãi bỏ', `Thủ tục ${p.code} đã bãi bỏ, không sửa quy trình được nữa.`);
    }
  }

  return {
    /** Procedures in force with the status of their process definition. */
    async list(ctx: RequestContext, query: WorkflowListQuery): Promise<WorkflowList> {
      requireStaff(ctx.actor);
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor);
      if (after && !(after.length === 1 && typeof after[0] === 'string')) {
        throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
      }
      const rows = await repo.list({ q: query.q, status: query.status }, limit + 1, (after?.[0] as string | undefined) ?? null);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map((r) => ({
          procedureId: r.id,
          procedureCode: r.code,
          procedureName: r.name,
          field: r.field,
          processingHours: r.processing_hours,
          currentVersion: r.current_version,
          draftVersion: r.draft_version,
        })),
        nextCursor: rows.length > limit && last ? encodeCursor([last.code]) : null,
      };
    },

    /** The versions of a procedure's definition (none yet: an empty list). */
    async overview(ctx: RequestContext, procedureId: string): Promise<WorkflowOverview> {
      requireStaff(ctx.actor);
      const p = await procedureOf(procedureId);
      const w = await repo.workflowOf(p.id);
      const versions = w ? await repo.versionsOf(w.id) : [];
      return {
        procedureId: p.id,
        procedureCode: p.code,
        procedureName: p.name,
        procedureVersion: p.current_version,
        processingHours: p.processing_hours,
        workflowId: w?.id ?? null,
        currentVersion: w?.current_version ?? null,
        draftVersion: versions.find((v) => v.status === 'draft')?.version ?? null,
        versions: versions.map((v) => ({
          version: v.version,
          status: v.status,
          updatedAt: iso(v.updated_at),
          updatedBy: v.updated_by,
          publishedAt: isoOrNull(v.published_at),
          publishedBy: v.published_by,
        })),
      };
    },

    /** The definition in force: the latest published version. */
    async current(ctx: RequestContext, procedureId: string): Promise<WorkflowVersion> {
      requireStaff(ctx.actor);
      const p = await procedureOf(procedureId);
      const w = await repo.workflowOf(p.id);
      const v = w?.current_version ? await repo.version(w.id, w.current_version) : null;
      if (!w || !v) throw noWorkflow(p.code);
      return view(w, p, v);
    },

    /** One version (published or the draft). */
    async getVersion(ctx: RequestContext, procedureId: string, version: number): Promise<WorkflowVersion> {
      requireStaff(ctx.actor);
      const p = await procedureOf(procedureId);
      const w = await repo.workflowOf(p.id);
      const v = w ? await repo.version(w.id, version) : null;
      if (!w || !v) throw problems.notFound(`Quy trình của thủ tục ${p.code} không có phiên bản ${version}.`);
      return view(w, p, v);
    },

    /** A published version by workflow id (what a dossier pins); drafts are not returned. */
    async published(ctx: RequestContext, workflowId: string, version: number): Promise<WorkflowVersion> {
      requireStaff(ctx.actor);
      const w = UUID_RE.test(workflowId) ? await repo.workflowById(workflowId.toLowerCase()) : null;
      const v = w ? await repo.version(w.id, version) : null;
      if (!w || !v || v.status !== 'published') throw problems.notFound('Không tìm thấy phiên bản quy trình.');
      return view(w, await procedureOf(w.procedure_id), v);
    },

    async getDraft(ctx: RequestContext, procedureId: string): Promise<WorkflowVersion> {
      requireStaff(ctx.actor);
      const p = await procedureOf(procedureId);
      const w = await repo.workflowOf(p.id);
      const v = w ? await repo.draft(w.id) : null;
      if (!w || !v) throw problems.notFound(`Quy trình của thủ tục ${p.code} không có bản nháp.`);
      return view(w, p, v);
    },

    /** The standard one-stop process for the procedure's legal time (not saved): a starting point for the editor. */
    async standard(ctx: RequestContext, procedureId: string): Promise<WorkflowDefinition> {
      requireStaff(ctx.actor);
      const p = await procedureOf(procedureId);
      return defaultDefinition(p.processing_hours);
    },

    /** Checks a definition against the procedure's current legal time, without saving it. */
    async validate(ctx: RequestContext, procedureId: string, definition: WorkflowDefinition): Promise<ValidateResult> {
      requireStaff(ctx.actor);
      const p = await procedureOf(procedureId);
      const errors = await errorsOf(definition, p.processing_hours);
      return { valid: errors.length === 0, errors };
    },

    /**
     * Creates or replaces the draft (the next version number). A draft may have errors: they are
     * saved and returned, so the editor can show them; only publishing refuses them.
     */
    async saveDraft(ctx: RequestContext, procedureId: string, input: DraftInput): Promise<WorkflowVersion> {
      requireManager(ctx.actor);
      const p = await procedureOf(procedureId);
      refuseRetired(p);
      const { w, version } = await db.orm.transaction(async (tx) => {
        const w = await repo.lockWorkflow(tx, p.id);
        if (input.baseVersion !== undefined && input.baseVersion !== w.current_version) {
          throw problems.conflict(
            'version_conflict',
            'Quy trình vừa có phiên bản mới',
            `Bạn bắt đầu sửa từ phiên bản ${input.baseVersion ?? '(chưa có)'} nhưng phiên bản đang áp dụng là ${w.current_version ?? '(chưa có)'}. Hãy tải lại rồi sửa tiếp.`,
          );
        }
        const draft = await repo.draft(w.id, tx);
        const row = { workflowId: w.id, definition: input.definition, procedureVersion: p.current_version, by: ctx.actor.label };
        const version = draft ? draft.version : await repo.nextVersion(tx, w.id);
        if (draft) await repo.updateDraft(tx, { ...row, version });
        else await repo.insertDraft(tx, { ...row, version });
        await recordAudit(tx, ctx, {
          action: 'workflows.draft.save',
          targetType: 'workflow',
          targetId: w.id,
          details: { procedureId: p.id, version, created: !draft },
        });
        return { w, version };
      });
      return view(w, p, (await repo.version(w.id, version)) as VersionRow);
    },

    /** Drops the draft; published versions stay as they are. */
    async discardDraft(ctx: RequestContext, procedureId: string): Promise<void> {
      requireManager(ctx.actor);
      const p = await procedureOf(procedureId);
      await db.orm.transaction(async (tx) => {
        const w = await repo.workflowOf(p.id, tx);
        const draft = w ? await repo.draft(w.id, tx) : null;
        if (!w || !draft) throw problems.notFound(`Quy trình của thủ tục ${p.code} không có bản nháp.`);
        await repo.deleteDraft(tx, w.id, draft.version);
        await recordAudit(tx, ctx, {
          action: 'workflows.draft.discard',
          targetType: 'workflow',
          targetId: w.id,
          details: { procedureId: p.id, version: draft.version },
        });
      });
    },

    /** Publishes the draft as the version in force; refused (422, every error listed) while it has errors. */
    async publish(ctx: RequestContext, procedureId: string): Promise<WorkflowVersion> {
      requireManager(ctx.actor);
      const p = await procedureOf(procedureId);
      refuseRetired(p);
      const [roles, agencyCodes] = await Promise.all([repo.roleCodes(), repo.activeAgencyCodes()]);
      const { w, version } = await db.orm.transaction(async (tx) => {
        const w = await repo.lockWorkflow(tx, p.id);
        const draft = await repo.draft(w.id, tx);
        if (!draft) throw problems.notFound(`Quy trình của thủ tục ${p.code} không có bản nháp để công bố.`);
        const errors = validateDefinition(draft.definition, { roles, agencyCodes, processingHours: p.processing_hours });
        if (errors.length) {
          throw new Problem(
            422,
            'workflow_invalid',
            'Quy trình còn lỗi, chưa công bố được',
            `Bản nháp phiên bản ${draft.version} có ${errors.length} lỗi. Sửa hết rồi công bố lại.`,
            errors,
          );
        }
        await repo.publish(tx, {
          workflowId: w.id,
          version: draft.version,
          procedureVersion: p.current_version,
          by: ctx.actor.label,
          account: ctx.actor.accountId,
        });
        await recordAudit(tx, ctx, {
          action: 'workflows.publish',
          targetType: 'workflow',
          targetId: w.id,
          details: { procedureId: p.id, version: draft.version },
        });
        return { w: { ...w, current_version: draft.version }, version: draft.version };
      });
      return view(w, p, (await repo.version(w.id, version)) as VersionRow);
    },
  };
}

export type WorkflowsService = ReturnType<typeof workflowsService>;

/** Runs a read, answering null instead of 404 (for other modules' lookups). */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof Problem && e.status === 404) return null;
    throw e;
  }
}
