/**
 * Provincial single sign-on: the OIDC provider at /oidc (oidc-provider), its admin and interaction
 * API under /api/v1/sso, and the web app's own sign-in through it (/auth/sso/*). See docs/sso.md.
 *
 * - registerSso(app, platform, { claims, identity }): builds the provider (keys, built-in clients) and the routes.
 * - rotateKeys(db, config, ctx): new signing keys (CLI `sso:rotate-keys`; running servers pick them up within 30 s).
 */
import type { Platform } from '../../platform';
import type { App } from '../../platform/http/types';
import type { ClaimsSource, IdentityService } from '../identity';
import { providerHolder } from './sso.provider';
import { ssoRepo } from './sso.repo';
import { registerSsoRoutes } from './sso.routes';
import { ensureBuiltInClients, ssoService } from './sso.service';
import { registerWebSignIn } from './sso.web';

export { ensureKeys } from './sso.keys';
export { issuerOf } from './sso.provider';
export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, rotateKeys, WEB_CLIENT_ID } from './sso.service';

export async function registerSso(app: App, platform: Platform, identity: { claims: ClaimsSource; service?: IdentityService }) {
  const { db, config } = platform;
  await ensureBuiltInClients(db, config);
  const holder = await providerHolder({ db, config, claims: identity.claims, repo: ssoRepo(db) });
  const sso = ssoService({ db, config, holder, claims: identity.claims });
  await registerSsoRoutes(app, config, holder, sso);
  registerWebSignIn(app, { db, config, identity: identity.service });
  return { holder, service: sso };
}
