// Areas clients filter notes by: a bounding box and a GeoJSON polygon, checked once when a
// filter arrives and then tested in memory against every event of the shared stream (the
// subscriptions and webhooks) and turned into SQL for the lists (src/resolvers/area-sql.ts).
// Plain planar geometry on longitude/latitude degrees, as PostgreSQL's point and polygon types
// compute it, so that a live event and a query over the same area agree.
import { UserInputError } from '../errors.ts';

/** South-west to north-east corners, in degrees. `west > east` crosses the antimeridian. */
export interface BoundingBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** A ring as [longitude, latitude] positions, closed (the first position repeated at the end). */
export type Ring = readonly (readonly [number, number])[];

/** A GeoJSON Polygon or MultiPolygon, checked, with the bounds every test checks first. */
export interface AreaPolygon {
  /** Each part: its outer ring, then its holes. */
  parts: readonly (readonly Ring[])[];
  bounds: BoundingBox;
  vertices: number;
}

/** Most vertices a polygon filter may have, all rings together: each event tests them all. */
export const MAX_POLYGON_VERTICES = 1_000;
/** Most note ids one filter may list. */
export const MAX_NOTE_IDS = 10_000;

export function parseBoundingBox(input: BoundingBox, argument: string): BoundingBox {
  const { south, west, north, east } = input;
  for (const [name, value, limit] of [
    ['south', south, 90],
    ['north', north, 90],
    ['west', west, 180],
    ['east', east, 180],
  ] as const) {
    if (!Number.isFinite(value) || Math.abs(value) > limit) {
      throw new UserInputError(`${argument}.${name} must be a number from -${limit} to ${limit}, got ${value}`, argument, input);
    }
  }
  if (south > north) {
    throw new UserInputError(`${argument}: south (${south}) is north of north (${north})`, argument, input);
  }
  return { south, west, north, east };
}

/** Checks a GeoJSON Polygon or MultiPolygon ([longitude, latitude] positions, closed rings). */
export function parsePolygon(input: unknown, argument: string): AreaPolygon {
  const fail: (why: string) => never = (why) => {
    throw new UserInputError(`${argument}: ${why}`, argument);
  };
  if (input === null || typeof input !== 'object') fail('must be a GeoJSON Polygon or MultiPolygon object');
  const { type, coordinates } = input as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    fail(`type must be "Polygon" or "MultiPolygon", got ${JSON.stringify(type)}`);
  }
  if (!Array.isArray(coordinates) || coordinates.length === 0) fail('coordinates must be a non-empty array');
  const polygons = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[];
  let vertices = 0;
  const parts = polygons.map((rings, p) => {
    if (!Array.isArray(rings) || rings.length === 0) fail(`polygon ${p} must be an array of rings`);
    return (rings as unknown[]).map((ring, r) => {
      const where = type === 'Polygon' ? `ring ${r}` : `polygon ${p}, ring ${r}`;
      if (!Array.isArray(ring) || ring.length < 4) fail(`${where} needs at least 4 positions (a closed ring)`);
      const positions = (ring as unknown[]).map((position, i) => {
        const [lon, lat] = Array.isArray(position) ? (position as unknown[]) : [];
        if (typeof lon !== 'number' || typeof lat !== 'number' || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
          fail(`${where}, position ${i} must be [longitude, latitude] within ±180, ±90, got ${JSON.stringify(position)}`);
        }
        return [lon, lat] as const;
      });
      const first = positions[0]!;
      const last = positions.at(-1)!;
      if (first[0] !== last[0] || first[1] !== last[1]) fail(`${where} is not closed: its last position must repeat its first`);
      vertices += positions.length - 1;
      if (vertices > MAX_POLYGON_VERTICES) fail(`has more than ${MAX_POLYGON_VERTICES} vertices; simplify it or use bbox`);
      return positions;
    });
  });
  const outer = parts.flatMap((rings) => rings[0]!);
  const lons = outer.map((p) => p[0]);
  const lats = outer.map((p) => p[1]);
  return {
    parts,
    vertices,
    bounds: { south: Math.min(...lats), west: Math.min(...lons), north: Math.max(...lats), east: Math.max(...lons) },
  };
}

export function parseNoteIds(ids: readonly number[], argument: string): number[] {
  if (ids.length > MAX_NOTE_IDS) {
    throw new UserInputError(`${argument} lists ${ids.length} notes; at most ${MAX_NOTE_IDS} are allowed`, argument);
  }
  const bad = ids.find((id) => !Number.isInteger(id) || id <= 0);
  if (bad !== undefined) throw new UserInputError(`${argument}: ${bad} is not a note id`, argument, bad);
  return [...new Set(ids)];
}

/** Edges count as inside. */
export function inBox(lat: number, lon: number, box: BoundingBox): boolean {
  if (lat < box.south || lat > box.north) return false;
  return box.west <= box.east ? lon >= box.west && lon <= box.east : lon >= box.west || lon <= box.east;
}

/** Inside an outer ring and no hole of the same part, in any part. Edges of outer rings count as inside. */
export function inPolygon(lat: number, lon: number, polygon: AreaPolygon): boolean {
  if (!inBox(lat, lon, polygon.bounds)) return false;
  return polygon.parts.some(([outer, ...holes]) => inRing(lon, lat, outer!) && !holes.some((hole) => inRing(lon, lat, hole)));
}

/** Even-odd ray casting, with points on an edge counted as inside (as PostgreSQL's `<@` does). */
function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (onSegment(x, y, xi, yi, xj, yj)) return true;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): boolean {
  const cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
  if (cross !== 0) return false;
  return x >= Math.min(x1, x2) && x <= Math.max(x1, x2) && y >= Math.min(y1, y2) && y <= Math.max(y1, y2);
}
