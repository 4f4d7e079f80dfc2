/** Calls and types of the petitions API (phản ánh, kiến nghị về quy định hành chính). */
import { api, type Query } from '../api';

export type PetitionState = 'received' | 'rejected' | 'forwarded' | 'accepted' | 'in_progress' | 'answered' | 'closed';
export type PetitionAction = 'classify' | 'forward' | 'assign' | 'note' | 'extend' | 'answer' | 'close';
export type Channel = 'online' | 'written' | 'phone' | 'form';

export interface PublicPetition {
  id: string;
  registerNumber: string;
  category: number;
  categoryName: string;
  regulation: string;
  summary: string;
  agencyId: string;
  agencyName: string;
  channel: Channel;
  channelName: string;
  state: PetitionState;
  stateName: string;
  answerText: string | null;
  hasAnswerFile: boolean;
  receivedAt: string;
  answeredAt: string | null;
}

export interface Petitioner {
  name: string;
  organization?: string;
  address?: string;
  phone?: string;
  email?: string;
}

export interface Petition extends PublicPetition {
  content: string;
  proposal: string | null;
  publicSummary: string | null;
  attachmentIds: string[];
  petitioner: Petitioner;
  petitionerAccountId: string | null;
  answerFileId: string | null;
  forwardDueAt: string;
  classifiedAt: string | null;
  rejectReason: string | null;
  forwardedAt: string | null;
  forwardedLate: boolean | null;
  forwardAgencyId: string | null;
  forwardAgencyName: string | null;
  forwardedToId: string | null;
  forwardedFromId: string | null;
  handlerAccountId: string | null;
  handlerName: string | null;
  handleDueAt: string | null;
  extended: boolean;
  answeredLate: boolean | null;
  closedAt: string | null;
}

export interface PetitionEvent {
  seq: number;
  action: string;
  actionName: string;
  fromState: string | null;
  toState: string;
  actor: string;
  note: string | null;
  details: Record<string, unknown>;
  at: string;
}

export interface PetitionDetail extends Petition {
  timeline: PetitionEvent[];
}

export interface Meta {
  categories: { code: number; name: string }[];
  criteria: Record<string, string>;
  agencies: { id: string; code: string; name: string }[];
}

export interface SubmitBody {
  agencyId: string;
  category: number;
  regulation: string;
  content: string;
  proposal?: string;
  attachmentIds?: string[];
  petitioner?: Partial<Petitioner>;
}

export interface ActionBody {
  decision?: 'rejected' | 'in_competence';
  reason?: string;
  agencyId?: string;
  agencyName?: string;
  accountId?: string;
  note?: string;
  kind?: 'meeting' | 'assessment';
  assessment?: Record<string, string>;
  days?: number;
  answerText?: string;
  answerFileId?: string;
  publicSummary?: string;
}

export interface StatsLine {
  agencyId: string;
  agencyName: string;
  received: number;
  rejected: number;
  forwarded: number;
  forwardedOnTime: number;
  forwardedOnTimePercent: number | null;
  inCompetence: number;
  answered: number;
  answeredOnTime: number;
  protracted: number;
  open: number;
  onTimePercent: number | null;
  indicator8: number;
}

export const PUBLIC_LIST = '/api/v1/public/petitions';
export const QUEUE = '/api/v1/petitions';

export const petitionsKeys = {
  meta: ['petitions', 'meta'] as const,
  mine: ['petitions', 'mine'] as const,
  detail: (id: string) => ['petitions', 'detail', id] as const,
  publicDetail: (id: string) => ['petitions', 'public', id] as const,
  staffAgencies: ['petitions', 'staff-agencies'] as const,
  officers: (id: string) => ['petitions', 'officers', id] as const,
  stats: (q: Query) => ['petitions', 'stats', q] as const,
};

export const petitionsApi = {
  meta: () => api.get<Meta>('/api/v1/public/petitions/meta'),
  submit: (body: SubmitBody, key: string) => api.post<Petition>('/api/v1/petitions', body, { headers: { 'idempotency-key': key } }),
  counter: (body: SubmitBody & { channel: Exclude<Channel, 'online'>; receivedAt?: string }) =>
    api.post<PetitionDetail>('/api/v1/petitions/counter', body),
  mine: () => api.get<{ items: Petition[] }>('/api/v1/petitions/mine'),
  get: (id: string) => api.get<PetitionDetail>(`/api/v1/petitions/${id}`, undefined, { allowAnonymous: true }),
  publicGet: (id: string) => api.get<PublicPetition>(`/api/v1/public/petitions/${id}`),
  act: (id: string, action: PetitionAction, body: ActionBody) => api.post<PetitionDetail>(`/api/v1/petitions/${id}/${action}`, body),
  officers: (id: string) =>
    api.get<{ items: { accountId: string; name: string; department: string | null }[] }>(`/api/v1/petitions/${id}/officers`),
  staffAgencies: () => api.get<{ items: { id: string; code: string; name: string }[] }>('/api/v1/petitions/agencies'),
  stats: (q: Query) => api.get<{ from: string; to: string; items: StatsLine[] }>('/api/v1/petitions/stats', q),
};

export const answerFileUrl = (id: string) => `/api/v1/public/petitions/${id}/answer-file`;
export const fileUrl = (id: string, fileId: string) => `/api/v1/petitions/${id}/files/${fileId}`;
