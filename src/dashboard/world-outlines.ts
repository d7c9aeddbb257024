// The world map of the dashboard, drawn offline: the country and territory outlines that
// @rapideditor/country-coder ships (the same borders that give notes their country), projected
// equirectangularly (x = longitude, y = -latitude) in units of 1/SCALE degree, as one SVG path
// of relative moves. Points closer than a unit to the previous one are dropped: 26,000 points
// become about a third of that, and the file is small enough to send once and cache for a year.
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

/** Path data of every outline: "M x y" then "l dx dy" steps, closed with "z". */
export function worldPathData(): string {
  const parts: string[] = [];
  for (const feature of borders.features) {
    for (const ring of ringsOf(feature.geometry as { type: string; coordinates: unknown })) {
      const points: [number, number][] = [];
      for (const [lon, lat] of ring) {
        const point: [number, number] = [Math.round(lon! * MAP_SCALE), Math.round(-lat! * MAP_SCALE)];
        const last = points.at(-1);
        if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
      }
      if (points.length < 3) continue;
      let d = `M${points[0]![0]} ${points[0]![1]}`;
      for (let i = 1; i < points.length; i++) d += `l${points[i]![0] - points[i - 1]![0]} ${points[i]![1] - points[i - 1]![1]}`;
      parts.push(`${d}z`);
    }
  }
  return parts.join('');
}

/** A standalone SVG of the outlines (the page shows it under its dots). */
export function worldSvg(): string {
  const { x, y, width, height } = MAP_VIEWBOX;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x} ${y} ${width} ${height}">` +
    `<path d="${worldPathData()}" fill="#dfe6dc" stroke="#8a9a86" stroke-width="0.6" stroke-linejoin="round"/></svg>`
  );
}
