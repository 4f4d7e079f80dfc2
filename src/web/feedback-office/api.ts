/**
 * Field-report API as the office and the admin screens use it: types (the contract in
 * docs/feedback.md and notes/common.md), query keys, hooks and write calls.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { ActionBody, Category, OfficeAction, Officer, Open311Client } from './logic';

export const REPORTS = '/api/v1/field-reports';
export const reportPath = (id: string) => `${REPORTS}/${encodeURIComponent(id)}`;
/** The ≤ 1600 px copy shown in the page; `original`: the photo at the size it was taken (EXIF removed), for evidence. */
export const reportPhotoUrl = (id: string, fileId: string, original = false) =>
  `${reportPath(id)}/photos/${encodeURIComponent(fileId)}${original ? '?original=true' : ''}`;
/** Office address of a report. */
export const officeReportPath = (id: string) => `/office/phan-anh/${encodeURIComponent(id)}`;

export const CATEGORIES_ADMIN = `${REPORTS}/admin/categories`;
export const SETTINGS_ADMIN = `${REPORTS}/admin/settings`;
export const BOUNDARIES_ADMIN = `${REPORTS}/admin/boundaries`;
export const OPEN311_CLIENTS = '/api/v1/open311/clients';

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

/** A report in the staff view (GET /api/v1/field-reports, /:id). */
export interface StaffReport {
  id: string;
  code: string;
  categoryCode: string;
  categoryName: string;
  description: string;
  publicDescription?: string | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  communeCode: string | null;
  communeName: string | null;
  agencyName: string;
  agencyId?: string;
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
  isPublic?: boolean;
  anonymous?: boolean;
  contact?: { name?: string; phone?: string; email?: string; zaloUserId?: string } | null;
  handlerAccountId?: string | null;
  reopened?: boolean;
  extended?: boolean;
  acceptDueAt?: string | null;
  resolveDueAt?: string | null;
  channel?: 'web' | 'open311' | 'zalo';
}

export interface ReportDetail extends StaffReport {
  timeline: TimelineEvent[];
}

export interface ReportOptions {
  actions: string[];
  departments: { code: string; name: string }[];
  officers: Officer[];
  agencies: { id: string; code: string; name: string }[];
}

export function useReport(id: string) {
  return useQuery({
    queryKey: [REPORTS, id],
    queryFn: ({ signal }) => api.get<ReportDetail>(reportPath(id), undefined, { signal }),
    enabled: id !== '',
    staleTime: 5_000,
  });
}

export function useReportOptions(id: string, enabled = true) {
  return useQuery({
    queryKey: [REPORTS, id, 'options'],
    queryFn: ({ signal }) => api.get<ReportOptions>(`${reportPath(id)}/options`, undefined, { signal }),
    enabled: enabled && id !== '',
    staleTime: 0,
  });
}

export const actOnReport = (id: string, action: OfficeAction, body: ActionBody) =>
  api.post<ReportDetail>(`${reportPath(id)}/${action}`, body);

// ---- Admin -----------------------------------------------------------------------------------------

export function useAdminCategories() {
  return useQuery({
    queryKey: [CATEGORIES_ADMIN],
    queryFn: ({ signal }) => api.get<{ items: Category[] }>(CATEGORIES_ADMIN, undefined, { signal }),
  });
}

export const createCategory = (c: Category) => api.post<Category>(CATEGORIES_ADMIN, c);
export const updateCategory = (code: string, c: Omit<Category, 'code'>) =>
  api.patch<Category>(`${CATEGORIES_ADMIN}/${encodeURIComponent(code)}`, c);

export interface FeedbackSettings {
  triageAgencyCode: string | null;
}

export function useFeedbackSettings() {
  return useQuery({
    queryKey: [SETTINGS_ADMIN],
    queryFn: ({ signal }) => api.get<FeedbackSettings>(SETTINGS_ADMIN, undefined, { signal }),
  });
}

export const saveFeedbackSettings = (s: FeedbackSettings) => api.put<FeedbackSettings>(SETTINGS_ADMIN, s);

export const importBoundaries = (geojson: unknown) => api.post<{ imported: number }>(BOUNDARIES_ADMIN, geojson);

export function useOpen311Clients() {
  return useQuery({
    queryKey: [OPEN311_CLIENTS],
    queryFn: ({ signal }) => api.get<{ items: Open311Client[] }>(OPEN311_CLIENTS, undefined, { signal }),
  });
}

export const createOpen311Client = (body: { name: string; contactEmail?: string }) =>
  api.post<Open311Client & { apiKey: string }>(OPEN311_CLIENTS, body);
export const disableOpen311Client = (id: string) => api.delete(`${OPEN311_CLIENTS}/${encodeURIComponent(id)}`);
