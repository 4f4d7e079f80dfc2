/**
 * Dossier queries and writes (/api/v1/dossiers…, /api/v1/public/dossiers…) and the addresses the
 * pages link to. Query keys start with the path so a write can refresh what it changed.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api';
import { usePagedList } from '../ui';
import type { DossierDetail, DossierState, DossierSummary, LookupBody, PublicDossier, SupplementBody, UpdateDraftBody } from './types';

export const DOSSIERS = '/api/v1/dossiers';
export const MINE = `${DOSSIERS}/mine`;
const PUBLIC = '/api/v1/public/dossiers';

const enc = encodeURIComponent;
export const dossierPath = (id: string) => `${DOSSIERS}/${enc(id)}`;
export const dossierFileUrl = (id: string, fileId: string) => `${dossierPath(id)}/files/${enc(fileId)}`;
export const publicPath = (code: string) => `${PUBLIC}/${enc(code)}`;
export const qrUrl = (code: string) => `${publicPath(code)}/qr.svg`;

// ---- pages of the app ----------------------------------------------------------------------------

export const wizardPath = (procedureCode: string, draftId?: string) =>
  `/procedures/${enc(procedureCode)}/nop${draftId ? `?draft=${enc(draftId)}` : ''}`;
export const myDossierPath = (id: string) => `/my-dossiers/${enc(id)}`;
export const submittedPath = (id: string) => `/my-dossiers/${enc(id)}/submitted`;
export const trackingPath = (code: string) => `/tra-cuu/${enc(code)}`;
/** Where a row of "my dossiers" leads: a draft goes back into the wizard. */
export const openPath = (d: Pick<DossierSummary, 'id' | 'state' | 'procedureCode'>) =>
  d.state === 'draft' ? wizardPath(d.procedureCode, d.id) : myDossierPath(d.id);

// ---- queries -------------------------------------------------------------------------------------

export function useMyDossiers(state: DossierState | '') {
  return usePagedList<DossierSummary, Page<DossierSummary>>(MINE, { state: state || undefined }, { limit: 20 });
}

export function useDossier(id: string) {
  return useQuery({
    queryKey: [DOSSIERS, id],
    queryFn: ({ signal }) => api.get<DossierDetail>(dossierPath(id), undefined, { signal }),
    enabled: id !== '',
  });
}

export function usePublicDossier(code: string) {
  return useQuery({
    queryKey: [PUBLIC, code],
    queryFn: ({ signal }) => api.get<PublicDossier>(publicPath(code), undefined, { signal, allowAnonymous: true }),
    enabled: code !== '',
  });
}

// ---- writes --------------------------------------------------------------------------------------

export type CreateBody = Omit<UpdateDraftBody, 'version'> & { procedureId: string };

export const createDraft = (body: CreateBody) => api.post<DossierDetail>(DOSSIERS, body);

export const updateDraft = (id: string, body: UpdateDraftBody) => api.patch<DossierDetail>(dossierPath(id), body);

/** Submission: the key makes a repeated click (or a retry after a lost answer) return the same result. */
export const submitDossier = (id: string, version: number, idempotencyKey: string) =>
  api.post<DossierDetail>(`${dossierPath(id)}/submit`, { version }, { headers: { 'idempotency-key': idempotencyKey } });

export const sendSupplement = (id: string, body: SupplementBody) => api.post<DossierDetail>(`${dossierPath(id)}/supplement`, body);

export const lookupDossier = (code: string, body: LookupBody) =>
  api.post<DossierDetail>(`${publicPath(code)}/lookup`, body, { allowAnonymous: true });
