/**
 * Map math for the field-report map, pure (no DOM): Web-Mercator projection into a local plane whose
 * origin is the province's corner (so SVG coordinates stay small and precise), the view (an SVG viewBox
 * in those local units), zoom and pan, the view's lon/lat bbox sent to the board API, and SVG paths of the
 * commune outlines.
 */

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface Geometry {
  type: string;
  coordinates: unknown;
}

export interface Feature {
  type: 'Feature';
  geometry: Geometry | null;
  properties: { code?: string; name?: string } | null;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

/** Local plane: x to the east, y to the south (SVG's direction), `size` units across the wider side of the bbox. */
export interface Projection {
  x0: number;
  y0: number;
  k: number;
}

/** The visible part of the plane (an SVG viewBox). */
export interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

const MAX_LAT = 85.05112878;

/** Web Mercator, 0…1 across the world, y growing southwards. */
export function mercator(lon: number, lat: number): [number, number] {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return [(lon + 180) / 360, (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2];
}

export function inverseMercator(x: number, y: number): [number, number] {
  const lon = x * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
  return [lon, lat];
}

/** A projection that puts `bbox` into a square of `size` local units (the wider side fills it). */
export function projectionFor(bbox: BBox, size = 1000): Projection {
  const [x0, y1] = mercator(bbox[0], bbox[1]);
  const [x1, y0] = mercator(bbox[2], bbox[3]);
  const span = Math.max(x1 - x0, y1 - y0) || 1e-9;
  return { x0, y0, k: size / span };
}

export function project(p: Projection, lon: number, lat: number): [number, number] {
  const [x, y] = mercator(lon, lat);
  return [(x - p.x0) * p.k, (y - p.y0) * p.k];
}

export function unproject(p: Projection, x: number, y: number): [number, number] {
  return inverseMercator(x / p.k + p.x0, y / p.k + p.y0);
}

/** Calls `fn` for every position of a (Multi)Polygon / (Multi)LineString / Point geometry. */
function eachPosition(g: Geometry, fn: (lon: number, lat: number) => void): void {
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      fn(c[0], c[1]);
      return;
    }
    for (const x of c) walk(x);
  };
  walk(g.coordinates);
}

/** The lon/lat bbox of a feature collection (null when it has no coordinates). */
export function bboxOf(fc: FeatureCollection): BBox | null {
  let b: BBox | null = null;
  for (const f of fc.features) {
    if (!f.geometry) continue;
    eachPosition(f.geometry, (lon, lat) => {
      if (!b) b = [lon, lat, lon, lat];
      else b = [Math.min(b[0], lon), Math.min(b[1], lat), Math.max(b[2], lon), Math.max(b[3], lat)];
    });
  }
  return b;
}

export function inBBox(b: BBox, lon: number, lat: number): boolean {
  return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/**
 * The SVG path of a Polygon or MultiPolygon in local units, rounded to `digits` decimals; points that
 * round onto the previous one are dropped (a free simplification at the drawing's resolution).
 */
export function pathOf(g: Geometry, p: Projection, digits = 1): string {
  const polygons: unknown[] = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? (g.coordinates as unknown[]) : [];
  const out: string[] = [];
  for (const poly of polygons) {
    if (!Array.isArray(poly)) continue;
    for (const ring of poly) {
      if (!Array.isArray(ring) || ring.length < 3) continue;
      let d = '';
      let last = '';
      let n = 0;
      for (const pos of ring as [number, number][]) {
        const [x, y] = project(p, pos[0], pos[1]);
        const pt = `${round(x, digits)} ${round(y, digits)}`;
        if (pt === last) continue;
        d += `${n === 0 ? 'M' : 'L'}${pt}`;
        last = pt;
        n++;
      }
      if (n >= 3) out.push(`${d}Z`);
    }
  }
  return out.join('');
}

/** A view of `aspect` (width / height) that shows the local rectangle [x, y, w, h] whole, centred, with a margin. */
export function fitView(x: number, y: number, w: number, h: number, aspect: number, margin = 0.04): View {
  let vw = w * (1 + 2 * margin);
  let vh = h * (1 + 2 * margin);
  if (vw / vh > aspect) vh = vw / aspect;
  else vw = vh * aspect;
  return { x: x + w / 2 - vw / 2, y: y + h / 2 - vh / 2, w: vw, h: vh };
}

/** The view of the whole bbox. */
export function homeView(p: Projection, bbox: BBox, aspect: number): View {
  const [x0, y1] = project(p, bbox[0], bbox[1]);
  const [x1, y0] = project(p, bbox[2], bbox[3]);
  return fitView(x0, y0, x1 - x0, y1 - y0, aspect);
}

/**
 * Zoom by `factor` (> 1 zooms in) keeping the point at (fx, fy) — fractions of the view, 0.5/0.5 is the
 * centre — where it is on the screen. The width is kept within [minW, maxW].
 */
export function zoomView(v: View, factor: number, fx = 0.5, fy = 0.5, minW = 0.5, maxW = Number.POSITIVE_INFINITY): View {
  const w = Math.min(maxW, Math.max(minW, v.w / factor));
  const h = (w * v.h) / v.w;
  const px = v.x + fx * v.w;
  const py = v.y + fy * v.h;
  return { x: px - fx * w, y: py - fy * h, w, h };
}

/** Move the view by (dx, dy) fractions of its size (0.25 = a quarter of the width to the east). */
export function panView(v: View, dx: number, dy: number): View {
  return { ...v, x: v.x + dx * v.w, y: v.y + dy * v.h };
}

/** A view of the same size centred on a local point. */
export function centreView(v: View, x: number, y: number): View {
  return { ...v, x: x - v.w / 2, y: y - v.h / 2 };
}

/** The lon/lat bbox of a view (for `bbox=` on the board API). */
export function viewBBox(p: Projection, v: View): BBox {
  const [minLon, maxLat] = unproject(p, v.x, v.y);
  const [maxLon, minLat] = unproject(p, v.x + v.w, v.y + v.h);
  return [minLon, minLat, maxLon, maxLat];
}

/** "minLon,minLat,maxLon,maxLat" with 5 decimals (about a metre), clipped to an outer bbox if given. */
export function bboxParam(b: BBox, clip?: BBox): string {
  const c = clip ? ([Math.max(b[0], clip[0]), Math.max(b[1], clip[1]), Math.min(b[2], clip[2]), Math.min(b[3], clip[3])] as BBox) : b;
  return c.map((v) => v.toFixed(5)).join(',');
}

/** The commune list of the boundaries (code, name), sorted by name the Vietnamese way. */
export function communesOf(fc: FeatureCollection): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  for (const f of fc.features) {
    const code = f.properties?.code;
    if (code) out.push({ code, name: f.properties?.name ?? code });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}
