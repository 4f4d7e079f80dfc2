/**
 * What other modules may use from the Zalo OA channel (issue 6 item 6).
 *
 * - registerZalo(app, platform, feedback): the signed webhook POST /webhooks/zalo (when ZALO_APP_ID and ZALO_OA_SECRET
 *   are set), the `zalo.send` job that delivers replies through the OA API, the `zalo.token` job (every 30 minutes)
 *   that refreshes the OA access token before it expires, the `zalo.purge` job (daily) that drops what is kept
 *   no longer (zalo.retention.ts), and — when ZALO_SANDBOX is on — the
 *   local Zalo test double at /zalo-sandbox. Reports are created through the feedback module (channel 'zalo'),
 *   dossier codes answered through the dossiers module's public tracking.
 * - zaloService(deps): the use cases (tests build one to drain the outbox without job workers).
 */
import type { Platform } from '../../platform';
import { inProcessFetch } from '../../platform/http/inject-fetch';
import type { App } from '../../platform/http/types';
import { dossiersService } from '../dossiers';
import { feedbackService } from '../feedback';
import { PURGE_JOB, purgeZalo } from './zalo.retention';
import { registerZaloRoutes } from './zalo.routes';
import { registerZaloSandbox, ZALO_SANDBOX_PREFIX } from './zalo.sandbox';
import { type FeedbackPort, type Fetch, SEND_JOB, SEND_RETRY, TOKEN_JOB, type ZaloService, zaloService } from './zalo.service';

export { buildEvent, parseEvent, signatureHeader, verifySignature, zaloMac } from './zalo.protocol';
export { PURGE_JOB, purgeZalo } from './zalo.retention';
export { SANDBOX_IMAGES, ZALO_SANDBOX_PREFIX } from './zalo.sandbox';
export { type FeedbackPort, SEND_JOB, TOKEN_JOB, type ZaloService, zaloService } from './zalo.service';

/** The fetch the channel uses: this app's own sandbox and webhook in-process, anything else over the network. */
export function zaloFetch(app: App, publicUrl: string): Fetch {
  const sandbox = inProcessFetch(app, publicUrl, `${ZALO_SANDBOX_PREFIX}/`);
  return (url, init) => sandbox(url, init as Parameters<typeof sandbox>[1]);
}

/**
 * The service wired to the platform and the feedback and dossiers modules. `feedback` is the platform's field-report
 * service (registerFeedback's); tests may leave it out.
 */
export function zaloServiceFor(
  app: App,
  platform: Platform,
  feedback: FeedbackPort = feedbackService({ db: platform.db, calendar: platform.calendar, files: platform.files }),
): ZaloService {
  return zaloService({
    db: platform.db,
    config: platform.config,
    jobs: platform.jobs,
    feedback,
    dossiers: dossiersService(platform),
    fetch: zaloFetch(app, platform.config.publicUrl),
    log: app.log.child({ module: 'zalo' }),
    maxPhotoBytes: platform.config.files.maxBytes,
  });
}

export async function registerZalo(app: App, platform: Platform, feedback: FeedbackPort): Promise<ZaloService> {
  const z = platform.config.zalo;
  const zalo = zaloServiceFor(app, platform, feedback);
  await platform.jobs.register<{ outboxId: string }>(
    SEND_JOB,
    async (job) => zalo.deliver(job.data.outboxId, job.retryCount >= job.retryLimit),
    SEND_RETRY,
  );
  await platform.jobs.register(TOKEN_JOB, async () => {
    await zalo.refreshToken();
  });
  await platform.jobs.schedule(TOKEN_JOB, '*/30 * * * *');
  await platform.jobs.register(PURGE_JOB, async () => {
    const purged = await purgeZalo(platform.db);
    app.log.info({ module: 'zalo', ...purged }, 'Zalo: đã xoá dữ liệu quá hạn lưu');
  });
  await platform.jobs.schedule(PURGE_JOB, '15 3 * * *');
  if (z.appId && z.oaSecret) await registerZaloRoutes(app, zalo);
  else app.log.warn('Kênh Zalo OA chưa bật: thiếu ZALO_APP_ID hoặc ZALO_OA_SECRET (webhook /webhooks/zalo không được mở)');
  if (z.sandbox) {
    // The sandbox posts its webhooks to this app in-process too.
    const own = inProcessFetch(app, platform.config.publicUrl);
    await registerZaloSandbox(app, platform.config, (url, init) => own(url, init as Parameters<typeof own>[1]));
  }
  return zalo;
}
