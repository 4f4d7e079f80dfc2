/**
 * Org API types, taken from the server's schemas (type-only import: nothing of the server is
 * bundled), plus the small label tables the screens need.
 */
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type {
  Agency,
  AgencyDetail,
  Assignment,
  Department,
  ImportReport,
  Position,
  Role,
  Staff,
  StaffDetail,
  Unit,
  UnitDetail,
} from '../../server/modules/org/org.schemas';
import { api, type Page } from '../api';

export type { Agency, AgencyDetail, Assignment, Department, ImportReport, Position, Role, Staff, StaffDetail, Unit, UnitDetail };

export type UnitLevel = Unit['level'];
export type UnitType = Unit['type'];
export type AgencyKind = Agency['kind'];

export const unitLevels: UnitLevel[] = ['province', 'district', 'commune'];
export const typesByLevel: Record<UnitLevel, UnitType[]> = {
  province: ['tinh', 'thanh_pho'],
  district: ['huyen', 'quan', 'thi_xa', 'thanh_pho'],
  commune: ['xa', 'phuong', 'thi_tran', 'dac_khu'],
};
export const codeLength: Record<UnitLevel, number> = { province: 2, district: 3, commune: 5 };

export const agencyKinds: AgencyKind[] = [
  'ubnd_tinh',
  'van_phong',
  'so_nganh',
  'trung_tam_pvhcc',
  'ubnd_xa',
  'don_vi_su_nghiep',
  'don_vi_khac',
];

export const levelLabel = (t: TFunction, l: string) => t(`units.levels.${l}`, { defaultValue: l });
export const typeLabel = (t: TFunction, ty: string) => t(`units.types.${ty}`, { defaultValue: ty });
export const kindLabel = (t: TFunction, k: string) => t(`agencies.kinds.${k}`, { defaultValue: k });

/** Agency id of QĐ 20/2020 (first group MX1X2, then dot-separated groups of 0-9A-Z). */
export const AGENCY_CODE = /^[A-Y][0-9]{2}(\.[0-9A-Z]+)*$/;
export const LEGACY_AGENCY_CODE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Y][0-9]{2}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reference lists (roles, positions, permissions) come as plain arrays; screens get `{ items }`. */
const asItems = <T>(d: T[] | { items: T[] }): { items: T[] } => (Array.isArray(d) ? { items: d } : d);

/** Small reference lists used by forms: fetched once, cached. */
export function useRoles() {
  return useQuery({
    queryKey: ['/api/v1/roles', 'all'],
    queryFn: () => api.get<Role[] | { items: Role[] }>('/api/v1/roles'),
    select: asItems,
  });
}
export function usePositions() {
  return useQuery({
    queryKey: ['/api/v1/positions', 'all'],
    queryFn: () => api.get<Position[] | { items: Position[] }>('/api/v1/positions'),
    select: asItems,
  });
}
export function usePermissions() {
  return useQuery({
    queryKey: ['/api/v1/permissions'],
    queryFn: () => api.get<{ code: string; label: string }[] | { items: { code: string; label: string }[] }>('/api/v1/permissions'),
    select: asItems,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
/** Agencies for pickers (first 200 by the server's order; the picker also searches). */
export function useAgencyOptions(q = '') {
  return useQuery({
    queryKey: ['/api/v1/agencies', 'options', q],
    queryFn: () => api.get<Page<Agency>>('/api/v1/agencies', { limit: 200, q: q || undefined }),
  });
}
export function useAgency(id: string | null | undefined) {
  return useQuery({
    queryKey: ['/api/v1/agencies', id],
    queryFn: () => api.get<AgencyDetail>(`/api/v1/agencies/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
  });
}
