/**
 * Registers every domain module's routes. Order matters only where one module hands another a
 * dependency (identity needs org's grant lookup; dossiers take the dvcqg listener).
 */
import type { Platform } from '../platform';
import type { App } from '../platform/http/types';
import { registerCatalogRoutes } from './catalog';
import { registerDeadlineJob, registerDossierRoutes } from './dossiers';
import { registerDvcqg } from './dvcqg';
import { registerEdata } from './edata';
import { registerFeedback } from './feedback';
import { accountClaimsSource, identityService, type OrgLookup, registerIdentityRoutes, registerVneid } from './identity';
import { agencyById, orgLookup as orgLookupFor, orgService, registerOrgRoutes } from './org';
import { partiesAccess, registerPartiesRoutes } from './parties';
import { registerPetitions } from './petitions';
import { registerRatings } from './ratings';
import { registerSso } from './sso';
import { registerWorkflowRoutes } from './workflows';
import { registerZalo } from './zalo';

export async function registerModules(app: App, platform: Platform): Promise<void> {
  const orgLookup: OrgLookup = orgLookupFor(platform.db);
  const identity = identityService(platform.db, platform.config, orgLookup);
  registerIdentityRoutes(app, platform.config, identity);
  // Sign-in with the national e-ID (VNeID), and its local sandbox at /vneid-sandbox when VNEID_SANDBOX is on.
  await registerVneid(app, platform.config, platform.db);
  // Provincial SSO (OIDC provider at /oidc): claims come from identity, agency codes and roles from org.
  const claims = accountClaimsSource(platform.db, {
    ...orgLookup,
    agencyCode: async (id) => (await agencyById(platform.db, id))?.code ?? null,
  });
  await registerSso(app, platform, { claims, service: identity });
  await registerOrgRoutes(app, orgService(platform.db));
  await registerCatalogRoutes(app, platform);
  // The national portal sync hears every dossier action (its listener enqueues the push in the action's transaction).
  const dvcqg = await registerDvcqg(app, platform);
  registerPartiesRoutes(app, platform);
  // Representatives of a business and proxies (ủy quyền) act for the applicant through parties.
  // The e-data store: components filled from it ("submit once"), returned e-results put into it.
  const edata = registerEdata(app, platform, partiesAccess(platform.db));
  // Satisfaction ratings: the invitation to rate goes out when the desk returns a result (a dossier listener).
  const ratings = registerRatings(app, platform);
  registerDossierRoutes(app, platform, [dvcqg.listener, edata.listener, ratings.listener], partiesAccess(platform.db), edata.reuse);
  await registerDeadlineJob(platform.jobs, platform);
  registerWorkflowRoutes(app, platform);
  // Field reports (phản ánh hiện trường): routing by commune boundary, handling workflow, public board.
  const feedback = await registerFeedback(app, platform);
  // Petitions (PAKN về quy định hành chính, NĐ 20/2008): PAKN register, classify/forward in 5 working days, published answers.
  registerPetitions(app, platform);
  // Zalo OA channel: signed webhook, report dialogue and dossier status, replies by job; sandbox at /zalo-sandbox.
  await registerZalo(app, platform, feedback);
}
