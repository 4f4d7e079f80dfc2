/**
 * What other modules may use from feedback (phản ánh hiện trường, field reports).
 *
 * - registerFeedback(app, platform): the HTTP routes (/api/v1/field-reports…, /api/v1/public/field-reports…).
 * - seedDemoFeedback(db): imports the demo commune boundaries (Đắk Lắk, 2025) and sets the triage desk.
 * - geometry helpers (pure): point in polygon, haversine.
 */
import fs from 'node:fs';
import type { Platform } from '../../platform';
import { type Database, sql } from '../../platform/db/database';
import type { App } from '../../platform/http/types';
import { boundaryFeatures } from './feedback.geo';
import { registerFeedbackRoutes } from './feedback.routes';
import { feedbackService, importBoundaries } from './feedback.service';

export { contains, haversineMeters } from './feedback.geo';
export type { FeedbackService } from './feedback.service';

export function registerFeedback(app: App, platform: Platform): void {
  registerFeedbackRoutes(app, platform.config, feedbackService({ db: platform.db, calendar: platform.calendar, files: platform.files }));
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
