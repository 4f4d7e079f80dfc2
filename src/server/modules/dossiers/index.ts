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
import { registerDossierRoutes as registerRoutes } from './dossiers.routes';
import { type DossierActionListener, dossiersService } from './dossiers.service';

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
export type { DossierDetail, DossierSummary, PublicDossier } from './dossiers.schemas';
export { seedDemoDossiers } from './dossiers.seed';
export { type DossierActionListener, type DossiersService, dossiersService } from './dossiers.service';
export { type DossierRecord, replay } from './dossiers.state';

export function registerDossierRoutes(app: App, platform: Platform, listeners: readonly DossierActionListener[] = []): void {
  const dossiers = dossiersService({ ...platform, listeners });
  registerRoutes(app, platform.config, dossiers);
  registerProcessingRoutes(app, dossiers);
}
