/**
 * Filters of the reception queue, kept in the URL (?view=&state=&channel=&procedureId=&q=) so they
 * survive reload and can be shared, and mapped onto GET /api/v1/dossiers. Unknown or malformed values
 * in the URL are dropped rather than sent (the server would answer 400 for them).
 */
import type { DossierState } from '../../server/modules/dossiers/dossiers.schemas';

/** reception = waiting at the desk; supplement = waiting for the applicant; all = everything in scope. */
export const queueViews = ['reception', 'supplement', 'all'] as const;
export type QueueView = (typeof queueViews)[number];

/** States an office list can show (drafts are never visible to staff). */
export const officeStates = [
  'submitted',
  'supplement_requested',
  'received',
  'refused',
  'withdrawn',
] as const satisfies readonly DossierState[];
export const channelValues = ['1', '2', '3'] as const;

export interface QueueFilters {
  view: QueueView;
  /** Only with view=all (the other views fix the state). */
  state: string;
  channel: string;
  procedureId: string;
  q: string;
}

export const FILTER_KEYS = ['view', 'state', 'channel', 'procedureId', 'q'] as const satisfies readonly (keyof QueueFilters)[];
export const Q_MAX = 100;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | '' =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : '';

export const emptyFilters: QueueFilters = { view: 'reception', state: '', channel: '', procedureId: '', q: '' };

/** Filters from the address bar. */
export function parseQueueFilters(params: URLSearchParams): QueueFilters {
  const view = oneOf(queueViews, params.get('view')) || 'reception';
  return {
    view,
    state: view === 'all' ? oneOf(officeStates, params.get('state')) : '',
    channel: oneOf(channelValues, params.get('channel')),
    procedureId: UUID_RE.test(params.get('procedureId') ?? '') ? (params.get('procedureId') as string) : '',
    q: (params.get('q') ?? '').trim().slice(0, Q_MAX),
  };
}

/** The address-bar form: defaults and empty values are left out so links stay short. */
export function queueFiltersToParams(f: QueueFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.view !== 'reception') p.set('view', f.view);
  if (f.view === 'all' && f.state) p.set('state', f.state);
  if (f.channel) p.set('channel', f.channel);
  if (f.procedureId) p.set('procedureId', f.procedureId);
  const q = f.q.trim().slice(0, Q_MAX);
  if (q) p.set('q', q);
  return p;
}

/** Query of GET /api/v1/dossiers for these filters. */
export function queueApiQuery(f: QueueFilters): Record<string, string | undefined> {
  const byView: Record<QueueView, { queue: 'reception' | 'all'; state?: string }> = {
    reception: { queue: 'reception' },
    supplement: { queue: 'all', state: 'supplement_requested' },
    all: { queue: 'all', state: f.state || undefined },
  };
  return {
    ...byView[f.view],
    channel: f.channel || undefined,
    procedureId: f.procedureId || undefined,
    q: f.q.trim().slice(0, Q_MAX) || undefined,
  };
}

/** True when anything narrows the view beyond its tab. */
export const hasFilters = (f: QueueFilters): boolean => Boolean(f.state || f.channel || f.procedureId || f.q.trim());

/** The same filters with another tab (the state filter belongs to "all" only). */
export const withView = (f: QueueFilters, view: QueueView): QueueFilters => ({ ...f, view, state: view === 'all' ? f.state : '' });
