/**
 * Registers every domain module's routes. Order matters only where one module hands another a
 * dependency (identity needs org's grant lookup).
 */
import type { Platform } from '../platform';
import type { App } from '../platform/http/types';
import { type OrgLookup, identityService, registerIdentityRoutes } from './identity';

export async function registerModules(app: App, platform: Platform): Promise<void> {
  const orgLookup: OrgLookup = { grantsForAccount: async () => [], agencyOfAccount: async () => null };
  const identity = identityService(platform.db, platform.config, orgLookup);
  registerIdentityRoutes(app, platform.config, identity);
}
