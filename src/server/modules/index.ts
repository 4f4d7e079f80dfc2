/**
 * Registers every domain module's routes. Order matters only where one module hands another a
 * dependency (identity needs org's grant lookup; dossiers take the dvcqg listener).
 */
import type { Platform } from '../platform';
import type { App } from '../platform/http/types';
import { registerCatalogRoutes } from './catalog';
import { registerDeadlineJob, registerDossierRoutes } from './dossiers';
import { registerDvcqg } from './dvcqg';
import { identityService, type OrgLookup, registerIdentityRoutes } from './identity';
import { orgLookup as orgLookupFor, orgService, registerOrgRoutes } from './org';
import { registerWorkflowRoutes } from './workflows';

export async function registerModules(app: App, platform: Platform): Promise<void> {
  const orgLookup: OrgLookup = orgLookupFor(platform.db);
  const identity = identityService(platform.db, platform.config, orgLookup);
  registerIdentityRoutes(app, platform.config, identity);
  await registerOrgRoutes(app, orgService(platform.db));
  await registerCatalogRoutes(app, platform);
  // The national portal sync hears every dossier action (its listener enqueues the push in the action's transaction).
  const dvcqg = await registerDvcqg(app, platform);
  registerDossierRoutes(app, platform, [dvcqg.listener]);
  await registerDeadlineJob(platform.jobs, platform);
  registerWorkflowRoutes(app, platform);
}
