/**
 * What other modules may use from feedback (phản ánh hiện trường, field reports).
 *
 * - registerFeedback(app, platform): the HTTP routes (/api/v1/field-reports…, /api/v1/public/field-reports…).
 * - seedDemoFeedback(db): imports the demo commune boundaries (Đắk Lắk, 2025) and sets the triage desk.
 * - geometry helpers (pure): point in polygon, haversine.
 */
import fs from 'node:fs';
import multipart from '@fastify/multipart';
import type { Platform } from '../../platform';
import { type Database, sql } from '../../platform/db/database';
import type { App } from '../../platform/http/types';
import { feedbackAdmin, importBoundaries } from './feedback.admin';
import { registerFeedbackAdminRoutes } from './feedback.admin.routes';
import { boundaryFeatures } from './feedback.geo';
import { registerFeedbackPublicRoutes } from './feedback.public.routes';
import { registerFeedbackRoutes } from './feedback.routes';
import type { FeedbackService } from './feedback.service';
import { feedbackService } from './feedback.service';
import { registerSlaJob } from './feedback.sla';
import { registerOpen311 } from './open311';

export { isPubliclyVisible } from './feedback.board';
export { contains, haversineMeters } from './feedback.geo';
export type { Channel, CreateBody, CreateOptions, FeedbackService } from './feedback.service';
export { feedbackService } from './feedback.service';

export async function registerFeedback(app: App, platform: Platform): Promise<FeedbackService> {
  const service = feedbackService({
    db: platform.db,
    calendar: platform.calendar,
    files: platform.files,
    notify: platform.notify,
    publicUrl: platform.config.publicUrl,
  });
  const admin = feedbackAdmin(platform.db);
  await app.register(async (scope: App) => {
    // Multipart (a report with its photos) is parsed only on these routes, with the upload limits.
    await scope.register(multipart, {
      limits: { fileSize: platform.files.maxBytes, files: 5, fields: 5, parts: 10, fieldSize: 64 * 1024, headerPairs: 100 },
      throwFileSizeLimit: true,
    });
    registerFeedbackRoutes(scope, service, platform.files, { reportsPerMinute: platform.config.reportRateLimitPerMinute });
  });
  registerFeedbackPublicRoutes(app, platform.config, service, admin);
  registerFeedbackAdminRoutes(app, admin);
  registerOpen311(app, platform, service);
  await registerSlaJob(platform.jobs, platform);
  return service;
}

const dataFile = (name: string) => new URL(`./data/${name}`, import.meta.url);

/**
 * Demo seed: the simplified post-2025 commune boundaries of Đắk Lắk (66). The triage desk needs no seed: with
 * field_report_settings.triage_agency_code null it is the provincial public administrative service centre.
 */
export async function seedDemoFeedback(db: Database): Promise<void> {
  const [n] = await db.rows<{ n: number }>(sql`select count(*)::int as n from admin_boundaries where province_code = '66'`);
  if ((n?.n ?? 0) === 0) {
    const fc = JSON.parse(fs.readFileSync(dataFile('boundaries-66.geojson'), 'utf8'));
    await importBoundaries(db, boundaryFeatures(fc));
  }
}
