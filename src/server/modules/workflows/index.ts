/**
 * What other modules may use from process definitions (quy trình giải quyết).
 *
 * - currentWorkflow(db, procedureId): the definition in force (latest published version), or null —
 *   a dossier pins its (workflowId, version) at reception.
 * - workflowVersion(db, workflowId, version): a published version (what a pinned dossier reads), or null.
 * - allowedActions / actionsFrom / findState / branchesOpeningAt / branchesJoiningAt: pure helpers.
 * - validateDefinition, defaultDefinition: the checks and the standard one-stop process.
 * - registerWorkflowRoutes(app, platform), workflowsService; seedDemoWorkflows(db, config).
 */
import type { Platform } from '../../platform';
import { systemContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import type { App } from '../../platform/http/types';
import { registerWorkflowRoutes as registerRoutes } from './workflows.routes';
import type { WorkflowVersion } from './workflows.schemas';
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

export function registerWorkflowRoutes(app: App, platform: Platform): void {
  registerRoutes(app, workflowsService(platform.db));
}
