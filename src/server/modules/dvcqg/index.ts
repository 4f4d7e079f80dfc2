/**
 * What other modules may use from the national portal sync (Cổng DVC quốc gia, DVCQG).
 *
 * - registerDvcqg(app, platform): registers the `dvcqg.push` job, the `dvcqg.pull` job (and its
 *   schedule), the sync-state, pull and reject routes and — when DVCQG_URL is unset — the local
 *   national portal; returns the dossier listener to hand to registerDossierRoutes.
 * - pushDossiers / pushDossier / buildEnvelope / pushTarget: pushes of several dossiers (what the batched
 *   worker runs), one push, the message of a dossier, where it goes.
 * - pullOnce / PULL_JOB: one pull of the dossiers filed on the portal.
 */
import type { Platform } from '../../platform';
import { systemContext } from '../../platform/auth/actor';
import type { App } from '../../platform/http/types';
import { type DossierActionListener, dossiersService } from '../dossiers';
import { localPortal, registerLocalPortalRoutes } from './dvcqg.local';
import { PULL_JOB, PULL_RETRY, type PullDeps, pullHandler, pullOnce } from './dvcqg.pull';
import { PUSH_JOB, PUSH_RETRY, type PushData, pushHandler, pushListener } from './dvcqg.push';
import { registerDvcqgRoutes } from './dvcqg.routes';
import { dvcqgService } from './dvcqg.service';

export { forgetSessions, portalUrls, sessionToken } from './dvcqg.client';
export { buildHoSo, dvcqgDate, type HoSoDongBoDVC, type SyncEnvelope, validateEnvelope } from './dvcqg.payload';
export { PULL_JOB, type PullDeps, type PullResult, pullOnce } from './dvcqg.pull';
export { buildEnvelope, PUSH_JOB, type PushData, type PushResult, pushDossier, pushDossiers, pushTarget } from './dvcqg.push';

export async function registerDvcqg(app: App, platform: Platform): Promise<{ listener: DossierActionListener }> {
  const listener = pushListener(platform.jobs);
  await platform.jobs.registerBatch<PushData>(PUSH_JOB, pushHandler(platform), PUSH_RETRY);
  // Imported dossiers go through the same dossier use cases, with the push listener: their submission is pushed back.
  const dossiers = dossiersService({ ...platform, listeners: [listener] });
  const pull: PullDeps = {
    db: platform.db,
    config: platform.config,
    files: platform.files,
    importer: dossiers.importFromNational,
    ctx: systemContext('Cổng DVC quốc gia'),
  };
  await platform.jobs.register(PULL_JOB, pullHandler(pull), PULL_RETRY);
  if (platform.config.dvcqg.pullCron) await platform.jobs.schedule(PULL_JOB, platform.config.dvcqg.pullCron);
  else await platform.jobs.unschedule(PULL_JOB);
  registerDvcqgRoutes(
    app,
    dvcqgService(platform.db, platform.config, () => pullOnce(pull)),
  );
  if (!platform.config.dvcqg.url) registerLocalPortalRoutes(app, localPortal(platform.db, platform.config));
  return { listener };
}
