// The world map of the dashboard, drawn offline: the country and territory outlines that
// @rapideditor/country-coder ships (the same borders that give notes their country), projected
// equirectangularly (x = longitude, y = -latitude) in units of 1/SCALE degree, as SVG paths of
// relative moves. Points that round to the previous one are dropped, and the file is small
// enough to send once and cache for a year.
import { borders } from '@rapideditor/country-coder';

/** Units per degree; the page places its dots in the same units. */
export const MAP_SCALE = 4;
/** Latitudes shown: Antarctica and the Arctic ocean carry few notes and take much room. */
export const MAP_VIEWBOX = { x: -180 * MAP_SCALE, y: -84 * MAP_SCALE, width: 360 * MAP_SCALE, height: (84 + 60) * MAP_SCALE };

type Ring = number[][];

function ringsOf(geometry: { type: string; coordinates: unknown } | null | undefined): Ring[] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates as Ring[];
  if (geometry.type === 'MultiPolygon') return (geometry.coordinates as Ring[][]).flat();
  return [];
}

/** Each ring of every feature as projected points, consecutive duplicates dropped. */
function projectedRings(): [number, number][][] {
  const rings: [number, number][][] = [];
  for (const feature of borders.features) {
    for (const ring of ringsOf(feature.geometry as { type: string; coordinates: unknown })) {
      const points: [number, number][] = [];
      for (const [lon, lat] of ring) {
        const point: [number, number] = [Math.round(lon! * MAP_SCALE), Math.round(-lat! * MAP_SCALE)];
        const last = points.at(-1);
        if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
      }
      if (points.length >= 3) rings.push(points);
    }
  }
  return rings;
}

/** "M x y" then relative "l dx dy" steps. */
function polyline(points: [number, number][]): string {
  let d = `M${points[0]![0]} ${points[0]![1]}`;
  for (let i = 1; i < points.length; i++) d += `l${points[i]![0] - points[i - 1]![0]} ${points[i]![1] - points[i - 1]![1]}`;
  return d;
}

const segmentKey = (a: [number, number], b: [number, number]) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? `${a[0]},${a[1]},${b[0]},${b[1]}` : `${b[0]},${b[1]},${a[0]},${a[1]}`;

/**
 * The areas (filled, no outline) and the borders between them: country-coder's polygons reach
 * out to sea with coarse straight edges, so only the edges two areas share (land borders and
 * the lines between neighbours' waters) are stroked; the coasts show as the edge of the fill.
 */
export function worldPaths(): { areas: string; borders: string } {
  const rings = projectedRings();
  const uses = new Map<string, number>();
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const key = segmentKey(ring[i]!, ring[(i + 1) % ring.length]!);
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  const drawn = new Set<string>();
  const lines: string[] = [];
  for (const ring of rings) {
    let run: [number, number][] = [];
    const flush = () => {
      if (run.length >= 2) lines.push(polyline(run));
      run = [];
    };
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % ring.length]!;
      const key = segmentKey(a, b);
      if ((uses.get(key) ?? 0) < 2 || drawn.has(key)) {
        flush();
        continue;
      }
      drawn.add(key);
      if (run.length === 0) run.push(a);
      run.push(b);
    }
    flush();
  }
  return { areas: rings.map((ring) => `${polyline(ring)}z`).join(''), borders: lines.join('') };
}

/** A standalone SVG of the map (the page shows it under its dots). */
export function worldSvg(): string {
  const { x, y, width, height } = MAP_VIEWBOX;
  const { areas, borders: lines } = worldPaths();
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x} ${y} ${width} ${height}">` +
    `<path d="${areas}" fill="#e6ebe3"/>` +
    `<path d="${lines}" fill="none" stroke="#6f816b" stroke-width="0.9" stroke-linejoin="round" stroke-linecap="round"/></svg>`
  );
}
