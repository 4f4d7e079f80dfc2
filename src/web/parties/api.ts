/**
 * Businesses, representatives and authorisations (/api/v1/parties…) as the account pages and the
 * submission wizard use them. Types come from the server's schemas (type-only imports).
 */
import { useQuery } from '@tanstack/react-query';
import type {
  Authorisation,
  BusinessDetail,
  BusinessSummary,
  CreateAuthorisationBody,
  PrincipalOption,
  RegisterBusinessBody,
} from '../../server/modules/parties/parties.schemas';
import { api } from '../api';

export type { Authorisation, BusinessDetail, BusinessSummary, PrincipalOption };

export const PARTIES = '/api/v1/parties';
export const BUSINESSES = `${PARTIES}/businesses`;
export const GIVEN = `${PARTIES}/authorisations/given`;
export const RECEIVED = `${PARTIES}/authorisations/received`;
export const PRINCIPALS = `${PARTIES}/principals`;

const enc = encodeURIComponent;
export const businessPath = (id: string) => `${BUSINESSES}/${enc(id)}`;

/** Pages of the account area. */
export const BUSINESSES_PAGE = '/account/businesses';
export const AUTHORISATIONS_PAGE = '/account/authorisations';
export const businessPage = (id: string) => `${BUSINESSES_PAGE}/${enc(id)}`;

export const partiesApi = {
  registerBusiness: (body: RegisterBusinessBody) => api.post<BusinessDetail>(BUSINESSES, body),
  business: (id: string) => api.get<BusinessDetail>(businessPath(id)),
  addRepresentative: (id: string, username: string) => api.post<BusinessDetail>(`${businessPath(id)}/representatives`, { username }),
  removeRepresentative: (id: string, accountId: string) => api.delete(`${businessPath(id)}/representatives/${enc(accountId)}`),
  authorise: (body: CreateAuthorisationBody) => api.post<Authorisation>(`${PARTIES}/authorisations`, body),
  revoke: (id: string) => api.post<Authorisation>(`${PARTIES}/authorisations/${enc(id)}/revoke`),
};

/** For whom the signed-in person may file a dossier of this procedure (himself first). */
export function usePrincipals(procedureCode: string, enabled = true) {
  return useQuery({
    queryKey: [PRINCIPALS, procedureCode],
    queryFn: ({ signal }) => api.get<{ items: PrincipalOption[] }>(PRINCIPALS, { procedureCode }, { signal }),
    enabled: enabled && procedureCode !== '',
  });
}
