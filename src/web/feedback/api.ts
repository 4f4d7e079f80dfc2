/** Calls and types of the field-report API (/api/v1/field-reports…, /api/v1/public/field-reports…). */
import { api, type Page } from '../api';
import type { FeatureCollection } from './geo';

export interface Category {
  code: string;
  name: string;
  acceptDays: number;
  resolveDays: number;
  unitKind: string;
}

export interface PublicReport {
  id: string;
  code: string;
  categoryCode: string;
  categoryName: string;
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  communeCode: string | null;
  communeName: string | null;
  agencyName: string;
  state: string;
  stateName: string;
  reporterName: string | null;
  photoIds: string[];
  resultText: string | null;
  resultPhotoIds: string[];
  satisfied: boolean | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  channel?: string;
}

export interface Report extends PublicReport {
  publicDescription?: string | null;
  isPublic?: boolean;
  anonymous?: boolean;
  reporterAccountId?: string | null;
  contact?: { name?: string; phone?: string; email?: string } | null;
  reopened?: boolean;
  extended?: boolean;
  acceptDueAt?: string | null;
  resolveDueAt?: string | null;
}

export interface TimelineEvent {
  seq: number;
  action: string;
  actionName: string;
  fromState: string | null;
  toState: string;
  actor: string;
  note: string | null;
  fileIds: string[];
  at: string;
}

export type WithTimeline<T> = T & { timeline: TimelineEvent[] };
export type NearbyReport = PublicReport & { distanceMeters: number };

/** The JSON part of a new report (the `report` part of the multipart request). */
export interface CreateReportBody {
  categoryCode: string;
  description: string;
  location?: { lon: number; lat: number };
  address?: string;
  isPublic?: boolean;
  anonymous?: boolean;
  useExifLocation?: boolean;
  contact?: { name?: string; phone?: string; email?: string };
}

export interface BoardQuery {
  bbox?: string;
  category?: string;
  state?: string;
  commune?: string;
  from?: string;
  to?: string;
}

const P = '/api/v1/field-reports';
const PUB = '/api/v1/public/field-reports';
const enc = encodeURIComponent;

export const feedbackKeys = {
  categories: ['feedback', 'categories'] as const,
  boundaries: ['feedback', 'boundaries'] as const,
  board: (q: BoardQuery) => ['feedback', 'board', q] as const,
  publicDetail: (id: string) => ['feedback', 'public', id] as const,
  detail: (id: string) => ['feedback', 'detail', id] as const,
  nearby: (lon: number, lat: number, category: string) => ['feedback', 'nearby', lon, lat, category] as const,
  mine: ['feedback', 'mine'] as const,
};

export const feedbackApi = {
  categories: () => api.get<{ items: Category[] }>(`${P}/categories`, undefined, { allowAnonymous: true }),
  boundaries: () => api.get<FeatureCollection>(`${PUB}/boundaries`, undefined, { allowAnonymous: true }),
  board: (q: BoardQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<PublicReport>>(PUB, { ...q, cursor: cursor ?? undefined, limit }, { allowAnonymous: true }),
  publicDetail: (id: string) => api.get<WithTimeline<PublicReport>>(`${PUB}/${enc(id)}`, undefined, { allowAnonymous: true }),
  detail: (id: string) => api.get<WithTimeline<Report>>(`${P}/${enc(id)}`, undefined, { allowAnonymous: true }),
  nearby: (lon: number, lat: number, category: string) =>
    api.get<{ items: NearbyReport[] }>(`${P}/nearby`, { lon, lat, category }, { allowAnonymous: true }),
  follow: (id: string) => api.post<{ following: boolean; followers: number }>(`${P}/${enc(id)}/follow`),
  mine: () => api.get<{ items: Report[]; following?: Report[] }>(`${P}/mine`),
  rate: (id: string, satisfied: boolean) => api.post<WithTimeline<Report>>(`${P}/${enc(id)}/rate`, { satisfied }),
  close: (id: string) => api.post<WithTimeline<Report>>(`${P}/${enc(id)}/close`, {}),
  publicPhotoUrl: (id: string, fileId: string) => `${PUB}/${enc(id)}/photos/${enc(fileId)}`,
  photoUrl: (id: string, fileId: string) => `${P}/${enc(id)}/photos/${enc(fileId)}`,
};

export type StateGroup = 'open' | 'progress' | 'done' | 'other';

/** The colour group of a state on the map and in the list. */
export function stateGroup(state: string): StateGroup {
  switch (state) {
    case 'new':
    case 'moderated':
    case 'accepted':
    case 'triage':
      return 'open';
    case 'assigned':
    case 'in_progress':
      return 'progress';
    case 'resolved':
    case 'rated':
    case 'closed':
      return 'done';
    default:
      return 'other';
  }
}

/** The states a citizen can filter the board by (those that reach the board). */
export const BOARD_STATES = ['moderated', 'accepted', 'assigned', 'in_progress', 'resolved', 'rated', 'closed', 'triage'] as const;
