/**
 * Client for the single sign-on API (contract in notes: /api/v1/sso/*): the OIDC interaction the login
 * page answers, the signed-in person's connected apps (consents), and the admin's client registry.
 */
import { api, request } from '../api';

export type SsoPrompt = 'login' | 'consent';

export interface SsoInteraction {
  uid: string;
  prompt: SsoPrompt;
  client: { clientId: string; name: string; firstParty: boolean };
  scopes: string[];
  claims: string[];
  signedIn: boolean;
  account: { displayName: string } | null;
}

export interface SsoGrant {
  id: string;
  clientId: string;
  clientName: string;
  scopes: string[];
  createdAt: string;
}

export type SsoClientKind = 'confidential' | 'public' | 'machine';

export interface SsoClient {
  clientId: string;
  name: string;
  kind: SsoClientKind;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  firstParty: boolean;
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
}

export interface SsoClientInput {
  name: string;
  kind: SsoClientKind;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  firstParty: boolean;
}

/** Where the browser goes next after an interaction step. */
export interface Redirect {
  redirectTo: string;
}

const interaction = (uid: string) => `/api/v1/sso/interactions/${encodeURIComponent(uid)}`;
const client = (id: string) => `/api/v1/sso/clients/${encodeURIComponent(id)}`;

export const ssoApi = {
  // The interaction calls run on the login page: a 401 there is an answer, not "session ended".
  interaction: (uid: string) => request<SsoInteraction>('GET', interaction(uid), { allowAnonymous: true }),
  login: (uid: string) => request<Redirect>('POST', `${interaction(uid)}/login`, { body: {}, allowAnonymous: true }),
  consent: (uid: string) => request<Redirect>('POST', `${interaction(uid)}/consent`, { body: {}, allowAnonymous: true }),
  abort: (uid: string) => request<Redirect>('POST', `${interaction(uid)}/abort`, { body: {}, allowAnonymous: true }),

  /** Whether "Đăng nhập bằng VNeID" is offered (GET /api/v1/auth/vneid, VNeID helper). */
  vneid: () => request<{ enabled: boolean; sandbox: boolean; startUrl: string }>('GET', '/api/v1/auth/vneid', { allowAnonymous: true }),

  grants: () => api.get<{ items: SsoGrant[] }>('/api/v1/sso/grants'),
  revokeGrant: (id: string) => api.delete(`/api/v1/sso/grants/${encodeURIComponent(id)}`),

  clients: () => api.get<{ items: SsoClient[]; nextCursor?: string | null }>('/api/v1/sso/clients'),
  client: (id: string) => api.get<SsoClient>(client(id)),
  createClient: (input: SsoClientInput) => api.post<SsoClient & { clientSecret?: string }>('/api/v1/sso/clients', input),
  updateClient: (id: string, patch: Partial<SsoClientInput> & { status?: 'active' | 'disabled' }) =>
    api.patch<SsoClient>(client(id), patch),
  rotateSecret: (id: string) => api.post<{ clientSecret: string }>(`${client(id)}/secret`),
  disableClient: (id: string) => api.delete(client(id)),
  rotateKeys: () => api.post<unknown>('/api/v1/sso/keys/rotate'),
};
