/**
 * The field-report map: commune outlines drawn as SVG from the boundaries GeoJSON (no external tiles, works
 * offline once the boundaries are cached), report markers coloured by state, an optional pin, pan and zoom
 * (buttons, arrow keys and +/-, drag, wheel, two-finger pinch). Reusable: the board, the report form (tap to
 * place the pin) and the detail page use it; the office web may too.
 */
import { type KeyboardEvent, type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StateGroup } from './api';
import {
  type BBox,
  bboxOf,
  centreView,
  type FeatureCollection,
  homeView,
  inBBox,
  panView,
  pathOf,
  project,
  projectionFor,
  unproject,
  type View,
  viewBBox,
  zoomView,
} from './geo';
import './feedback.css';

export interface MapMarker {
  id: string;
  lon: number;
  lat: number;
  label: string;
  group: StateGroup;
}

export interface LonLat {
  lon: number;
  lat: number;
}

export interface BoundaryMapProps {
  boundaries: FeatureCollection;
  /** Accessible name of the map. */
  label: string;
  markers?: MapMarker[];
  onMarker?: (id: string) => void;
  pin?: LonLat | null;
  /** Given, a tap (or "pin at the centre") places the pin there. */
  onPick?: (p: LonLat) => void;
  /** The lon/lat bbox of the view, after every pan or zoom. */
  onViewChange?: (bbox: BBox) => void;
  /** Start centred on this point, zoomed in. */
  focus?: LonLat | null;
  /** Centre and zoom in on this point whenever `key` changes (e.g. after "use my location"). */
  recentre?: (LonLat & { key: number }) | null;
  /** A commune to outline more strongly (code). */
  highlight?: string;
  /** Width / height of the drawing. */
  aspect?: number;
  testId?: string;
}

const SIZE = 1000;
const DRAG_PX = 6;

export function BoundaryMap({
  boundaries,
  label,
  markers = [],
  onMarker,
  pin,
  onPick,
  onViewChange,
  focus,
  recentre,
  highlight,
  aspect = 4 / 3,
  testId,
}: BoundaryMapProps) {
  const { t } = useTranslation();
  const bbox = useMemo<BBox>(() => bboxOf(boundaries) ?? [107.9, 12.1, 109.5, 13.8], [boundaries]);
  const proj = useMemo(() => projectionFor(bbox, SIZE), [bbox]);
  const home = useMemo(() => homeView(proj, bbox, aspect), [proj, bbox, aspect]);
  const paths = useMemo(
    () =>
      boundaries.features.map((f, i) => ({
        key: f.properties?.code ?? String(i),
        code: f.properties?.code ?? '',
        name: f.properties?.name ?? '',
        d: f.geometry ? pathOf(f.geometry, proj) : '',
      })),
    [boundaries, proj],
  );
  const [view, setView] = useState<View>(() => {
    if (focus) {
      const [x, y] = project(proj, focus.lon, focus.lat);
      return centreView(zoomView(home, 24), x, y);
    }
    return home;
  });
  const svgRef = useRef<SVGSVGElement>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ view: View; x: number; y: number; dist: number; moved: boolean } | null>(null);
  const dragged = useRef(false);
  const minW = 1;
  const maxW = home.w * 1.6;

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new key recentres (not a re-render with the same point)
  useEffect(() => {
    if (!recentre) return;
    const [x, y] = project(proj, recentre.lon, recentre.lat);
    setView((v) => centreView(v.w > home.w / 24 ? zoomView(home, 24) : v, x, y));
  }, [recentre?.key]);

  const onViewChangeRef = useRef(onViewChange);
  onViewChangeRef.current = onViewChange;
  useEffect(() => {
    onViewChangeRef.current?.(viewBBox(proj, view));
  }, [proj, view]);

  /** A client (screen) point in local units, through the SVG's own transform (any aspect, any CSS size). */
  const toLocal = (clientX: number, clientY: number): [number, number] | null => {
    const svg = svgRef.current;
    const ctm = svg?.getScreenCTM();
    if (!svg || !ctm) return null;
    const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
    return [p.x, p.y];
  };

  const zoom = (factor: number, fx = 0.5, fy = 0.5) => setView((v) => zoomView(v, factor, fx, fy, minW, maxW));
  const pan = (dx: number, dy: number) => setView((v) => panView(v, dx, dy));

  // Wheel zoom around the cursor (a non-passive listener: the page must not scroll at the same time).
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      const factor = e.deltaY < 0 ? 1.25 : 0.8;
      setView((v) => zoomView(v, factor, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height, minW, maxW));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [maxW]);

  const startGesture = () => {
    const pts = [...pointers.current.values()];
    if (pts.length === 0) {
      gesture.current = null;
      return;
    }
    const cx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
    const cy = pts.reduce((s, p) => s + p.y, 0) / pts.length;
    const dist = pts.length > 1 ? Math.hypot((pts[0]?.x ?? 0) - (pts[1]?.x ?? 0), (pts[0]?.y ?? 0) - (pts[1]?.y ?? 0)) : 0;
    gesture.current = { view, x: cx, y: cy, dist, moved: gesture.current?.moved ?? false };
  };

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    if (pointers.current.size === 0) dragged.current = false;
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    startGesture();
  };

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!pointers.current.has(e.pointerId) || !gesture.current) return;
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const g = gesture.current;
    const pts = [...pointers.current.values()];
    const cx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
    const cy = pts.reduce((s, p) => s + p.y, 0) / pts.length;
    if (!g.moved && Math.hypot(cx - g.x, cy - g.y) < DRAG_PX && pts.length < 2) return;
    if (!g.moved) {
      g.moved = true;
      dragged.current = true;
      e.currentTarget.setPointerCapture?.(e.pointerId);
    }
    const svg = svgRef.current;
    if (!svg) return;
    const r = svg.getBoundingClientRect();
    // Local units per screen pixel of the view at the gesture's start ("meet" scaling: the larger ratio).
    const upp = Math.max(g.view.w / r.width, g.view.h / r.height);
    let next = panView(g.view, -((cx - g.x) * upp) / g.view.w, -((cy - g.y) * upp) / g.view.h);
    if (pts.length > 1 && g.dist > 0) {
      const dist = Math.hypot((pts[0]?.x ?? 0) - (pts[1]?.x ?? 0), (pts[0]?.y ?? 0) - (pts[1]?.y ?? 0));
      next = zoomView(next, dist / g.dist, (cx - r.left) / r.width, (cy - r.top) / r.height, minW, maxW);
    }
    setView(next);
  };

  const onPointerEnd = (e: PointerEvent<SVGSVGElement>) => {
    pointers.current.delete(e.pointerId);
    startGesture();
  };

  const pick = (clientX: number, clientY: number) => {
    if (!onPick) return;
    const p = toLocal(clientX, clientY);
    if (!p) return;
    const [lon, lat] = unproject(proj, p[0], p[1]);
    if (inBBox(bbox, lon, lat)) onPick({ lon, lat });
  };

  const onClick = (e: React.MouseEvent<SVGSVGElement>) => {
    if (dragged.current) return;
    pick(e.clientX, e.clientY);
  };

  const pickCentre = () => {
    if (!onPick) return;
    const [lon, lat] = unproject(proj, view.x + view.w / 2, view.y + view.h / 2);
    if (inBBox(bbox, lon, lat)) onPick({ lon, lat });
  };

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    const step = 0.2;
    let handled = true;
    if (e.key === 'ArrowLeft') pan(-step, 0);
    else if (e.key === 'ArrowRight') pan(step, 0);
    else if (e.key === 'ArrowUp') pan(0, -step);
    else if (e.key === 'ArrowDown') pan(0, step);
    else if (e.key === '+' || e.key === '=') zoom(1.5);
    else if (e.key === '-') zoom(1 / 1.5);
    else if (e.key === 'Enter' && onPick) pickCentre();
    else handled = false;
    if (handled) e.preventDefault();
  };

  // Sizes in local units that look the same on screen whatever the zoom.
  const u = view.w / 400;
  const pinXY = pin ? project(proj, pin.lon, pin.lat) : null;

  return (
    <div className="fr-map">
      <svg
        ref={svgRef}
        className={['fr-map-svg', onPick ? 'fr-map-pick' : ''].filter(Boolean).join(' ')}
        viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
        style={{ aspectRatio: String(aspect) }}
        role="application"
        aria-label={label}
        aria-roledescription={t('feedback.map.roleDescription')}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the map is operated from the keyboard (arrows pan, +/- zoom, Enter pins)
        tabIndex={0}
        data-testid={testId}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
        onClick={onClick}
        onKeyDown={onKeyDown}
      >
        <rect x={view.x} y={view.y} width={view.w} height={view.h} className="fr-map-bg" />
        <g className="fr-map-communes">
          {paths.map((p) => (
            <path key={p.key} d={p.d} className={p.code && p.code === highlight ? 'fr-commune fr-commune-on' : 'fr-commune'}>
              <title>{p.name}</title>
            </path>
          ))}
        </g>
        <g className="fr-map-markers">
          {markers.map((m) => {
            const [x, y] = project(proj, m.lon, m.lat);
            return (
              // biome-ignore lint/a11y/useSemanticElements: an SVG shape cannot be a <button>; the list is the primary view
              <circle
                key={m.id}
                cx={x}
                cy={y}
                r={6 * u}
                strokeWidth={1.5 * u}
                className={`fr-marker fr-marker-${m.group}`}
                role="button"
                tabIndex={onMarker ? 0 : -1}
                aria-label={m.label}
                onClick={(e) => {
                  e.stopPropagation();
                  if (!dragged.current) onMarker?.(m.id);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    e.stopPropagation();
                    onMarker?.(m.id);
                  }
                }}
              >
                <title>{m.label}</title>
              </circle>
            );
          })}
        </g>
        {onPick && (
          <path
            className="fr-crosshair"
            d={`M${view.x + view.w / 2 - 8 * u} ${view.y + view.h / 2}h${16 * u}M${view.x + view.w / 2} ${view.y + view.h / 2 - 8 * u}v${16 * u}`}
          />
        )}
        {pinXY && (
          <g className="fr-pin" transform={`translate(${pinXY[0]} ${pinXY[1]}) scale(${u})`} data-testid="map-pin">
            <path d="M0 0 C -3 -8 -9 -11 -9 -17 A 9 9 0 1 1 9 -17 C 9 -11 3 -8 0 0 Z" />
            <circle cx="0" cy="-17" r="3.5" className="fr-pin-dot" />
          </g>
        )}
      </svg>
      <div className="fr-map-tools">
        <button
          type="button"
          className="fr-map-btn"
          onClick={() => zoom(1.5)}
          aria-label={t('feedback.map.zoomIn')}
          title={t('feedback.map.zoomIn')}
        >
          +
        </button>
        <button
          type="button"
          className="fr-map-btn"
          onClick={() => zoom(1 / 1.5)}
          aria-label={t('feedback.map.zoomOut')}
          title={t('feedback.map.zoomOut')}
        >
          −
        </button>
        <button
          type="button"
          className="fr-map-btn"
          onClick={() => pan(-0.25, 0)}
          aria-label={t('feedback.map.west')}
          title={t('feedback.map.west')}
        >
          ←
        </button>
        <button
          type="button"
          className="fr-map-btn"
          onClick={() => pan(0, -0.25)}
          aria-label={t('feedback.map.north')}
          title={t('feedback.map.north')}
        >
          ↑
        </button>
        <button
          type="button"
          className="fr-map-btn"
          onClick={() => pan(0, 0.25)}
          aria-label={t('feedback.map.south')}
          title={t('feedback.map.south')}
        >
          ↓
        </button>
        <button
          type="button"
          className="fr-map-btn"
          onClick={() => pan(0.25, 0)}
          aria-label={t('feedback.map.east')}
          title={t('feedback.map.east')}
        >
          →
        </button>
        <button type="button" className="fr-map-btn fr-map-btn-wide" onClick={() => setView(home)}>
          {t('feedback.map.home')}
        </button>
        {pinXY && (
          <button type="button" className="fr-map-btn fr-map-btn-wide" onClick={() => setView((v) => centreView(v, pinXY[0], pinXY[1]))}>
            {t('feedback.map.toPin')}
          </button>
        )}
        {onPick && (
          <button type="button" className="fr-map-btn fr-map-btn-wide" onClick={pickCentre}>
            {t('feedback.map.pinCentre')}
          </button>
        )}
      </div>
    </div>
  );
}

/** The little legend of marker colours. */
export function MapLegend() {
  const { t } = useTranslation();
  const groups: StateGroup[] = ['open', 'progress', 'done'];
  return (
    <ul className="fr-legend">
      {groups.map((g) => (
        <li key={g}>
          <span className={`fr-legend-dot fr-marker-${g}`} aria-hidden="true" />
          {t(`feedback.groups.${g}`)}
        </li>
      ))}
    </ul>
  );
}
