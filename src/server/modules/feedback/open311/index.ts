/**
 * Open311 GeoReport v2 over the field reports (issue 6 item 5; anchors §4.2), at /open311/v2, plus the admin API
 * of its API clients. See docs/open311.md.
 *
 * - registerOpen311(app, platform, service): the routes; `service` is the field-report service the app uses, so
 *   a request POSTed here is the same record as one made in the web app.
 * - seedDemoOpen311(db): the demo partner app with the documented demo key.
 */
import type { Platform } from '../../../platform';
import type { App } from '../../../platform/http/types';
import type { FeedbackService } from '../feedback.service';
import { open311Clients } from './open311.clients';
import { registerOpen311Routes } from './open311.routes';
import { open311Service } from './open311.service';

export { DEMO_OPEN311_CLIENT, DEMO_OPEN311_KEY, seedDemoOpen311 } from './open311.clients';
export { OPEN311_PREFIX } from './open311.routes';

export function registerOpen311(app: App, platform: Platform, service: FeedbackService): void {
  registerOpen311Routes(app, {
    config: platform.config,
    service: open311Service({ db: platform.db, feedback: service, publicUrl: platform.config.publicUrl }),
    clients: open311Clients(platform.db),
    uploadMaxBytes: platform.files.maxBytes,
  });
}
