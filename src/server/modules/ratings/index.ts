/**
 * What other modules may use from ratings (satisfaction ratings of dossiers, TT 01/2018).
 *
 * - registerRatings(app, platform): the HTTP routes; returns the dossier action listener that sends the
 *   invitation to rate when a result is returned (hand it to registerDossierRoutes).
 * - forms, scoring helpers: the rating forms and TT 01's bands (pure).
 */
import type { Platform } from '../../platform';
import type { App } from '../../platform/http/types';
import type { DossierActionListener } from '../dossiers';
import { registerRatingsRoutes } from './ratings.routes';
import { ratingInviteListener, ratingsService } from './ratings.service';

export { agencyGrade, type FormCode, forms, staffGrade } from './ratings.forms';
export type { RatingsService } from './ratings.service';

export function registerRatings(app: App, platform: Platform): { listener: DossierActionListener } {
  const deps = { db: platform.db, config: platform.config, notify: platform.notify };
  registerRatingsRoutes(app, platform.config, ratingsService(deps));
  return { listener: ratingInviteListener(deps) };
}
