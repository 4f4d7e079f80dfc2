/**
 * What other modules may use from process definitions (quy trình giải quyết).
 *
 * - currentWorkflow(db, procedureId): the definition in force (latest published version), or null —
 *   a dossier pins its (workflowId, version) at reception.
 * - workflowInForce(db, procedureId): the same for the reception path, in one statement (published versions are
 *   kept per database once read: publishing never changes a version, it adds the next one).
 * - workflowVersion(db, workflowId, version): a published version (what a pinned dossier reads), or null.
 * - allowedActions / actionsFrom / findState / branchesOpeningAt / branchesJoiningAt: pure helpers.
 * - validateDefinition, defaultDefinition: the checks and the standard one-stop process.
 * - registerWorkflowRoutes(app, platform), workflowsService; seedDemoWorkflows(db, config).
 */
import { sql } from 'drizzle-orm';
import type { Platform } from '../../platform';
import { systemContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import type { App } from '../../platform/http/types';
import { registerWorkflowRoutes as registerRoutes } from './workflows.routes';
import type { WorkflowDefinition, WorkflowVersion } from './workflows.schemas';
import { orNull, workflowsService } from './workflows.service';

export {
  type AvailableAction,
  actionsFrom,
  agencyOf,
  allowedActions,
  branchesJoiningAt,
  branchesOpeningAt,
  type DossierPlace,
  findState,
  type Holds,
} from './workflows.actions';
export { defaultDefinition } from './workflows.defaults';
export { workflowIdFor } from './workflows.repo';
export type {
  DefinitionError,
  Where,
  WorkflowAction,
  WorkflowBranch,
  WorkflowDefinition,
  WorkflowState,
  WorkflowVersion,
} from './workflows.schemas';
export { seedDemoWorkflows } from './workflows.seed';
export { type WorkflowsService, workflowsService } from './workflows.service';
export { longestBudget, type ValidationContext, validateDefinition } from './workflows.validate';

/** The definition in force for a procedure (its latest published version), or null when it has none. */
export function currentWorkflow(db: Database, procedureId: string): Promise<WorkflowVersion | null> {
  return orNull(workflowsService(db).current(systemContext('workflows'), procedureId));
}

/** One published version, or null (unknown workflow or version, or a draft). */
export function workflowVersion(db: Database, workflowId: string, version: number): Promise<WorkflowVersion | null> {
  return orNull(workflowsService(db).published(systemContext('workflows'), workflowId, version));
}

/** Published definitions read so far, per database, by "workflowId:version"; bounded by the number of versions. */
const publishedDefinitions = new WeakMap<Database, Map<string, WorkflowDefinition>>();

/** A published version's definition, or null (unknown, or a draft); read once per database. */
export async function publishedDefinition(db: Database, workflowId: string, version: number): Promise<WorkflowDefinition | null> {
  let known = publishedDefinitions.get(db);
  if (!known) {
    known = new Map();
    publishedDefinitions.set(db, known);
  }
  const key = `${workflowId}:${version}`;
  const hit = known.get(key);
  if (hit) return hit;
  const [row] = await db.rows<{ definition: WorkflowDefinition }>(
    sql`select definition from workflow_versions where workflow_id = ${workflowId} and version = ${version} and status = 'published'`,
  );
  if (!row) return null;
  known.set(key, row.definition);
  return row.definition;
}

/** The version in force for a procedure, as a dossier pins it at reception; null when it has none. */
export async function workflowInForce(
  db: Database,
  procedureId: string,
): Promise<{ workflowId: string; version: number; definition: WorkflowDefinition } | null> {
  const [w] = await db.rows<{ id: string; current_version: number | null }>(
    sql`select id, current_version from workflows where procedure_id = ${procedureId}`,
  );
  if (!w?.current_version) return null;
  const definition = await publishedDefinition(db, w.id, w.current_version);
  return definition ? { workflowId: w.id, version: w.current_version, definition } : null;
}

export function registerWorkflowRoutes(app: App, platform: Platform): void {
  registerRoutes(app, workflowsService(platform.db));
}
