/** Calls and types of the ratings API (satisfaction ratings of dossiers). */
import { api } from '../api';

export type FormCode = 'tt01' | 'c12';
export type Score = 0 | 1 | 2;

export interface Criterion {
  key: string;
  number: number;
  label: string;
  indicator: number | null;
  options: { score: Score; label: string }[];
}

export interface RatingForm {
  code: FormCode;
  name: string;
  description: string;
  criteria: Criterion[];
}

export interface Rating {
  id: string;
  dossierId: string;
  dossierCode: string;
  procedureName: string;
  agencyName: string;
  formCode: FormCode;
  answers: Record<string, number>;
  indicators: (number | null)[];
  total: number;
  maxTotal: number;
  grade: string;
  gradeName: string;
  comment: string | null;
  channel: 'online' | 'link' | 'kiosk';
  period: string;
  createdAt: string;
  officers: { accountId: string; name: string; role: string }[];
}

export interface PublicInfo {
  dossierCode: string;
  procedureName: string;
  agencyName: string;
  returned: boolean;
  rated: boolean;
  ratedAt: string | null;
  form: RatingForm;
}

export interface DossierRating extends PublicInfo {
  rating: Rating | null;
  ratingUrl: string | null;
}

export interface SummaryLine {
  id: string;
  name: string;
  agencyName: string | null;
  ratings: number;
  indicators: (number | null)[];
  total: number;
  maxTotal: number;
  grade: string;
  gradeName: string;
  general: (number | null)[];
}

export interface RankingLine {
  rank: number;
  agencyId: string;
  agencyName: string;
  ratings: number;
  indicators: (number | null)[];
  total: number;
  maxTotal: number;
  grade: string;
  gradeName: string;
}

export interface RateBody {
  answers: Record<string, number>;
  comment?: string;
}

const P = '/api/v1/ratings';
const PUB = '/api/v1/public/ratings';

export const ratingsKeys = {
  dossier: (id: string) => ['ratings', 'dossier', id] as const,
  token: (token: string) => ['ratings', 'token', token] as const,
  summary: (period: string, by: string) => ['ratings', 'summary', period, by] as const,
  list: (period: string, filter: string) => ['ratings', 'list', period, filter] as const,
  ranking: (period: string) => ['ratings', 'ranking', period] as const,
};

export const ratingsApi = {
  forDossier: (id: string) => api.get<DossierRating>(`${P}/dossiers/${id}`),
  rateDossier: (id: string, body: RateBody) => api.post<Rating>(`${P}/dossiers/${id}`, body),
  qrUrl: (id: string) => `${P}/dossiers/${id}/qr.svg`,
  byToken: (token: string) =>
    api.get<PublicInfo & { channel: 'link' | 'kiosk' }>(`${PUB}/links/${encodeURIComponent(token)}`, undefined, { allowAnonymous: true }),
  rateByToken: (token: string, body: RateBody) =>
    api.post<Rating>(`${PUB}/links/${encodeURIComponent(token)}`, body, { allowAnonymous: true }),
  kioskLookup: (code: string, last4: string) =>
    api.post<PublicInfo & { token: string }>(`${PUB}/kiosk/lookup`, { code, last4 }, { allowAnonymous: true }),
  summary: (period: string, by: 'agency' | 'officer') => api.get<{ items: SummaryLine[] }>(`${P}/summary`, { period, by }),
  list: (period: string, filter: { agencyId?: string; officerId?: string }) => api.get<{ items: Rating[] }>(P, { period, ...filter }),
  ranking: (period: string) => api.get<{ period: string; items: RankingLine[] }>(`${PUB}/ranking`, { period }, { allowAnonymous: true }),
};

/** "2026-Q4" of a date, in Vietnam time (the server counts quarters the same way). */
export function periodOf(d: Date): string {
  const vn = new Date(d.getTime() + 7 * 3600 * 1000);
  return `${vn.getUTCFullYear()}-Q${Math.floor(vn.getUTCMonth() / 3) + 1}`;
}

/** The current quarter and the `n - 1` before it, newest first. */
export function recentPeriods(now: Date, n = 8): string[] {
  const [y, q] = periodOf(now).split('-Q').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const k = y * 4 + (q - 1) - i;
    return `${Math.floor(k / 4)}-Q${(k % 4) + 1}`;
  });
}
