/** Client of the e-data store API (/api/v1/edata…, /api/v1/public/edata/shares…) and its queries. */
import { useQuery } from '@tanstack/react-query';
import type {
  AccessEntry,
  AddDocumentBody,
  EdataDocument,
  EditDocumentBody,
  Share,
  SharedDocument,
} from '../../server/modules/edata/edata.schemas';
import { api } from '../api';

export type { AccessEntry, EdataDocument, Share, SharedDocument };
export type DocType = { code: string; name: string; matches: string[] };
export type CreatedShare = Share & { token: string; url: string };
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface StoreFilters {
  type?: string;
  source?: string;
  validity?: string;
}

const E = '/api/v1/edata';
const enc = encodeURIComponent;

export const edataKeys = {
  all: ['edata'] as const,
  types: ['edata', 'types'] as const,
  list: (f: StoreFilters) => ['edata', 'documents', f] as const,
  doc: (id: string) => ['edata', 'document', id] as const,
  log: (id: string | null) => ['edata', 'log', id ?? 'all'] as const,
  shares: (id: string) => ['edata', 'shares', id] as const,
  share: (token: string) => ['edata', 'share', token] as const,
};

export const edataApi = {
  types: () => api.get<{ items: DocType[] }>(`${E}/types`),
  list: (f: StoreFilters, cursor?: string | null, limit = 50) =>
    api.get<Page<EdataDocument>>(`${E}/documents`, { ...f, cursor: cursor ?? undefined, limit }),
  get: (id: string) => api.get<EdataDocument>(`${E}/documents/${enc(id)}`),
  add: (body: AddDocumentBody) => api.post<EdataDocument>(`${E}/documents`, body),
  edit: (id: string, body: EditDocumentBody) => api.patch<EdataDocument>(`${E}/documents/${enc(id)}`, body),
  remove: (id: string) => api.delete(`${E}/documents/${enc(id)}`),
  log: (id: string | null, cursor?: string | null) =>
    api.get<Page<AccessEntry>>(id ? `${E}/documents/${enc(id)}/access-log` : `${E}/access-log`, { cursor: cursor ?? undefined }),
  shares: (id: string) => api.get<{ items: Share[] }>(`${E}/documents/${enc(id)}/shares`),
  createShare: (id: string, hours: number) => api.post<CreatedShare>(`${E}/documents/${enc(id)}/shares`, { hours }),
  revokeShare: (id: string, shareId: string) => api.post<Share>(`${E}/documents/${enc(id)}/shares/${enc(shareId)}/revoke`),
  openShare: (token: string) => api.get<SharedDocument>(`/api/v1/public/edata/shares/${enc(token)}`, undefined, { allowAnonymous: true }),
};

export const documentFileUrl = (id: string, download = false) => `${E}/documents/${enc(id)}/file${download ? '?download=true' : ''}`;
export const shareFileUrl = (token: string, download = false) =>
  `/api/v1/public/edata/shares/${enc(token)}/file${download ? '?download=true' : ''}`;

export function useDocTypes() {
  return useQuery({ queryKey: edataKeys.types, queryFn: async () => (await edataApi.types()).items, staleTime: Number.POSITIVE_INFINITY });
}

/** The documents of the signed-in person's store still valid (what a dossier may reuse). */
export function useValidDocuments(enabled = true) {
  return useQuery({
    queryKey: edataKeys.list({ validity: 'valid' }),
    queryFn: async () => (await edataApi.list({ validity: 'valid' }, null, 200)).items,
    enabled,
  });
}

/** Documents of the store ordered for a component: those whose type fits the component's first. */
export function rankFor(docs: EdataDocument[], types: DocType[], componentType: string | null | undefined): EdataDocument[] {
  if (!componentType) return docs;
  const fits = (d: EdataDocument) =>
    d.type === componentType || (types.find((x) => x.code === d.type)?.matches ?? []).includes(componentType);
  return [...docs.filter(fits), ...docs.filter((d) => !fits(d))];
}

export function fits(d: EdataDocument, types: DocType[], componentType: string | null | undefined): boolean {
  if (!componentType) return false;
  return d.type === componentType || (types.find((x) => x.code === d.type)?.matches ?? []).includes(componentType);
}

/** Share expiry choices (hours). */
export const SHARE_CHOICES = [1, 24, 72, 168, 720] as const;
