/**
 * Filters of the work queue (?view=&due=&procedureId=&q=) and of the register (?from=&to=&status=
 * &channel=&timeliness=&procedureId=), kept in the URL and mapped onto the API. Unknown or malformed
 * values in the URL are dropped rather than sent (the server would answer 400 for them).
 */

export const workViews = ['assigned', 'unassigned', 'all'] as const;
export type WorkView = (typeof workViews)[number];
export const dueValues = ['soon', 'overdue'] as const;
export const channelValues = ['1', '2', '3'] as const;
export const timelinessValues = ['early', 'on_time', 'late', 'pending', 'pending_overdue'] as const;
/** National statuses (1–10). */
export const statusValues = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;

const Q_MAX = 100;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | '' =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : '';
const uuidOf = (v: string | null) => (v && UUID_RE.test(v) ? v : '');
const dayOf = (v: string | null) => (v && DAY_RE.test(v) && !Number.isNaN(Date.parse(v)) ? v : '');
const qOf = (v: string | null) => (v ?? '').trim().slice(0, Q_MAX);

export interface WorkFilters {
  view: WorkView;
  due: string;
  procedureId: string;
  q: string;
}

export const emptyWork: WorkFilters = { view: 'assigned', due: '', procedureId: '', q: '' };

export function parseWorkFilters(p: URLSearchParams): WorkFilters {
  return {
    view: oneOf(workViews, p.get('view')) || 'assigned',
    due: oneOf(dueValues, p.get('due')),
    procedureId: uuidOf(p.get('procedureId')),
    q: qOf(p.get('q')),
  };
}

/** The address-bar form: defaults and empty values are left out. */
export function workFiltersToParams(f: WorkFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.view !== 'assigned') p.set('view', f.view);
  if (f.due) p.set('due', f.due);
  if (f.procedureId) p.set('procedureId', f.procedureId);
  const q = qOf(f.q);
  if (q) p.set('q', q);
  return p;
}

export function workApiQuery(f: WorkFilters): Record<string, string | undefined> {
  return { view: f.view, due: f.due || undefined, procedureId: f.procedureId || undefined, q: qOf(f.q) || undefined };
}

export const hasWorkFilters = (f: WorkFilters) => Boolean(f.due || f.procedureId || qOf(f.q));

export interface RegisterFilters {
  from: string;
  to: string;
  status: string;
  channel: string;
  timeliness: string;
  procedureId: string;
}

export const REGISTER_KEYS = ['from', 'to', 'status', 'channel', 'timeliness', 'procedureId'] as const;
export const emptyRegister: RegisterFilters = { from: '', to: '', status: '', channel: '', timeliness: '', procedureId: '' };

export function parseRegisterFilters(p: URLSearchParams): RegisterFilters {
  return {
    from: dayOf(p.get('from')),
    to: dayOf(p.get('to')),
    status: oneOf(statusValues, p.get('status')),
    channel: oneOf(channelValues, p.get('channel')),
    timeliness: oneOf(timelinessValues, p.get('timeliness')),
    procedureId: uuidOf(p.get('procedureId')),
  };
}

/** Both the address bar and the API take the same names; empty values are left out. */
export function registerParams(f: RegisterFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of REGISTER_KEYS) if (f[k]) p.set(k, f[k]);
  return p;
}

export const registerApiQuery = (f: RegisterFilters): Record<string, string> => Object.fromEntries(registerParams(f));

/** The Excel export with the same filters as the table on screen. */
export function registerXlsxUrl(f: RegisterFilters): string {
  const qs = registerParams(f).toString();
  return `/api/v1/dossiers/register.xlsx${qs ? `?${qs}` : ''}`;
}

export const hasRegisterFilters = (f: RegisterFilters) => REGISTER_KEYS.some((k) => f[k] !== '');
