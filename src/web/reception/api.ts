/**
 * Dossier API for the one-stop desk: types (type-only from the server's schemas, so a contract change
 * breaks tsc), queries and the write calls (receive, request supplement, refuse, counter registration).
 */
import { useQuery } from '@tanstack/react-query';
import type {
  CounterDossierBody,
  DossierDetail,
  DossierFile,
  DossierState,
  DossierSummary,
  RefuseBody,
  RequestSupplementBody,
  TimelineEntry,
} from '../../server/modules/dossiers/dossiers.schemas';
import { api, type Page } from '../api';
import { vnDay } from './deadline';

export type { CounterDossierBody, DossierDetail, DossierFile, DossierState, DossierSummary, TimelineEntry };

export const DOSSIERS = '/api/v1/dossiers';
export const dossierPath = (id: string) => `${DOSSIERS}/${encodeURIComponent(id)}`;
/** Download address of a dossier file (applicant's scans and the issued PDFs). */
export const dossierFileUrl = (id: string, fileId: string) => `${dossierPath(id)}/files/${encodeURIComponent(fileId)}`;
/** Office address of a dossier. */
export const officeDossierPath = (id: string) => `/office/dossiers/${encodeURIComponent(id)}`;

export function useDossier(id: string) {
  return useQuery({
    queryKey: [DOSSIERS, id],
    queryFn: ({ signal }) => api.get<DossierDetail>(dossierPath(id), undefined, { signal }),
    enabled: id !== '',
    // The desk works on fresh data: someone else may act on the same dossier.
    staleTime: 5_000,
  });
}

/** The largest page the API gives; the home cards show "200+" beyond it. */
const COUNT_LIMIT = 200;

/** How many dossiers a queue holds (one page of ids; the list API has no total). */
export function useQueueCount(query: Record<string, string | undefined>) {
  return useQuery({
    queryKey: [DOSSIERS, 'count', query],
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<DossierSummary>>(DOSSIERS, { ...query, limit: COUNT_LIMIT }, { signal });
      return { count: page.items.length, more: page.nextCursor !== null };
    },
    refetchInterval: 60_000,
  });
}

/** Working days around today from the province calendar (holidays, make-up days) for the deadline bands. */
export function useWorkingDays() {
  return useQuery({
    queryKey: ['/api/v1/calendar/working-days', vnDay(new Date())],
    queryFn: ({ signal }) => {
      const now = new Date();
      return api.get<{ items: { date: string; working: boolean }[] }>(
        '/api/v1/calendar/working-days',
        { from: vnDay(now, -120), to: vnDay(now, 240) },
        { signal },
      );
    },
    staleTime: 60 * 60_000,
    // Without it the bands fall back to Monday–Friday; no need to insist.
    retry: false,
  });
}

// ---- Writes ------------------------------------------------------------------------------------

export const receiveDossier = (d: Pick<DossierDetail, 'id' | 'version'>, note?: string) =>
  api.post<DossierDetail>(`${dossierPath(d.id)}/receive`, { version: d.version, ...(note ? { note } : {}) });

export const requestSupplement = (id: string, body: RequestSupplementBody) =>
  api.post<DossierDetail>(`${dossierPath(id)}/request-supplement`, body);

export const refuseDossier = (id: string, body: RefuseBody) => api.post<DossierDetail>(`${dossierPath(id)}/refuse`, body);

/** POST /dossiers/counter with the form's Idempotency-Key. */
export const registerCounterDossier = (body: CounterDossierBody, idempotencyKey: string) =>
  api.post<DossierDetail>(`${DOSSIERS}/counter`, body, { headers: { 'idempotency-key': idempotencyKey } });

/** Current communes (wards) of the province, for the "unit" fields of application forms. */
export function useCommunes(enabled = true) {
  return useQuery({
    queryKey: ['/api/v1/units', 'commune'],
    queryFn: ({ signal }) => api.get<Page<{ code: string; name: string }>>('/api/v1/units', { level: 'commune', limit: 200 }, { signal }),
    staleTime: 60 * 60_000,
    enabled,
  });
}
