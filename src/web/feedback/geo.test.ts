import { describe, expect, it } from 'vitest';
import {
  type BBox,
  bboxOf,
  bboxParam,
  communesOf,
  type FeatureCollection,
  fitView,
  homeView,
  inverseMercator,
  mercator,
  panView,
  pathOf,
  project,
  projectionFor,
  unproject,
  viewBBox,
  zoomView,
} from './geo';

const daklak: BBox = [107.9, 12.1, 109.5, 13.8];
const square = (x0: number, y0: number, d: number) => [
  [x0, y0],
  [x0 + d, y0],
  [x0 + d, y0 + d],
  [x0, y0 + d],
  [x0, y0],
];
const fc: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: '24133', name: 'Phường Tân An' },
      geometry: { type: 'Polygon', coordinates: [square(108, 12.6, 0.1)] },
    },
    {
      type: 'Feature',
      properties: { code: '24121', name: 'Phường Buôn Ma Thuột' },
      geometry: { type: 'MultiPolygon', coordinates: [[square(108.2, 12.5, 0.1)], [square(109.3, 13.5, 0.05)]] },
    },
  ],
};

describe('projection', () => {
  it('Web Mercator round-trips and puts the equator at the middle', () => {
    expect(mercator(0, 0)).toEqual([0.5, 0.5]);
    const [lon, lat] = inverseMercator(...mercator(108.0378, 12.6667));
    expect(lon).toBeCloseTo(108.0378, 9);
    expect(lat).toBeCloseTo(12.6667, 9);
  });

  it('the local plane starts at the bbox corner, y grows southwards, the wider side is `size` units', () => {
    const p = projectionFor(daklak, 1000);
    const [x0, y0] = project(p, daklak[0], daklak[3]);
    expect(x0).toBeCloseTo(0, 6);
    expect(y0).toBeCloseTo(0, 6);
    const [x1, y1] = project(p, daklak[2], daklak[1]);
    expect(Math.max(x1, y1)).toBeCloseTo(1000, 6);
    expect(y1).toBeGreaterThan(0); // south is down
    const [lon, lat] = unproject(p, 123.4, 567.8);
    const [x, y] = project(p, lon, lat);
    expect(x).toBeCloseTo(123.4, 6);
    expect(y).toBeCloseTo(567.8, 6);
  });
});

describe('bbox and paths', () => {
  it('bbox of polygons and multipolygons', () => {
    expect(bboxOf(fc)).toEqual([108, 12.5, 109.35, 13.55]);
    expect(bboxOf({ type: 'FeatureCollection', features: [] })).toBeNull();
  });

  it('a path per ring, closed, with rounded points and no repeated ones', () => {
    const p = projectionFor(daklak);
    const d = pathOf(fc.features[1]?.geometry as never, p);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/Z/g)).toHaveLength(2);
    expect(d).not.toMatch(/\d\.\d\d/); // one decimal
    // A ring whose points all round to the same spot disappears.
    const tiny = pathOf({ type: 'Polygon', coordinates: [square(108, 12.6, 0.00001)] }, p);
    expect(tiny).toBe('');
    expect(pathOf({ type: 'Point', coordinates: [108, 12] }, p)).toBe('');
  });

  it('communes sorted by Vietnamese name', () => {
    expect(communesOf(fc).map((c) => c.code)).toEqual(['24121', '24133']);
  });

  it('bbox parameter with 5 decimals, clipped', () => {
    expect(bboxParam([107.123456789, 12, 110, 13.5], daklak)).toBe('107.90000,12.10000,109.50000,13.50000');
    expect(bboxParam([108.0378123, 12.6667, 108.1, 12.7])).toBe('108.03781,12.66670,108.10000,12.70000');
  });
});

describe('view', () => {
  it('fits a rectangle with the requested aspect, centred', () => {
    const v = fitView(0, 0, 100, 50, 4 / 3, 0);
    expect(v.w / v.h).toBeCloseTo(4 / 3, 9);
    expect(v.x + v.w / 2).toBeCloseTo(50, 9);
    expect(v.y + v.h / 2).toBeCloseTo(25, 9);
    expect(v.w).toBeGreaterThanOrEqual(100);
    expect(v.h).toBeGreaterThanOrEqual(50);
  });

  it('the home view contains the whole bbox, so its bbox does too', () => {
    const p = projectionFor(daklak);
    const b = viewBBox(p, homeView(p, daklak, 4 / 3));
    expect(b[0]).toBeLessThanOrEqual(daklak[0]);
    expect(b[1]).toBeLessThanOrEqual(daklak[1]);
    expect(b[2]).toBeGreaterThanOrEqual(daklak[2]);
    expect(b[3]).toBeGreaterThanOrEqual(daklak[3]);
  });

  it('zooming keeps the anchor point in place and the aspect; limits apply', () => {
    const v = { x: 0, y: 0, w: 400, h: 300 };
    const z = zoomView(v, 2, 0.25, 0.75);
    expect(z.w).toBe(200);
    expect(z.h).toBe(150);
    expect(z.x + 0.25 * z.w).toBeCloseTo(100, 9);
    expect(z.y + 0.75 * z.h).toBeCloseTo(225, 9);
    expect(zoomView(v, 1000, 0.5, 0.5, 10).w).toBe(10);
    expect(zoomView(v, 0.001, 0.5, 0.5, 10, 800).w).toBe(800);
  });

  it('panning moves by fractions of the view; the bbox follows', () => {
    const p = projectionFor(daklak);
    const v = homeView(p, daklak, 4 / 3);
    const east = panView(v, 0.25, 0);
    expect(east.x - v.x).toBeCloseTo(v.w / 4, 9);
    expect(viewBBox(p, east)[0]).toBeGreaterThan(viewBBox(p, v)[0]);
    const south = panView(v, 0, 0.5);
    expect(viewBBox(p, south)[3]).toBeLessThan(viewBBox(p, v)[3]);
  });
});
