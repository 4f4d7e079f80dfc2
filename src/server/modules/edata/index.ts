/**
 * What other modules may use from the e-data store (kho dữ liệu điện tử của tổ chức, cá nhân).
 *
 * - registerEdata(app, platform, acting): the store's routes; returns the dossiers' reuse port and the
 *   dossier action listener that puts returned e-results into the owner's store.
 * - edataReusePort / resultListener: the same, built on their own.
 * - seedDemoEdata(platform): a few papers in congdan's store (once).
 * - ActingRule / ownerOnly: who may act for a store's owner (the parties module's canActFor fits it).
 */
import type { Platform } from '../../platform';
import type { App } from '../../platform/http/types';
import type { DossierActionListener } from '../dossiers';
import type { ReusePort } from '../dossiers/dossiers.reuse';
import { edataReusePort, resultListener } from './edata.port';
import { registerEdataRoutes } from './edata.routes';
import { edataService } from './edata.service';
import { type ActingRule, ownerOnly } from './edata.types';

export { dossierPrincipal, edataReusePort, resultListener } from './edata.port';
export { seedDemoEdata } from './edata.seed';
export { type EdataService, edataService } from './edata.service';
export { type ActingRule, docTypes, ownerOnly, type Principal } from './edata.types';

export function registerEdata(
  app: App,
  platform: Platform,
  acting: ActingRule = ownerOnly,
): { reuse: ReusePort; listener: DossierActionListener } {
  registerEdataRoutes(app, edataService({ db: platform.db, config: platform.config, files: platform.files, acting }));
  return { reuse: edataReusePort(platform.db, platform.files, acting), listener: resultListener(platform.db) };
}
