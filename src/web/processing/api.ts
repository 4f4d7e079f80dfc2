/**
 * Processing API for the office and the public verification page: types (type-only from the server's
 * schemas, so a contract change breaks tsc), queries (the officer's work, the work queue, the register,
 * an issued result) and the writes (act, reassign, bulk assign, opinions, draft result, consultation,
 * apology, stop, withdraw, verify a PDF).
 */

import type { Static } from '@sinclair/typebox';
import { useQuery } from '@tanstack/react-query';
import type {
  ActBody,
  ApologyBody,
  BulkAssignResult,
  ConsultBody,
  DossierWork,
  IssuedResult,
  OpinionBody,
  RegisterItem,
  ResultDraftBody,
  VerifyAnswer,
  WorkItem,
} from '../../server/modules/dossiers/dossiers.processing.schemas';
import type { DossierDetail } from '../../server/modules/dossiers/dossiers.schemas';
import { api } from '../api';

export type { DossierDetail, DossierWork, RegisterItem, WorkItem };
export type WorkAction = DossierWork['actions'][number];
export type Assignee = DossierWork['assignees'][number];
export type BulkResult = Static<typeof BulkAssignResult>;
export type Issued = Static<typeof IssuedResult>;
export type Verdict = Static<typeof VerifyAnswer>;
export type Processing = DossierDetail['processing'];
export type ReturnMethod = NonNullable<ActBody['returnMethod']>;

export const DOSSIERS = '/api/v1/dossiers';
export const WORK = '/api/v1/work';
export const REGISTER = `${DOSSIERS}/register`;
const enc = encodeURIComponent;
const dossierPath = (id: string) => `${DOSSIERS}/${enc(id)}`;
export const workPath = (id: string) => `${dossierPath(id)}/work`;
export const controlSlipUrl = (id: string) => `${dossierPath(id)}/control-slip.pdf`;
export const fileUrl = (id: string, fileId: string) => `${dossierPath(id)}/files/${enc(fileId)}`;
export const verifyPath = (code?: string) => (code ? `/xac-thuc/${enc(code)}` : '/xac-thuc');
export const returnMethods = ['online', 'counter', 'post'] as const satisfies readonly ReturnMethod[];

/** What the signed-in officer may do with this dossier now (changes with every action). */
export function useWork(id: string, enabled = true) {
  return useQuery({
    queryKey: [DOSSIERS, id, 'work'],
    queryFn: ({ signal }) => api.get<DossierWork>(workPath(id), undefined, { signal }),
    enabled: enabled && id !== '',
    staleTime: 5_000,
  });
}

export function useIssuedResult(code: string) {
  return useQuery({
    queryKey: ['/api/v1/public/results', code],
    queryFn: ({ signal }) => api.get<Issued>(`/api/v1/public/results/${enc(code)}`, undefined, { signal, allowAnonymous: true }),
    enabled: code !== '',
    retry: false,
  });
}

// ---- writes ------------------------------------------------------------------------------------

export const act = (id: string, body: ActBody) => api.post<DossierDetail>(`${dossierPath(id)}/act`, body);
export const reassign = (id: string, body: { assigneeId: string; branch?: string | null; version: number }) =>
  api.post<DossierDetail>(`${dossierPath(id)}/reassign`, body);
export const bulkAssign = (dossierIds: string[], assigneeId: string) =>
  api.post<BulkResult>(`${DOSSIERS}/assign`, { dossierIds, assigneeId });
export const addOpinion = (id: string, body: Static<typeof OpinionBody>) => api.post<DossierDetail>(`${dossierPath(id)}/opinions`, body);
export const saveResultDraft = (id: string, body: Static<typeof ResultDraftBody>) =>
  api.post<DossierDetail>(`${dossierPath(id)}/result-draft`, body);
export const consult = (id: string, body: Static<typeof ConsultBody>) => api.post<DossierDetail>(`${dossierPath(id)}/consultations`, body);
export const answerConsultation = (id: string, cid: string, answer: string) =>
  api.post<DossierDetail>(`${dossierPath(id)}/consultations/${enc(cid)}/answer`, { answer });
export const apologize = (id: string, body: Static<typeof ApologyBody>) => api.post<DossierDetail>(`${dossierPath(id)}/apology`, body);
export const stopDossier = (id: string, reason: string, version: number) =>
  api.post<DossierDetail>(`${dossierPath(id)}/stop`, { reason, version });
export const withdrawDossier = (id: string, reason: string, version: number) =>
  api.post<DossierDetail>(`${dossierPath(id)}/withdraw`, { reason, version });

/** The raw PDF as the body: the server compares it byte for byte with what it issued. */
export const verifyPdf = (file: Blob) =>
  api.post<Verdict>('/api/v1/public/results/verify', file, { contentType: 'application/pdf', allowAnonymous: true });
