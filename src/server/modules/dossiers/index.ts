/**
 * What other modules may use from dossiers.
 *
 * - registerDossierRoutes(app, platform): the HTTP routes (applicant, reception desk, public tracking).
 * - dossiersService(deps): the use cases (submission, reception, tracking).
 * - seedDemoDossiers(platform): a few demo dossiers at the desks (once, at start).
 * - importFromNational: a dossier filed on the national portal into its desk's reception queue
 *   (dossiersService(deps).importFromNational binds it to the module).
 */
import type { Platform } from '../../platform';
import type { App } from '../../platform/http/types';
import { registerProcessingRoutes } from './dossiers.processing.routes';
import type { ReusePort } from './dossiers.reuse';
import { registerDossierRoutes as registerRoutes } from './dossiers.routes';
import { type DossierActionListener, type DossierParties, dossiersService } from './dossiers.service';

export { DEADLINE_JOB, registerDeadlineJob, warnDeadlines } from './dossiers.deadlines';
export {
  DOSSIER_CODE_RE,
  type FetchNationalFile,
  type ImportOutcome,
  importFromNational,
  type NationalDossier,
  type NationalFile,
  NationalFileRefused,
} from './dossiers.import';
/** A message to the applicant on the channel they chose (ratings: the invitation sent when the result is returned). */
export { notifyApplicant } from './dossiers.notify';
/** For ratings: owner, state, agency, officers who acted and hand-over verdicts of a dossier. */
export { type RatingFacts, type RatingOfficer, ratingFactsReader } from './dossiers.rating-facts';
export type { DossierDetail, DossierSummary, PublicDossier } from './dossiers.schemas';
export { seedDemoDossiers } from './dossiers.seed';
export {
  type DossierActionListener,
  type DossierParties,
  type DossierPrincipal,
  type DossiersService,
  dossiersService,
} from './dossiers.service';
export { applyAction, type DossierEvent, type DossierRecord } from './dossiers.state';
export { lookupGuard } from './dossiers.tracking';

export function registerDossierRoutes(
  app: App,
  platform: Platform,
  listeners: readonly DossierActionListener[] = [],
  /** Representatives of businesses and proxies as the applicant side (parties' partiesAccess). */
  parties?: DossierParties,
  /** The e-data store's side of "submit once" (edata's registerEdata). */
  reuse?: ReusePort,
): void {
  const dossiers = dossiersService({ ...platform, listeners, parties, reuse });
  registerRoutes(app, platform.config, dossiers);
  registerProcessingRoutes(app, dossiers);
}
