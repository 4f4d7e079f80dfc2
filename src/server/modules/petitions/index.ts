/**
 * What other modules may use from petitions (phản ánh, kiến nghị về quy định hành chính, NĐ 20/2008).
 *
 * - registerPetitions(app, platform): the HTTP routes (/api/v1/petitions…, /api/v1/public/petitions…).
 * - rules (pure): the Art. 5 categories, states, TT 01/2018 indicator-8 points.
 */
import type { Platform } from '../../platform';
import type { App } from '../../platform/http/types';
import { registerPetitionsRoutes } from './petitions.routes';
import { petitionsService } from './petitions.service';

export { categories as petitionCategories, indicator8 } from './petitions.rules';
export type { PetitionsService } from './petitions.service';

export function registerPetitions(app: App, platform: Platform): void {
  registerPetitionsRoutes(app, petitionsService({ db: platform.db, calendar: platform.calendar, files: platform.files }));
}
