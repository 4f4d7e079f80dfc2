/**
 * Where a dossier stands in its workflow: the open steps after an action, who may act on each, each
 * step's due date from its time budget, and whether a hand-over came early, on time or late. Pure
 * functions over a workflow definition; agencies and the calendar come in as arguments.
 */
import { addWorkingHours, type CalendarData, forwardingDeadline, localIsoDate } from '../../platform/calendar';
import {
  type AvailableAction,
  actionsFrom,
  branchesJoiningAt,
  branchesOpeningAt,
  type DossierPlace,
  findState,
  type WorkflowAction,
  type WorkflowBranch,
  type WorkflowDefinition,
} from '../workflows';
import type { Handover, OpenStep, StepHolder } from './dossiers.state';

export interface AgencyRef {
  id: string;
  code: string;
  name: string;
  path: string;
}

/** Agencies by code, resolved by the caller beforehand (see `agencyCodesOf`). */
export type AgencyByCode = (code: string) => AgencyRef;

/** The time budget of a step: the longest budget among the forward actions leaving it. */
function stepBudget(actions: AvailableAction[]): number | null {
  const budgets = actions
    .filter((a) => !a.action.sendBack && a.action.budgetHours !== undefined)
    .map((a) => a.action.budgetHours as number);
  return budgets.length ? Math.max(...budgets) : null;
}

/** Every agency code an open step at `state` may need (for resolving them before `openStep`). */
export function agencyCodesOf(def: WorkflowDefinition, states: string[], place: DossierPlace): string[] {
  const codes = new Set<string>([place.deskAgencyCode, place.resolvingAgencyCode]);
  for (const s of states) for (const a of actionsFrom(def, s, place)) codes.add(a.agencyCode);
  for (const b of def.branches ?? []) if (b.agency !== 'resolving_agency') codes.add(b.agency.agencyCode);
  return [...codes];
}

/** The step opened when the dossier enters `state` (of the main flow or of `branch`) at `at`. */
export function openStep(
  def: WorkflowDefinition,
  branch: WorkflowBranch | null,
  state: string,
  place: DossierPlace,
  agencies: AgencyByCode,
  cal: CalendarData,
  at: Date,
  assignee: { id: string; label: string } | null = null,
): OpenStep {
  const found = findState(def, state);
  if (!found) throw new Error(`workflow has no state ${state}`);
  const leaving = actionsFrom(def, state, place);
  const byAgency = new Map<string, StepHolder>();
  for (const a of leaving) {
    const agency = agencies(a.agencyCode);
    const h = byAgency.get(agency.id) ?? {
      agencyId: agency.id,
      agencyCode: agency.code,
      agencyName: agency.name,
      agencyScope: agency.path,
      roles: [],
    };
    for (const r of a.action.roles) if (!h.roles.includes(r)) h.roles.push(r);
    byAgency.set(agency.id, h);
  }
  const budget = stepBudget(leaving);
  return {
    branch: branch?.key ?? null,
    state,
    name: found.state.name,
    publicStatus: found.state.publicStatus,
    holders: [...byAgency.values()],
    assigneeId: assignee?.id ?? null,
    assigneeLabel: assignee?.label ?? null,
    enteredAt: at.toISOString(),
    dueAt: stepDue(cal, at, budget)?.toISOString() ?? null,
  };
}

/**
 * A step's due date. A budget of 0 hours (the desk's hand-over) means "forward under the 15:00 rule"
 * (NĐ 61 Art. 18): the same working day, or the next one when entered from the cut-off on — not "at once",
 * which would make every hand-over late by the time it takes to click.
 */
function stepDue(cal: CalendarData, at: Date, budget: number | null): Date | null {
  if (budget === null) return null;
  return budget === 0 ? forwardingDeadline(cal, at) : addWorkingHours(cal, at, budget);
}

/** The steps open at reception: the workflow's start, plus any branch that opens there. */
export function stepsAtStart(
  def: WorkflowDefinition,
  place: DossierPlace,
  agencies: AgencyByCode,
  cal: CalendarData,
  at: Date,
): OpenStep[] {
  return [
    openStep(def, null, def.start, place, agencies, cal, at),
    ...branchesOpeningAt(def, def.start).map((b) => openStep(def, b, b.start, place, agencies, cal, at)),
  ];
}

/** True when the state is the end of its flow (marked terminal, or no action leaves it). */
export function isEnd(def: WorkflowDefinition, state: string, place: DossierPlace): boolean {
  const found = findState(def, state);
  return !!found?.state.terminal || actionsFrom(def, state, place).length === 0;
}

/** The branches the main step still waits for before it may move on. */
export function waitingBranches(def: WorkflowDefinition, steps: OpenStep[], mainState: string): WorkflowBranch[] {
  return branchesJoiningAt(def, mainState).filter((b) => steps.some((s) => s.branch === b.key));
}

/**
 * The open steps after `action` moved the step `from` (main flow or a branch) to `action.to`: the step
 * left is replaced by the one entered; entering a main state opens its branches; a branch that reaches
 * its end closes. The entered step gets the assignee the action names; a send-back gives it back to
 * whoever held that state before.
 */
export function stepsAfter(
  def: WorkflowDefinition,
  steps: OpenStep[],
  from: OpenStep,
  action: WorkflowAction,
  place: DossierPlace,
  agencies: AgencyByCode,
  cal: CalendarData,
  at: Date,
  assignee: { id: string; label: string } | null,
): OpenStep[] {
  const others = steps.filter((s) => s !== from);
  const branch = from.branch === null ? null : ((def.branches ?? []).find((b) => b.key === from.branch) ?? null);
  if (branch && isEnd(def, action.to, place)) return others;
  const heldBy = {
    ...(from.heldBy ?? {}),
    ...(from.assigneeId ? { [from.state]: { id: from.assigneeId, label: from.assigneeLabel ?? '' } } : {}),
  };
  const entered = {
    ...openStep(def, branch, action.to, place, agencies, cal, at, assignee ?? (action.sendBack ? (heldBy[action.to] ?? null) : null)),
    heldBy,
  };
  const opened = branch ? [] : branchesOpeningAt(def, action.to).map((b) => openStep(def, b, b.start, place, agencies, cal, at));
  return [...others, entered, ...opened];
}

/**
 * Trước hạn / đúng hạn / quá hạn (Mẫu 05): after the step's due date is late; on the due date's own
 * day (Vietnam time) is on time; before that day is early. No due date, no verdict.
 */
export function timeliness(at: Date, dueAt: string | null): Handover['status'] {
  if (!dueAt) return null;
  const due = new Date(dueAt);
  if (at.getTime() > due.getTime()) return 'late';
  return localIsoDate(at) === localIsoDate(due) ? 'on_time' : 'early';
}
