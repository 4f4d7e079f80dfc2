/**
 * What may happen to a dossier in a given state (pure helpers for processing).
 *
 * An action names the roles that may take it and whose staff they must be (`where`): the one-stop
 * desk, the resolving agency, or a named agency — in a branch, by default the branch's agency. The
 * caller decides whether an actor holds a role at an agency (it knows the grants' scope paths), through
 * the `holds` predicate.
 */
import type { WorkflowAction, WorkflowBranch, WorkflowDefinition, WorkflowState } from './workflows.schemas';

export interface DossierPlace {
  /** Agency code of the one-stop desk that received the dossier. */
  deskAgencyCode: string;
  /** Agency code of the agency competent to resolve it. */
  resolvingAgencyCode: string;
}

/** True when the actor holds `role` over `agencyCode` (and, when given, over its department `department`). */
export type Holds = (role: string, agencyCode: string, department: string | undefined) => boolean;

export interface AvailableAction {
  action: WorkflowAction;
  /** The branch the action belongs to; null for the main flow. */
  branch: WorkflowBranch | null;
  /** Agency code whose staff may take it. */
  agencyCode: string;
}

/** A state of the main flow or of a branch, with the branch it belongs to. */
export function findState(def: WorkflowDefinition, key: string): { state: WorkflowState; branch: WorkflowBranch | null } | null {
  const main = def.states.find((s) => s.key === key);
  if (main) return { state: main, branch: null };
  for (const b of def.branches ?? []) {
    const s = b.states.find((x) => x.key === key);
    if (s) return { state: s, branch: b };
  }
  return null;
}

/** The agency whose staff take an action. */
export function agencyOf(action: WorkflowAction, branch: WorkflowBranch | null, place: DossierPlace): string {
  const w = action.where ?? (branch ? branch.agency : 'resolving_agency');
  if (w === 'desk') return place.deskAgencyCode;
  if (w === 'resolving_agency') return place.resolvingAgencyCode;
  return w.agencyCode;
}

/** Every action that leaves `state` (main flow or the branch that owns the state), whoever may take it. */
export function actionsFrom(def: WorkflowDefinition, state: string, place: DossierPlace): AvailableAction[] {
  const found = findState(def, state);
  if (!found) return [];
  const actions = found.branch ? found.branch.actions : def.actions;
  return actions
    .filter((a) => a.from.includes(state))
    .map((action) => ({ action, branch: found.branch, agencyCode: agencyOf(action, found.branch, place) }));
}

/** The actions an actor may take on a dossier in `state`. */
export function allowedActions(def: WorkflowDefinition, state: string, place: DossierPlace, holds: Holds): AvailableAction[] {
  return actionsFrom(def, state, place).filter((x) => x.action.roles.some((r) => holds(r, x.agencyCode, x.action.department)));
}

/** The branches that open when the main flow enters `state`. */
export function branchesOpeningAt(def: WorkflowDefinition, state: string): WorkflowBranch[] {
  return (def.branches ?? []).filter((b) => b.from === state);
}

/** The branches the main flow waits for in `state` (it may leave only when they have all ended). */
export function branchesJoiningAt(def: WorkflowDefinition, state: string): WorkflowBranch[] {
  return (def.branches ?? []).filter((b) => b.join === state);
}
