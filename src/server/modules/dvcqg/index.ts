/**
 * What other modules may use from the national portal sync (Cổng DVC quốc gia, DVCQG).
 *
 * - registerDvcqg(app, platform): registers the `dvcqg.push` job, the sync-state route and — when
 *   DVCQG_URL is unset — the local national portal; returns the dossier listener to hand to
 *   registerDossierRoutes.
 * - pushDossier / buildEnvelope / pushTarget: one push, the message of a dossier, where it goes.
 */
import type { Platform } from '../../platform';
import type { App } from '../../platform/http/types';
import type { DossierActionListener } from '../dossiers';
import { localPortal, registerLocalPortalRoutes } from './dvcqg.local';
import { PUSH_JOB, PUSH_RETRY, type PushData, pushHandler, pushListener } from './dvcqg.push';
import { registerDvcqgRoutes } from './dvcqg.routes';
import { dvcqgService } from './dvcqg.service';

export { buildHoSo, dvcqgDate, type HoSoDongBoDVC, type SyncEnvelope, validateEnvelope } from './dvcqg.payload';
export { buildEnvelope, PUSH_JOB, type PushData, pushDossier, pushTarget } from './dvcqg.push';

export async function registerDvcqg(app: App, platform: Platform): Promise<{ listener: DossierActionListener }> {
  await platform.jobs.register<PushData>(PUSH_JOB, pushHandler(platform), PUSH_RETRY);
  registerDvcqgRoutes(app, dvcqgService(platform.db, platform.config));
  if (!platform.config.dvcqg.url) registerLocalPortalRoutes(app, localPortal(platform.db, platform.config));
  return { listener: pushListener(platform.jobs) };
}
