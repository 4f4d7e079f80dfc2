/**
 * Plane geometry for field reports, pure (no database): point in polygon by ray casting (GeoJSON Polygon and
 * MultiPolygon, holes included), bounding boxes, haversine distance. Coordinates are WGS 84 [lon, lat].
 */

export type Position = [number, number];
export type Ring = Position[];
export type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Đắk Lắk (66) after 2025, from boundaries-66.geojson (107.484–109.459 E, 12.161–13.695 N), with a small margin. */
export const DAK_LAK_BBOX: BBox = { minLon: 107.4, minLat: 12.1, maxLon: 109.6, maxLat: 13.8 };

/**
 * A geometry packed for repeated point tests: polygons → rings → [lon0, lat0, lon1, lat1, …]. One typed array
 * per ring instead of one array per vertex keeps the province's outlines (140,000 vertices, kept in memory by
 * feedback.reference.ts) out of the garbage collector's way: as GeoJSON arrays they were 16 MB of small objects
 * to mark on every full collection.
 */
export type PackedGeometry = Float64Array[][];

const packRing = (ring: Ring): Float64Array => Float64Array.from(ring.flat());

export function packGeometry(g: Geometry): PackedGeometry {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygons.map((rings) => rings.map(packRing));
}

/** Ray casting: true when the point is inside the ring (points exactly on an edge may go either way). */
function inRing(lon: number, lat: number, r: Float64Array): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
    const xi = r[i] as number;
    const yi = r[i + 1] as number;
    const xj = r[j] as number;
    const yj = r[j + 1] as number;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside some polygon's outer ring and outside every hole of that polygon. */
export function packedContains(p: PackedGeometry, lon: number, lat: number): boolean {
  return p.some(([outer, ...holes]) => outer !== undefined && inRing(lon, lat, outer) && !holes.some((h) => inRing(lon, lat, h)));
}

/** One GeoJSON polygon (outer ring, then holes). */
export function inPolygon(lon: number, lat: number, rings: Ring[]): boolean {
  return packedContains([rings.map(packRing)], lon, lat);
}

export function contains(g: Geometry, lon: number, lat: number): boolean {
  return packedContains(packGeometry(g), lon, lat);
}

export function bboxOf(g: Geometry): BBox {
  const b = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const p of polys)
    for (const r of p)
      for (const [lon, lat] of r) {
        if (lon < b.minLon) b.minLon = lon;
        if (lon > b.maxLon) b.maxLon = lon;
        if (lat < b.minLat) b.minLat = lat;
        if (lat > b.maxLat) b.maxLat = lat;
      }
  return b;
}

export function inBBox(b: BBox, lon: number, lat: number): boolean {
  return lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A box that contains every point within `meters` of the point (prefilter before haversine). */
export function bboxAround(lon: number, lat: number, meters: number): BBox {
  const dLat = (meters / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLon = dLat / Math.max(0.01, Math.cos(rad(lat)));
  return { minLon: lon - dLon, minLat: lat - dLat, maxLon: lon + dLon, maxLat: lat + dLat };
}

/** Parses "minLon,minLat,maxLon,maxLat"; null when malformed or inverted. */
export function parseBBox(s: string): BBox | null {
  const parts = s.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 4 || parts.some((x) => !Number.isFinite(x))) return null;
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
  if (minLon > maxLon || minLat > maxLat || Math.abs(minLat) > 90 || Math.abs(maxLat) > 90) return null;
  return { minLon, minLat, maxLon, maxLat };
}

export interface BoundaryFeature {
  unitCode: string;
  name: string;
  provinceCode: string;
  geometry: Geometry;
  bbox: BBox;
}

/** Features of a GeoJSON FeatureCollection of communes (properties as in boundaries-66.geojson). */
export function boundaryFeatures(fc: { features: { geometry: Geometry; properties: Record<string, unknown> }[] }): BoundaryFeature[] {
  return fc.features
    .filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'))
    .map((f) => ({
      unitCode: String(f.properties.commune_code ?? f.properties.unit_code ?? f.properties.code ?? ''),
      name: String(f.properties.commune_name ?? f.properties.name ?? f.properties.name_in_source ?? ''),
      provinceCode: String(f.properties.province_code ?? ''),
      geometry: f.geometry,
      bbox: bboxOf(f.geometry),
    }));
}

/** Perpendicular distance (in degrees, planar) from p to the segment a–b. */
function segmentDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Douglas–Peucker simplification of a closed ring; a ring that would collapse keeps its first four points. */
export function simplifyRing(ring: Ring, tolerance: number): Ring {
  if (ring.length <= 4) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = 1;
  keep[ring.length - 1] = 1;
  const stack: [number, number][] = [[0, ring.length - 1]];
  while (stack.length) {
    const [from, to] = stack.pop() as [number, number];
    let worst = -1;
    let index = -1;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance(ring[i] as Position, ring[from] as Position, ring[to] as Position);
      if (d > worst) [worst, index] = [d, i];
    }
    if (index > 0 && worst > tolerance) {
      keep[index] = 1;
      stack.push([from, index], [index, to]);
    }
  }
  const out = ring.filter((_, i) => keep[i]);
  return out.length >= 4 ? out : ring.slice(0, 4);
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A lighter geometry for drawing (not for routing): simplified rings, coordinates rounded. */
export function simplifyGeometry(g: Geometry, tolerance: number, digits = 5): Geometry {
  const ring = (r: Ring): Ring => simplifyRing(r, tolerance).map(([x, y]) => [round(x, digits), round(y, digits)] as Position);
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}
