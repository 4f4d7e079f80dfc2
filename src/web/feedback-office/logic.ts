/**
 * Pure pieces of the office and admin screens for field reports (no React, no DOM), unit-tested:
 * queue filters kept in the URL, which due date counts in which state and its colour band, the age of a
 * report, which form each action needs, the action bodies and their checks, the category form, the
 * GeoJSON file check and the Open311 client status. Errors are i18n keys (feedbackOffice.*), translated
 * by the screens.
 */
import { type DeadlineInfo, deadlineOf, type WorkingDayFn, weekdayRule } from '../reception/deadline';

// ---- States and the queue ----------------------------------------------------------------------

/** Who sees the office pages: unit staff, and the provincial triage desk. */
export const FEEDBACK_OFFICE_PERMISSIONS = ['feedback.handle', 'feedback.triage'] as const;

export const REPORT_STATES = [
  'new',
  'moderated',
  'accepted',
  'assigned',
  'in_progress',
  'resolved',
  'rated',
  'closed',
  'triage',
  'removed',
] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** Tabs of the queue ('' = all); the other states are reachable through the state filter. */
export const QUEUE_TABS = ['', 'new', 'moderated', 'accepted', 'assigned', 'in_progress', 'resolved', 'triage'] as const;

export const stateTone: Record<ReportState, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
  new: 'info',
  moderated: 'info',
  accepted: 'neutral',
  assigned: 'neutral',
  in_progress: 'warning',
  resolved: 'success',
  rated: 'success',
  closed: 'neutral',
  triage: 'warning',
  removed: 'danger',
};

export interface QueueFilters {
  state: ReportState | '';
  overdue: boolean;
}

export const emptyQueueFilters: QueueFilters = { state: '', overdue: false };

const isState = (v: string | null): v is ReportState => v !== null && (REPORT_STATES as readonly string[]).includes(v);

/** ?state=&overdue=1 → filters; unknown values are dropped (the server would answer 400). */
export function parseQueueFilters(p: URLSearchParams): QueueFilters {
  const state = p.get('state');
  const overdue = p.get('overdue');
  return { state: isState(state) ? state : '', overdue: overdue === '1' || overdue === 'true' };
}

export function queueFiltersToParams(f: QueueFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.state) p.set('state', f.state);
  if (f.overdue) p.set('overdue', '1');
  return p;
}

/** GET /api/v1/field-reports query. */
export function queueApiQuery(f: QueueFilters): Record<string, string | undefined> {
  return { state: f.state || undefined, overdue: f.overdue ? 'true' : undefined };
}

export const hasQueueFilters = (f: QueueFilters) => f.state !== '' || f.overdue;

// ---- Due dates and age ---------------------------------------------------------------------------

export interface DueFields {
  state: string;
  acceptDueAt?: string | null;
  resolveDueAt?: string | null;
}

/**
 * The due date that matters now: acceptance while the report waits to be taken in (new, moderated, at the
 * triage desk), resolution while it is being handled; none once resolved, closed or removed.
 */
export function currentDue(r: DueFields): { kind: 'accept' | 'resolve'; dueAt: string } | null {
  if (r.state === 'new' || r.state === 'moderated' || r.state === 'triage')
    return r.acceptDueAt ? { kind: 'accept', dueAt: r.acceptDueAt } : null;
  if (r.state === 'accepted' || r.state === 'assigned' || r.state === 'in_progress')
    return r.resolveDueAt ? { kind: 'resolve', dueAt: r.resolveDueAt } : null;
  return null;
}

/** The colour band of the current due date (the dossier queues' working-time rule), or null. */
export function dueBand(
  r: DueFields,
  now: Date,
  isWorking: WorkingDayFn = weekdayRule,
): (DeadlineInfo & { kind: 'accept' | 'resolve' }) | null {
  const due = currentDue(r);
  if (!due) return null;
  const d = deadlineOf(due.dueAt, now, isWorking);
  return d ? { ...d, kind: due.kind } : null;
}

/** How old a report is, in calendar time: minutes under an hour, hours under a day, then days. */
export function ageOf(createdAt: string, now: Date): { unit: 'minutes' | 'hours' | 'days'; count: number } | null {
  const at = Date.parse(createdAt);
  if (Number.isNaN(at)) return null;
  const minutes = Math.max(0, Math.floor((now.getTime() - at) / 60_000));
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  if (minutes < 24 * 60) return { unit: 'hours', count: Math.floor(minutes / 60) };
  return { unit: 'days', count: Math.floor(minutes / (24 * 60)) };
}

// ---- Actions -------------------------------------------------------------------------------------

export const STAFF_ACTIONS = ['moderate', 'accept', 'assign', 'start', 'resolve', 'return', 'reassign', 'extend', 'close'] as const;
export type OfficeAction = (typeof STAFF_ACTIONS)[number];

/** The actions of the options answer the office page offers, in workflow order (rate is the reporter's). */
export function officeActions(actions: readonly string[]): OfficeAction[] {
  return STAFF_ACTIONS.filter((a) => actions.includes(a));
}

/** Which fields an action's form shows. "confirm" actions need only an optional note. */
export type ActionForm = 'moderate' | 'assign' | 'resolve' | 'return' | 'reassign' | 'extend' | 'confirm';

export function formOf(action: OfficeAction): ActionForm {
  switch (action) {
    case 'accept':
    case 'start':
    case 'close':
      return 'confirm';
    default:
      return action;
  }
}

/** Actions drawn as a warning (they send the report away or remove it). */
export const dangerActions: readonly OfficeAction[] = ['return'];

export type ActionValues = {
  note: string;
  /** moderate: publish an edited description, or remove the report as abuse. */
  moderation: 'publish' | 'remove';
  publicDescription: string;
  reason: string;
  departmentCode: string;
  accountId: string;
  agencyId: string;
  resultText: string;
  days: string;
};

export const emptyActionValues: ActionValues = {
  note: '',
  moderation: 'publish',
  publicDescription: '',
  reason: '',
  departmentCode: '',
  accountId: '',
  agencyId: '',
  resultText: '',
  days: '',
};

/** Initial values of an action's form, from the report (the public description starts as the raw text). */
export function initialActionValues(
  action: OfficeAction,
  r: { description: string; publicDescription?: string | null },
  returnReason: string,
): ActionValues {
  if (action === 'moderate') return { ...emptyActionValues, publicDescription: r.publicDescription ?? r.description };
  if (action === 'return') return { ...emptyActionValues, reason: returnReason };
  return { ...emptyActionValues };
}

export const MAX_PHOTOS = 5;
const TEXT_MAX = 2000;
const RESULT_MAX = 4000;

/** Client checks mirroring the server's (field → i18n key under feedbackOffice.validation). */
export function validateAction(action: OfficeAction, v: ActionValues, photoCount = 0): Record<string, string> {
  const e: Record<string, string> = {};
  const tooLong = (name: keyof ActionValues, max: number) => {
    if (String(v[name]).trim().length > max) e[name] = 'feedbackOffice.validation.tooLong';
  };
  tooLong('note', TEXT_MAX);
  switch (action) {
    case 'moderate':
      if (v.moderation === 'remove') {
        if (!v.reason.trim()) e.reason = 'feedbackOffice.validation.removeReason';
        tooLong('reason', TEXT_MAX);
      } else {
        if (!v.publicDescription.trim()) e.publicDescription = 'feedbackOffice.validation.publicDescription';
        tooLong('publicDescription', TEXT_MAX);
      }
      break;
    case 'assign':
      if (!v.departmentCode && !v.accountId) e.departmentCode = 'feedbackOffice.validation.assignee';
      break;
    case 'resolve':
      if (!v.resultText.trim()) e.resultText = 'feedbackOffice.validation.resultText';
      tooLong('resultText', RESULT_MAX);
      if (photoCount > MAX_PHOTOS) e.photos = 'feedbackOffice.validation.photos';
      break;
    case 'return':
      if (!v.reason.trim()) e.reason = 'feedbackOffice.validation.returnReason';
      tooLong('reason', TEXT_MAX);
      break;
    case 'reassign':
      if (!v.agencyId) e.agencyId = 'feedbackOffice.validation.agency';
      break;
    case 'extend': {
      const days = Number(v.days.trim());
      if (!/^\d+$/.test(v.days.trim()) || days < 1 || days > 30) e.days = 'feedbackOffice.validation.days';
      if (!v.reason.trim()) e.reason = 'feedbackOffice.validation.extendReason';
      tooLong('reason', TEXT_MAX);
      break;
    }
  }
  return e;
}

export type ActionBody = Partial<{
  note: string;
  reason: string;
  publicDescription: string;
  remove: boolean;
  departmentCode: string;
  accountId: string;
  agencyId: string;
  resultText: string;
  photoIds: string[];
  days: number;
}>;

/** The JSON body of POST /api/v1/field-reports/:id/<action> (only the fields that action reads). */
export function actionBody(action: OfficeAction, v: ActionValues, photoIds: string[] = []): ActionBody {
  const body: ActionBody = {};
  const note = v.note.trim();
  if (note) body.note = note;
  switch (action) {
    case 'moderate':
      if (v.moderation === 'remove') {
        body.remove = true;
        body.reason = v.reason.trim();
      } else {
        body.publicDescription = v.publicDescription.trim();
      }
      break;
    case 'assign':
      if (v.departmentCode) body.departmentCode = v.departmentCode;
      if (v.accountId) body.accountId = v.accountId;
      break;
    case 'resolve':
      body.resultText = v.resultText.trim();
      if (photoIds.length) body.photoIds = photoIds;
      break;
    case 'return':
      body.reason = v.reason.trim();
      break;
    case 'reassign':
      body.agencyId = v.agencyId;
      break;
    case 'extend':
      body.days = Number(v.days.trim());
      body.reason = v.reason.trim();
      break;
  }
  return body;
}

/** An officer of the options answer: the department by code (contract) or by name (what the server sends today). */
export interface Officer {
  accountId: string;
  name: string;
  departmentCode?: string | null;
  department?: string | null;
}

/** Is the officer in this department (by code, or by the department's name)? */
function inDepartment(o: Officer, dept: { code: string; name: string }): boolean {
  if (o.departmentCode) return o.departmentCode === dept.code;
  return !!o.department && o.department === dept.name;
}

/** Officers offered for an assignment: those of the chosen department (all when none is chosen). */
export function officersFor(
  officers: readonly Officer[],
  departments: readonly { code: string; name: string }[],
  departmentCode: string,
): Officer[] {
  const dept = departments.find((d) => d.code === departmentCode);
  return dept ? officers.filter((o) => inDepartment(o, dept)) : [...officers];
}

/** "Trần Văn B — Phòng Văn hóa - Xã hội" when the department is known. */
export function officerLabel(o: Officer, departments: readonly { code: string; name: string }[]): string {
  const dept = o.department ?? departments.find((d) => d.code === o.departmentCode)?.name;
  return dept ? `${o.name} — ${dept}` : o.name;
}

// ---- Admin: categories ----------------------------------------------------------------------------

export type CategoryValues = {
  code: string;
  name: string;
  acceptDays: string;
  resolveDays: string;
  unitKind: string;
  active: boolean;
  sortOrder: string;
};

export interface Category {
  code: string;
  name: string;
  acceptDays: number;
  resolveDays: number;
  unitKind: string;
  active: boolean;
  sortOrder: number;
}

/** As the server's schema: lowercase letters, digits and underscores, 2–40. */
export const CATEGORY_CODE = /^[a-z0-9_]{2,40}$/;

export function categoryValues(c?: Category): CategoryValues {
  if (!c) return { code: '', name: '', acceptDays: '1', resolveDays: '5', unitKind: 'ubnd_xa', active: true, sortOrder: '0' };
  return {
    code: c.code,
    name: c.name,
    acceptDays: String(c.acceptDays),
    resolveDays: String(c.resolveDays),
    unitKind: c.unitKind,
    active: c.active,
    sortOrder: String(c.sortOrder ?? 0),
  };
}

const intIn = (s: string, min: number, max: number) => /^-?\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max;

export function validateCategory(v: CategoryValues, isNew: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (isNew && !CATEGORY_CODE.test(v.code.trim())) e.code = 'feedbackOffice.validation.categoryCode';
  if (!v.name.trim()) e.name = 'feedbackOffice.validation.required';
  else if (v.name.trim().length > 200) e.name = 'feedbackOffice.validation.tooLong';
  if (!intIn(v.acceptDays, 0, 30)) e.acceptDays = 'feedbackOffice.validation.acceptDays';
  if (!intIn(v.resolveDays, 1, 120)) e.resolveDays = 'feedbackOffice.validation.resolveDays';
  if (!v.unitKind) e.unitKind = 'feedbackOffice.validation.required';
  if (!intIn(v.sortOrder, 0, 999)) e.sortOrder = 'feedbackOffice.validation.sortOrder';
  return e;
}

export function categoryBody(v: CategoryValues): Category {
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    acceptDays: Number(v.acceptDays),
    resolveDays: Number(v.resolveDays),
    unitKind: v.unitKind,
    active: v.active,
    sortOrder: Number(v.sortOrder),
  };
}

// ---- Admin: boundaries file ----------------------------------------------------------------------

export type GeoJsonCheck = { ok: true; json: unknown; features: number } | { ok: false; error: string };

/** A GeoJSON FeatureCollection whose features carry a commune code (commune_code, unit_code or code); else an i18n key. */
export function checkBoundaries(text: string): GeoJsonCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'feedbackOffice.admin.boundaries.notJson' };
  }
  const fc = json as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    return { ok: false, error: 'feedbackOffice.admin.boundaries.notCollection' };
  if (fc.features.length === 0) return { ok: false, error: 'feedbackOffice.admin.boundaries.noFeatures' };
  const coded = fc.features.every((f: { properties?: Record<string, unknown> | null }) => {
    const p = f?.properties ?? {};
    const code = p.commune_code ?? p.unit_code ?? p.code;
    return typeof code === 'string' || typeof code === 'number';
  });
  if (!coded) return { ok: false, error: 'feedbackOffice.admin.boundaries.noCode' };
  return { ok: true, json, features: fc.features.length };
}

// ---- Admin: Open311 clients ------------------------------------------------------------------------

export interface Open311Client {
  id: string;
  name: string;
  contactEmail?: string | null;
  /** The first characters of the key, to recognise it (the key itself is shown once). */
  keyPrefix?: string;
  active?: boolean;
  status?: string;
  disabledAt?: string | null;
  createdAt?: string;
  lastUsedAt?: string | null;
}

/** Active unless the answer says otherwise (active: false, status other than active, or a disabledAt). */
export function clientActive(c: Open311Client): boolean {
  if (c.active === false) return false;
  if (c.status && c.status !== 'active') return false;
  return !c.disabledAt;
}

/** POST /api/v1/open311/clients body (no empty e-mail). */
export function clientBody(v: { name: string; contactEmail: string }): { name: string; contactEmail?: string } {
  const email = v.contactEmail.trim();
  return email ? { name: v.name.trim(), contactEmail: email } : { name: v.name.trim() };
}

export function validateClient(v: { name: string; contactEmail: string }): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.name.trim()) e.name = 'feedbackOffice.validation.required';
  else if (v.name.trim().length > 200) e.name = 'feedbackOffice.validation.tooLong';
  // The contact e-mail is optional; given, it must look like one.
  if (v.contactEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.contactEmail.trim()))
    e.contactEmail = 'feedbackOffice.validation.email';
  return e;
}
