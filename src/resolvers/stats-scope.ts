// How a datamart scope maps client ids to warehouse keys. Countries are named by
// public.countries ids, users by OSM user ids, the global row by 0; the datamarts are keyed by
// dimension ids, so every statement starts from this mapping (a key is null when the country or
// user has no warehouse row yet).
import { sql, type SQL } from 'drizzle-orm';

export type Scope = 'global' | 'country' | 'user';

/** A datamart: which figures (the row of `table` where `column` = key) and whose. */
export interface StatsOwner {
  scope: Scope;
  /** public.countries id, OSM user id, or 0 for the global row. */
  id: number;
}

const TABLES: Record<Scope, { table: string; column: string }> = {
  global: { table: 'dwh.datamart_global', column: 'global_id' },
  country: { table: 'dwh.datamart_countries', column: 'dimension_country_id' },
  user: { table: 'dwh.datamart_users', column: 'dimension_user_id' },
};

export function datamartTable(scope: Scope): { table: SQL; column: SQL } {
  const { table, column } = TABLES[scope];
  return { table: sql.raw(table), column: sql.raw(column) };
}

/** A CTE body giving (id, key) for the ids: the warehouse key of each id, or null. */
export function scopeKeys(scope: Scope, ids: readonly number[]): SQL {
  // One id (the usual case: country(code), user(id), globalStats) is a scalar parameter: the
  // statement then estimates the same with any value, so PostgreSQL settles on a generic plan
  // after a few runs instead of planning every execution (an array of unknown length keeps it
  // on custom plans).
  const list = ids.length === 1 ? sql`(SELECT ${ids[0]}::int AS id) x` : sql`unnest(${sql.param([...ids])}::int[]) x(id)`;
  switch (scope) {
    case 'global':
      return sql`SELECT x.id, 0 AS key FROM ${list}`;
    // Scalar subqueries: an index lookup per id, never a scan of the dimension.
    case 'country':
      return sql`SELECT x.id, (SELECT d.dimension_country_id FROM dwh.dimension_countries d WHERE d.country_id = x.id) AS key
                 FROM ${list}`;
    case 'user':
      return sql`SELECT x.id, (SELECT d.dimension_user_id FROM dwh.dimension_users d WHERE d.user_id = x.id) AS key
                 FROM ${list}`;
  }
}

/** The current UTC day, the reference of backlog and last-year activity. */
export const TODAY = sql`(now() AT TIME ZONE 'UTC')::date`;

/** Loader keys: "scope:id". */
export const ownerKey = (o: StatsOwner) => `${o.scope}:${o.id}`;

/** Splits loader keys by scope, keeping for each its positions in `keys`. */
export function byScope(keys: readonly string[]): Map<Scope, { ids: number[]; positions: number[] }> {
  const groups = new Map<Scope, { ids: number[]; positions: number[] }>();
  keys.forEach((key, position) => {
    const [scope, id] = key.split(':') as [Scope, string];
    const group = groups.get(scope) ?? { ids: [], positions: [] };
    group.ids.push(Number(id));
    group.positions.push(position);
    groups.set(scope, group);
  });
  return groups;
}

/** Runs `load` once per scope and puts each answer back at its key's position. */
export async function loadByScope<T>(
  keys: readonly string[],
  load: (scope: Scope, ids: number[]) => Promise<T[]>,
): Promise<T[]> {
  const out = new Array<T>(keys.length);
  await Promise.all(
    [...byScope(keys)].map(async ([scope, group]) => {
      const values = await load(scope, group.ids);
      group.positions.forEach((position, i) => (out[position] = values[i]!));
    }),
  );
  return out;
}
