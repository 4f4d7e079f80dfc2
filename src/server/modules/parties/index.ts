/**
 * What other modules may use from parties (businesses, representatives, authorisations).
 *
 * - partiesAccess(db): `canActFor(actor, principal, procedureCode, at?)`, `principalsOf(actor, at?)` (the
 *   contract), plus `authority` (how: self / representative / which authorisation), `reach` (for list
 *   queries) and `nameOf` (a principal's display name).
 * - registerPartiesRoutes(app, platform): the /api/v1/parties routes.
 * - seedDemoParties(db): the demo business and authorisation (idempotent).
 */
import type { Platform } from '../../platform';
import type { App } from '../../platform/http/types';
import { registerPartiesRoutes as registerRoutes } from './parties.routes';
import { partiesService } from './parties.service';

export { type Authority, type PartiesAccess, type Principal, partiesAccess } from './parties.access';
export { DEMO_AUTHORISED_PROCEDURES, DEMO_BUSINESS, seedDemoParties } from './parties.seed';
export { type PartiesService, partiesService } from './parties.service';

export function registerPartiesRoutes(app: App, platform: Platform): void {
  registerRoutes(app, partiesService(platform.db));
}
