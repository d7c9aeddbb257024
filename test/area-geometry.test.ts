// The in-memory area test of the stream (src/geo/area.ts) against PostgreSQL's point, box and
// polygon operators used by the queries (src/resolvers/area-sql.ts): random polygons with holes,
// multipolygons, boxes across the antimeridian, and many points, the same verdict for each.
// Points within 1e-4 degrees of an edge are left out: there PostgreSQL's fuzzy comparisons
// (1e-6) decide, and a live event and a query may disagree by a few centimetres.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inBox, inPolygon, parseBoundingBox, parsePolygon, type BoundingBox } from '../src/geo/area.ts';
import { areaConditions, type AreaFilter } from '../src/resolvers/area-sql.ts';
import { useTestDatabase } from './helpers/database.ts';

const testDb = useTestDatabase();

type Position = [number, number];

/** A star-shaped ring around a centre: simple, closed, counter-clockwise. */
function star(center: Position, radii: number[]): Position[] {
  const ring = radii.map((r, i): Position => {
    const angle = (2 * Math.PI * i) / radii.length;
    return [center[0] + r * Math.cos(angle), center[1] + r * Math.sin(angle)];
  });
  return [...ring, ring[0]!];
}

/** Uniform in [0, 1] (fast-check's doubles favour the ends of their range). */
const unit = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);
const radii = (min: number, max: number) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: 3, maxLength: 24 });
const center = fc.tuple(fc.double({ min: -170, max: 170, noNaN: true }), fc.double({ min: -80, max: 80, noNaN: true }));

/** A polygon, with a hole inside its smallest radius, or a multipolygon of two. */
const geometry = fc.oneof(
  fc.record({ c: center, outer: radii(1, 5) }).map(({ c, outer }) => ({ type: 'Polygon', coordinates: [star(c, outer)] })),
  fc.record({ c: center, outer: radii(2, 5), hole: radii(0.2, 1.5) }).map(({ c, outer, hole }) => ({
    type: 'Polygon',
    coordinates: [star(c, outer), star(c, hole)],
  })),
  fc.record({ a: center, b: center, ra: radii(1, 4), rb: radii(1, 4) }).map(({ a, b, ra, rb }) => ({
    type: 'MultiPolygon',
    coordinates: [[star(a, ra)], [star(b, rb)]],
  })),
);

function distanceToSegment([x, y]: Position, [x1, y1]: Position, [x2, y2]: Position): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

function nearAnEdge(point: Position, rings: Position[][]): boolean {
  return rings.some((ring) => ring.slice(1).some((p, i) => distanceToSegment(point, ring[i]!, p) < 1e-4));
}

/** Which of the points PostgreSQL puts inside the area, by index. */
async function insideInSql(points: Position[], filter: AreaFilter): Promise<boolean[]> {
  const rows = await testDb.database.rows<{ inside: boolean }>(sql`
    SELECT p.i, ${sql.join(areaConditions(sql`p`, filter), sql` AND `)} AS inside
    FROM unnest(${sql.param(points.map((p) => p[0]))}::float8[], ${sql.param(points.map((p) => p[1]))}::float8[])
      WITH ORDINALITY AS p(longitude, latitude, i)
    ORDER BY p.i`);
  return rows.map((r) => r.inside);
}

describe('area filters: memory and PostgreSQL agree', () => {
  it('on random polygons, with holes and in several parts', async () => {
    const seen = { inside: 0, outside: 0 };
    await fc.assert(
      fc.asyncProperty(geometry, fc.array(fc.tuple(unit, unit), { minLength: 50, maxLength: 200 }), async (geojson, units) => {
        const polygon = parsePolygon(geojson, 'polygon');
        const rings = polygon.parts.flat() as Position[][];
        const { south, west, north, east } = polygon.bounds;
        // Points over the bounds and a margin around them.
        const points = units
          .map(([u, v]): Position => [west - 1 + u * (east - west + 2), Math.max(-90, Math.min(90, south - 1 + v * (north - south + 2)))])
          .filter((p) => !nearAnEdge(p, rings));
        const memory = points.map(([lon, lat]) => inPolygon(lat, lon, polygon));
        for (const m of memory) seen[m ? 'inside' : 'outside']++;
        expect(await insideInSql(points, { polygon })).toEqual(memory);
      }),
      { numRuns: 60 },
    );
    expect(seen.inside).toBeGreaterThan(100);
    expect(seen.outside).toBeGreaterThan(100);
  });

  it('on boxes, across the antimeridian too', async () => {
    const seen = { inside: 0, outside: 0 };
    const box = fc
      .record({
        south: fc.double({ min: -89, max: 80, noNaN: true }),
        height: fc.double({ min: 0.01, max: 9, noNaN: true }),
        west: fc.double({ min: -180, max: 180, noNaN: true }),
        east: fc.double({ min: -180, max: 180, noNaN: true }),
      })
      .map(({ south, height, west, east }): BoundingBox => parseBoundingBox({ south, north: south + height, west, east }, 'bbox'));
    await fc.assert(
      fc.asyncProperty(box, fc.array(fc.tuple(unit, unit), { minLength: 50, maxLength: 200 }), async (bbox, candidates) => {
        // Half the points near the box, so that both answers occur.
        const points = candidates.map(([u, v], i): Position => [
          -180 + u * 360,
          i % 2 === 0 ? Math.max(-90, Math.min(90, bbox.south - 0.5 + v * (bbox.north - bbox.south + 1))) : -90 + v * 180,
        ]);
        const corners: Position[][] = [[[bbox.west, bbox.south], [bbox.west, bbox.north]], [[bbox.east, bbox.south], [bbox.east, bbox.north]], [[-180, bbox.south], [180, bbox.south]], [[-180, bbox.north], [180, bbox.north]]];
        const kept = points.filter((p) => !nearAnEdge(p, corners));
        const memory = kept.map(([lon, lat]) => inBox(lat, lon, bbox));
        for (const m of memory) seen[m ? 'inside' : 'outside']++;
        expect(await insideInSql(kept, { bbox })).toEqual(memory);
      }),
      { numRuns: 60 },
    );
    expect(seen.inside).toBeGreaterThan(100);
    expect(seen.outside).toBeGreaterThan(100);
  });

  it('refuses polygons that are open, too large or not polygons, naming the field', () => {
    expect(() => parsePolygon({ type: 'Point', coordinates: [0, 0] }, 'filter.polygon')).toThrow(
      'filter.polygon: type must be "Polygon" or "MultiPolygon", got "Point"',
    );
    expect(() => parsePolygon({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, 'p')).toThrow(
      'p: ring 0 is not closed: its last position must repeat its first',
    );
    const big = star([0, 0], Array.from({ length: 1_001 }, () => 1));
    expect(() => parsePolygon({ type: 'Polygon', coordinates: [big] }, 'p')).toThrow('p: has more than 1000 vertices');
    expect(() => parsePolygon({ type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] }, 'p')).toThrow(
      'p: ring 0, position 1 must be [longitude, latitude] within ±180, ±90, got [200,0]',
    );
  });
});
