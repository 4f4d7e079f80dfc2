/**
 * Reference data read for every new report and changed a few times a year: the categories and the commune
 * boundaries. Read once and kept in the process; a change made in this process (admin API, seed) is seen at
 * once, one made by another process within REFRESH_MS. Without this, each report read the candidate
 * communes' whole outlines (tens of KB of GeoJSON) from the database and parsed them again.
 */
import { type Database, sql } from '../../platform/db/database';
import { type Geometry, type PackedGeometry, packedContains, packGeometry } from './feedback.geo';

const REFRESH_MS = 30_000;

/** Bumped by every change of reference data made through a given database handle. */
const generations = new WeakMap<Database, number>();

export function referenceChanged(db: Database): void {
  generations.set(db, (generations.get(db) ?? 0) + 1);
}

/** `load` run at most once per REFRESH_MS and per change; a failed load is not kept. */
function kept<T>(db: Database, load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  let generation = -1;
  let loadedAt = 0;
  return () => {
    const now = Date.now();
    const g = generations.get(db) ?? 0;
    if (!value || g !== generation || now - loadedAt > REFRESH_MS) {
      generation = g;
      loadedAt = now;
      const pending = load();
      value = pending;
      pending.catch(() => {
        if (value === pending) value = null;
      });
    }
    return value;
  };
}

export interface ActiveCategory {
  code: string;
  name: string;
  accept_days: number;
  resolve_days: number;
  unit_kind: string;
}

interface Boundary {
  code: string;
  name: string;
  shape: PackedGeometry;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export function referenceData(db: Database) {
  const categories = kept(db, async () => {
    const rows = await db.rows<ActiveCategory>(
      sql`select code, name, accept_days, resolve_days, unit_kind from field_report_categories where active`,
    );
    return new Map(rows.map((r) => [r.code, r]));
  });

  const boundaries = kept(db, async () => {
    const rows = await db.rows<{
      unit_code: string;
      name: string;
      geometry: Geometry;
      min_lon: number;
      min_lat: number;
      max_lon: number;
      max_lat: number;
    }>(sql`select unit_code, name, geometry, min_lon, min_lat, max_lon, max_lat from admin_boundaries order by unit_code`);
    return rows.map<Boundary>((r) => ({
      code: r.unit_code,
      name: r.name,
      shape: packGeometry(r.geometry),
      minLon: Number(r.min_lon),
      minLat: Number(r.min_lat),
      maxLon: Number(r.max_lon),
      maxLat: Number(r.max_lat),
    }));
  });

  return {
    /** An active category by code, or null. */
    async category(code: string): Promise<ActiveCategory | null> {
      return (await categories()).get(code) ?? null;
    },
    /** The commune whose boundary contains the point (bbox first, then ray casting), or null. */
    async communeAt(lon: number, lat: number): Promise<{ code: string; name: string } | null> {
      const hit = (await boundaries()).find(
        (b) => b.minLon <= lon && lon <= b.maxLon && b.minLat <= lat && lat <= b.maxLat && packedContains(b.shape, lon, lat),
      );
      return hit ? { code: hit.code, name: hit.name } : null;
    },
  };
}
