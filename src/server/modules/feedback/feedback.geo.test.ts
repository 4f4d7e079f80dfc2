/**
 * Point in polygon on the real Đắk Lắk boundaries (boundaries-66.geojson) and on synthetic shapes with holes;
 * haversine and the 100 m prefilter box.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bboxAround,
  boundaryFeatures,
  contains,
  DAK_LAK_BBOX,
  type Geometry,
  haversineMeters,
  inBBox,
  inPolygon,
  parseBBox,
} from './feedback.geo';

const fc = JSON.parse(fs.readFileSync(new URL('./data/boundaries-66.geojson', import.meta.url), 'utf8'));
const communes = boundaryFeatures(fc);
const at = (lon: number, lat: number) =>
  communes.filter((c) => inBBox(c.bbox, lon, lat) && contains(c.geometry, lon, lat)).map((c) => c.unitCode);

describe('real boundaries of Đắk Lắk (2025)', () => {
  it('reads the 102 communes with their codes, 6 of them multipolygons', () => {
    expect(communes).toHaveLength(102);
    expect(communes.filter((c) => c.geometry.type === 'MultiPolygon')).toHaveLength(6);
    expect(communes.find((c) => c.unitCode === '24133')?.name).toBe('Phường Buôn Ma Thuột');
  });

  it('places points in exactly one commune: Buôn Ma Thuột, Tân An, Ea Kar, Tuy Hòa', () => {
    expect(at(108.0378, 12.6667)).toEqual(['24133']); // centre of Buôn Ma Thuột
    expect(at(108.1, 12.7)).toEqual(['24163']); // Phường Tân An
    expect(at(108.4536, 12.8085)).toEqual(['24373']); // Xã Ea Kar
    expect(at(109.3167, 13.0955)).toEqual(['22015']); // Phường Tuy Hòa
  });

  it('a point in the sea or outside the province is in no commune', () => {
    expect(at(109.6, 13.0)).toEqual([]);
    expect(at(106.7, 10.77)).toEqual([]); // Hồ Chí Minh City
    expect(inBBox(DAK_LAK_BBOX, 106.7, 10.77)).toBe(false);
  });

  it('finds a point in a secondary part (island) of a multipolygon commune', () => {
    const sk = communes.find((c) => c.unitCode === '22051') as (typeof communes)[number];
    const parts = (sk.geometry as Extract<Geometry, { type: 'MultiPolygon' }>).coordinates;
    expect(inPolygon(109.27853, 13.41351, parts[0] as [number, number][][])).toBe(false);
    expect(at(109.27853, 13.41351)).toEqual(['22051']); // Phường Sông Cầu, not its main part
  });
});

describe('ray casting with holes', () => {
  const square = (x0: number, y0: number, x1: number, y1: number) =>
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ] as [number, number][];
  const donut: Geometry = { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)] };
  const multi: Geometry = {
    type: 'MultiPolygon',
    coordinates: [[square(0, 0, 10, 10), square(4, 4, 6, 6)], [square(20, 20, 30, 30)], [square(4.5, 4.5, 5.5, 5.5)]],
  };

  it('inside the ring, not in the hole, not outside', () => {
    expect(contains(donut, 1, 1)).toBe(true);
    expect(contains(donut, 5, 5)).toBe(false);
    expect(contains(donut, 11, 5)).toBe(false);
  });

  it('multipolygon: any part counts; an island inside a hole is inside', () => {
    expect(contains(multi, 25, 25)).toBe(true);
    expect(contains(multi, 4.2, 4.2)).toBe(false);
    expect(contains(multi, 5, 5)).toBe(true);
    expect(contains(multi, 15, 15)).toBe(false);
  });
});

describe('distances', () => {
  it('haversine: 0.001° of latitude is about 111 m', () => {
    expect(haversineMeters(108.0378, 12.6667, 108.0378, 12.6677)).toBeCloseTo(111.2, 0);
    expect(haversineMeters(108.0378, 12.6667, 108.0378, 12.6667)).toBe(0);
  });

  it('the prefilter box around a point holds every point within the radius', () => {
    const b = bboxAround(108.0378, 12.6667, 100);
    expect(inBBox(b, 108.0378, 12.6667 + 0.0008)).toBe(true);
    expect(inBBox(b, 108.0378 + 0.00092, 12.6667)).toBe(true); // ≈ 100 m east at 12.7° N
    expect(inBBox(b, 108.0378, 12.6667 + 0.001)).toBe(false);
  });

  it('parses a bbox and refuses malformed ones', () => {
    expect(parseBBox('108,12.6,108.1,12.7')).toEqual({ minLon: 108, minLat: 12.6, maxLon: 108.1, maxLat: 12.7 });
    expect(parseBBox('108,12.7,108.1,12.6')).toBeNull();
    expect(parseBBox('a,b,c,d')).toBeNull();
    expect(parseBBox('1,2,3')).toBeNull();
  });
});
