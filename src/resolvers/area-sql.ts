// Area and note-list filters as SQL over public.notes (aliased by the caller). The note's
// position is `point(longitude, latitude)`, the expression of the GiST index notes_position_gist,
// so a box or polygon is answered from that index. A polygon is tested with PostgreSQL's
// `point <@ polygon` behind its bounding box, like the in-memory test of the stream filters
// (src/geo/area.ts).
import { sql, type SQL } from 'drizzle-orm';
import type { AreaPolygon, BoundingBox, Ring } from '../geo/area.ts';

export interface AreaFilter {
  bbox?: BoundingBox | null;
  polygon?: AreaPolygon | null;
  noteIds?: readonly number[] | null;
}

/** Conditions on the notes row `n` (a table alias) for each area filter given; none when none is. */
export function areaConditions(n: SQL, filter: AreaFilter): SQL[] {
  const position = sql`point(${n}.longitude, ${n}.latitude)`;
  const parts: SQL[] = [];
  if (filter.noteIds != null) parts.push(sql`${n}.note_id = ANY (${sql.param([...filter.noteIds])}::int[])`);
  if (filter.bbox != null) parts.push(inBoxSql(position, filter.bbox));
  if (filter.polygon != null) {
    const shapes = filter.polygon.parts.map(([outer, ...holes]) =>
      sql.join(
        [sql`${position} <@ ${ringText(outer!)}::polygon`, ...holes.map((hole) => sql`NOT ${position} <@ ${ringText(hole)}::polygon`)],
        sql` AND `,
      ),
    );
    parts.push(sql`(${inBoxSql(position, filter.polygon.bounds)} AND (${sql.join(shapes, sql` OR `)}))`);
  }
  return parts;
}

/** Whether any area filter is given. */
export function hasArea(filter: AreaFilter): boolean {
  return filter.noteIds != null || filter.bbox != null || filter.polygon != null;
}

function inBoxSql(position: SQL, box: BoundingBox): SQL {
  const within = (west: number, east: number) =>
    sql`${position} <@ box(point(${west}::float8, ${box.south}::float8), point(${east}::float8, ${box.north}::float8))`;
  // Across the antimeridian: the two boxes on either side of it.
  return box.west <= box.east ? within(box.west, box.east) : sql`(${within(box.west, 180)} OR ${within(-180, box.east)})`;
}

/** PostgreSQL's polygon text: ((x1,y1),(x2,y2),…), the closing position left out. */
function ringText(ring: Ring): string {
  return `(${ring
    .slice(0, -1)
    .map(([x, y]) => `(${x},${y})`)
    .join(',')})`;
}
