/**
 * The province's settings for field reports (permission feedback.manage): categories with their SLAs in working
 * days and the kind of unit that handles them, the triage desk, and the commune boundaries (GeoJSON import).
 * Also the two public reference lists: active categories, and the boundaries simplified for drawing a map.
 */
import { createHash } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit';
import { requireAccess } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import { type Database, isUniqueViolation, sql } from '../../platform/db/database';
import { problems } from '../../platform/http/problem';
import { agencyByCode } from '../org';
import { type BoundaryFeature, boundaryFeatures, type Geometry, simplifyGeometry } from './feedback.geo';
import { referenceChanged } from './feedback.reference';

export interface Category {
  code: string;
  name: string;
  acceptDays: number;
  resolveDays: number;
  unitKind: string;
  active: boolean;
  sortOrder: number;
}

interface CategoryRow {
  code: string;
  name: string;
  accept_days: number;
  resolve_days: number;
  unit_kind: string;
  active: boolean;
  sort_order: number;
}

const toCategory = (c: CategoryRow): Category => ({
  code: c.code,
  name: c.name,
  acceptDays: c.accept_days,
  resolveDays: c.resolve_days,
  unitKind: c.unit_kind,
  active: c.active,
  sortOrder: c.sort_order,
});

/** Drawing tolerance in degrees (≈ 55 m): commune outlines stay recognisable at province zoom, ~10× lighter. */
const DRAW_TOLERANCE = 0.0005;

export function feedbackAdmin(db: Database) {
  let drawing: { etag: string; body: string } | null = null;

  async function listCategories(activeOnly: boolean): Promise<Category[]> {
    const rows = await db.rows<CategoryRow>(
      sql`select code, name, accept_days, resolve_days, unit_kind, active, sort_order from field_report_categories
           ${activeOnly ? sql`where active` : sql``} order by sort_order, code`,
    );
    return rows.map(toCategory);
  }

  /** Public: the categories a citizen may choose, with their SLAs. */
  async function categories() {
    return { items: (await listCategories(true)).map(({ active: _a, sortOrder: _s, ...c }) => c) };
  }

  async function adminCategories(ctx: RequestContext) {
    requireAccess(ctx.actor, 'feedback.manage');
    return { items: await listCategories(false) };
  }

  function checkCategory(c: Partial<Category>) {
    if (c.acceptDays !== undefined && c.resolveDays !== undefined && c.acceptDays > c.resolveDays) {
      throw problems.validation([{ field: 'acceptDays', message: 'Thời hạn tiếp nhận không được dài hơn thời hạn xử lý' }]);
    }
    if (c.name !== undefined && !c.name.trim()) throw problems.validation([{ field: 'name', message: 'Vui lòng nhập tên lĩnh vực' }]);
  }

  async function createCategory(ctx: RequestContext, c: Category) {
    requireAccess(ctx.actor, 'feedback.manage');
    checkCategory(c);
    try {
      await db.orm.transaction(async (tx) => {
        await db.rows(
          sql`insert into field_report_categories (code, name, accept_days, resolve_days, unit_kind, active, sort_order)
              values (${c.code}, ${c.name.trim()}, ${c.acceptDays}, ${c.resolveDays}, ${c.unitKind}, ${c.active}, ${c.sortOrder})`,
          tx,
        );
        await recordAudit(tx, ctx, {
          action: 'field_report.category_created',
          targetType: 'field_report_category',
          targetId: c.code,
          details: { ...c },
        });
      });
      referenceChanged(db);
    } catch (e) {
      if (isUniqueViolation(e)) throw problems.conflict('category_exists', 'Mã lĩnh vực đã có', `Lĩnh vực "${c.code}" đã tồn tại.`);
      throw e;
    }
    return (await listCategories(false)).find((x) => x.code === c.code) as Category;
  }

  async function updateCategory(ctx: RequestContext, code: string, patch: Partial<Omit<Category, 'code'>>) {
    requireAccess(ctx.actor, 'feedback.manage');
    const current = (await listCategories(false)).find((x) => x.code === code);
    if (!current) throw problems.notFound('Không tìm thấy lĩnh vực phản ánh.');
    const next = { ...current, ...patch };
    checkCategory(next);
    await db.orm.transaction(async (tx) => {
      await db.rows(
        sql`update field_report_categories set name = ${next.name.trim()}, accept_days = ${next.acceptDays}, resolve_days = ${next.resolveDays},
              unit_kind = ${next.unitKind}, active = ${next.active}, sort_order = ${next.sortOrder} where code = ${code}`,
        tx,
      );
      await recordAudit(tx, ctx, {
        action: 'field_report.category_updated',
        targetType: 'field_report_category',
        targetId: code,
        details: patch,
      });
    });
    referenceChanged(db);
    return next;
  }

  async function settings(ctx: RequestContext) {
    requireAccess(ctx.actor, 'feedback.manage');
    const [s] = await db.rows<{ triage_agency_code: string | null }>(sql`select triage_agency_code from field_report_settings`);
    return { triageAgencyCode: s?.triage_agency_code ?? null };
  }

  async function putSettings(ctx: RequestContext, body: { triageAgencyCode: string | null }) {
    requireAccess(ctx.actor, 'feedback.manage');
    const code = body.triageAgencyCode?.trim() || null;
    if (code && !(await agencyByCode(db, code))?.active) {
      throw problems.validation([{ field: 'triageAgencyCode', message: 'Không có cơ quan đang hoạt động với mã này' }]);
    }
    await db.orm.transaction(async (tx) => {
      await db.rows(sql`update field_report_settings set triage_agency_code = ${code}`, tx);
      await recordAudit(tx, ctx, {
        action: 'field_report.settings_updated',
        targetType: 'field_report_settings',
        details: { triageAgencyCode: code },
      });
    });
    return { triageAgencyCode: code };
  }

  /** Imports (upserts) commune boundaries from a GeoJSON FeatureCollection. */
  async function importGeoJson(ctx: RequestContext, fc: unknown) {
    requireAccess(ctx.actor, 'feedback.manage');
    const features = parseCollection(fc);
    await db.orm.transaction(async (tx) => {
      await importBoundaries(db, features, tx);
      await recordAudit(tx, ctx, {
        action: 'field_report.boundaries_imported',
        targetType: 'admin_boundaries',
        details: { count: features.length, provinces: [...new Set(features.map((f) => f.provinceCode))] },
      });
    });
    drawing = null;
    referenceChanged(db); // after the commit: a reload during the transaction would have read the old outlines
    return { imported: features.length };
  }

  /** The communes as a light FeatureCollection for the map (computed once per process, until an import). */
  async function drawingBoundaries(): Promise<{ etag: string; body: string }> {
    if (drawing) return drawing;
    const rows = await db.rows<{ unit_code: string; name: string; geometry: Geometry }>(
      sql`select unit_code, name, geometry from admin_boundaries order by unit_code`,
    );
    const body = JSON.stringify({
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        properties: { code: r.unit_code, name: r.name },
        geometry: simplifyGeometry(r.geometry, DRAW_TOLERANCE),
      })),
    });
    drawing = { etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, body };
    return drawing;
  }

  return { categories, adminCategories, createCategory, updateCategory, settings, putSettings, importGeoJson, drawingBoundaries };
}

export type FeedbackAdmin = ReturnType<typeof feedbackAdmin>;

function parseCollection(fc: unknown): BoundaryFeature[] {
  const features = (fc as { type?: string; features?: unknown })?.features;
  if ((fc as { type?: string })?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    throw problems.validation([{ field: 'type', message: 'Cần một GeoJSON FeatureCollection' }]);
  }
  const list = boundaryFeatures(fc as Parameters<typeof boundaryFeatures>[0]);
  const bad = list.findIndex((f) => !/^[0-9]{5}$/.test(f.unitCode) || !f.name.trim());
  if (!list.length) throw problems.validation([{ field: 'features', message: 'Không có vùng (Polygon/MultiPolygon) nào để nhập' }]);
  if (bad >= 0) {
    throw problems.validation([
      {
        field: `features/${bad}/properties`,
        message: 'Mỗi vùng cần mã xã 5 chữ số (commune_code, unit_code hoặc code) và tên (commune_name hoặc name)',
      },
    ]);
  }
  return list;
}

/** Upserts boundaries by unit code (the demo seed and the admin import). */
export async function importBoundaries(db: Database, features: BoundaryFeature[], tx?: Parameters<Database['rows']>[1]): Promise<number> {
  const run = async (t: NonNullable<typeof tx>) => {
    for (const f of features) {
      await db.rows(
        sql`insert into admin_boundaries (unit_code, name, province_code, geometry, min_lon, min_lat, max_lon, max_lat)
            values (${f.unitCode}, ${f.name}, ${f.provinceCode}, ${JSON.stringify(f.geometry)}::jsonb,
                    ${f.bbox.minLon}, ${f.bbox.minLat}, ${f.bbox.maxLon}, ${f.bbox.maxLat})
            on conflict (unit_code) do update set name = excluded.name, province_code = excluded.province_code,
              geometry = excluded.geometry, min_lon = excluded.min_lon, min_lat = excluded.min_lat,
              max_lon = excluded.max_lon, max_lat = excluded.max_lat, imported_at = now()`,
        t,
      );
    }
  };
  if (tx) await run(tx);
  else await db.orm.transaction(run);
  referenceChanged(db);
  return features.length;
}
