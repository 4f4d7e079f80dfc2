/**
 * Procedure catalogue (thủ tục hành chính): API types, queries, and the wording the portal and the
 * admin screens share — online service level, legal processing time, fee summary.
 */
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type {
  Component,
  FacetCount,
  Fee,
  FormField,
  FormSchema,
  ImportReport,
  Procedure,
  ProcedureList,
  ProcedurePublish,
  ProcedureSummary,
} from '../../server/modules/catalog/catalog.schemas';
import { api } from '../api';
import { formatVnd } from '../format';

// ---- Contract: types from the server's schemas (type-only: nothing of the server is bundled) -------

export type { Component, Fee, FormField, FormSchema, Procedure, ProcedureSummary };
export type ProcedureLevel = Procedure['level'];
export type OnlineLevel = Procedure['onlineLevel'];
export type Delivery = Procedure['resultDelivery'][number];
export type FormFieldType = FormField['type'];
/** Body of POST /procedures (no baseVersion) and PUT /procedures/:id. */
export type ProcedureInput = ProcedurePublish;
export type ProcedureListPage = ProcedureList;
export type ProcedureImportReport = ImportReport;
/** A facet value; the agency facet also carries the agency's name. */
export type Facet = FacetCount & { label?: string };

export const formFieldTypes: readonly FormFieldType[] = [
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'checkbox',
  'id_number',
  'phone',
  'email',
  'unit',
];
export const procedureLevels: ProcedureLevel[] = ['commune', 'province'];
export const onlineLevels: OnlineLevel[] = ['toan_trinh', 'mot_phan', 'thong_tin'];
export const deliveries: Delivery[] = ['online', 'counter', 'post'];

// ---- Queries ---------------------------------------------------------------------------------------

export const PROCEDURES = '/api/v1/procedures';

const procedurePath = (idOrCode: string) => `${PROCEDURES}/${encodeURIComponent(idOrCode)}`;

export function useProcedure(idOrCode: string) {
  return useQuery({
    queryKey: [PROCEDURES, idOrCode],
    queryFn: ({ signal }) => api.get<Procedure>(procedurePath(idOrCode), undefined, { signal }),
    enabled: idOrCode !== '',
  });
}

export function useProcedureVersion(id: string, version: number) {
  return useQuery({
    queryKey: [PROCEDURES, id, 'versions', version],
    queryFn: ({ signal }) => api.get<Procedure>(`${procedurePath(id)}/versions/${version}`, undefined, { signal }),
    enabled: id !== '' && Number.isInteger(version) && version > 0,
    // A published version never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useProcedureFields() {
  return useQuery({
    queryKey: ['/api/v1/procedure-fields'],
    queryFn: ({ signal }) => api.get<Facet[]>('/api/v1/procedure-fields', undefined, { signal }),
    staleTime: 5 * 60_000,
  });
}

export const saveProcedure = (id: string | null, body: ProcedureInput) =>
  id ? api.put<Procedure>(procedurePath(id), body) : api.post<Procedure>(PROCEDURES, body);

export const retireProcedure = (id: string) => api.post<unknown>(`${procedurePath(id)}/retire`);

/** Portal address of a procedure: by its national code (readable, stable across versions). */
export const portalPath = (p: { code: string | null; id: string }) => `/procedures/${encodeURIComponent(p.code || p.id)}`;

/** Where a dossier template (mẫu đơn, tờ khai) is downloaded. */
/** Public download of a component's form template (uploaded files themselves are private to their uploader). */
export const templateUrl = (procedureId: string, version: number, key: string) =>
  `/api/v1/procedures/${encodeURIComponent(procedureId)}/versions/${version}/components/${encodeURIComponent(key)}/template`;

// ---- Wording ---------------------------------------------------------------------------------------

/** Legal processing time: processingHours counts working hours, 8 to a working day. */
export function processingTime(
  p: { processingHours: number | null; processingDays?: number | null },
  t: TFunction,
  lang = 'vi',
): string | null {
  const hours = p.processingHours ?? (p.processingDays != null ? p.processingDays * 8 : null);
  if (hours == null || !Number.isFinite(hours) || hours < 0) return null;
  if (hours === 0) return t('catalog.time.immediate');
  if (hours < 8) return t('catalog.time.hours', { count: hours });
  const days = Math.round((hours / 8) * 100) / 100;
  const value = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 2 }).format(days);
  return t('catalog.time.days', { count: days, value });
}

/** One-line fee summary for lists: "Miễn phí", "50.000 đ" or "Theo quy định" (amount not fixed). */
export function feeSummary(total: number | null, t: TFunction): string {
  if (total == null) return t('catalog.fee.byRule');
  if (total === 0) return t('catalog.fee.free');
  return formatVnd(total);
}

/** One fee line in the detail table. */
export function feeAmount(amount: number | null, t: TFunction): string {
  if (amount == null) return t('catalog.fee.byRule');
  if (amount === 0) return t('catalog.fee.free');
  return formatVnd(amount);
}

export const onlineLevelLabel = (t: TFunction, l: string) => t(`catalog.onlineLevels.${l}`, { defaultValue: l });
export const onlineLevelText = (t: TFunction, l: string) => t(`catalog.onlineLevelText.${l}`, { defaultValue: '' });
export const procedureLevelLabel = (t: TFunction, l: string) => t(`catalog.levels.${l}`, { defaultValue: l });
export const deliveryLabel = (t: TFunction, d: string) => t(`catalog.deliveries.${d}`, { defaultValue: d });

export const onlineLevelTone = (l: OnlineLevel | string): 'success' | 'info' | 'neutral' =>
  l === 'toan_trinh' ? 'success' : l === 'mot_phan' ? 'info' : 'neutral';

/** Select options from a facet; the current choice stays listed even when no result carries it. */
export function facetOptions(facets: Facet[] | undefined, selected: string, label: (f: Facet) => string = (f) => f.label ?? f.value) {
  const list = [...(facets ?? [])];
  if (selected && !list.some((f) => f.value === selected)) list.unshift({ value: selected, count: 0 });
  return list.map((f) => ({ value: f.value, label: `${label(f)} (${f.count})` }));
}
