import { sql, type SQL } from 'drizzle-orm';
import type { Database, Reader } from '../db/client.ts';
import { cursorValues, encodeCursor, keysetAfter, orderBy, pageSize, toConnection, type PageArgs, limitSql } from './pagination.ts';
import type { SortDirection } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';
import { groupBy } from './notes.ts';
import { escapeLike } from './users.ts';

export interface HashtagRow {
  id: number;
  name: string;
  uses?: number;
}

export interface ListHashtagsArgs extends PageArgs {
  /** Hashtags starting with this text ('#' optional, any case). */
  search?: string | null;
  order?: { field: 'USES' | 'NAME'; direction: SortDirection } | null;
}

/** Hashtags with their uses over the whole history, most used first by default. */
export async function listHashtags(db: Database, args: ListHashtagsArgs, limits: { maxPageSize: number; timeoutMs: number }) {
  const limit = pageSize(args, limits.maxPageSize);
  const field = args.order?.field ?? 'USES';
  const direction = args.order?.direction ?? (field === 'USES' ? 'DESC' : 'ASC');
  const sortValue = field === 'NAME' ? sql`h.description_lower` : sql`coalesce(u.uses, 0)`;
  const kind = `hashtag-${field}`;
  const where: SQL[] = [];
  if (args.search) {
    const prefix = args.search.trim().replace(/^#/, '').toLowerCase();
    where.push(sql`h.description_lower LIKE ${escapeLike(prefix) + '%'}`);
  }
  if (args.after) {
    const values = cursorValues(kind, args.after, [field === 'NAME' ? 'string' : 'number', 'number']);
    where.push(keysetAfter([sortValue, sql`h.dimension_hashtag_id`], values, direction));
  }
  const rows = await withStatementTimeout(db, limits.timeoutMs, (tx) =>
    tx.rows<HashtagRow & { sort_value: number | string }>(sql`
      SELECT h.dimension_hashtag_id AS id, h.description AS name, coalesce(u.uses, 0)::int AS uses,
             ${sortValue} AS sort_value
      FROM dwh.dimension_hashtags h
      LEFT JOIN (SELECT dimension_hashtag_id, sum(uses) AS uses FROM dwh.datamart_hashtags
                 WHERE scope = 'global' AND key = 0 GROUP BY 1) u ON u.dimension_hashtag_id = h.dimension_hashtag_id
      WHERE ${where.length ? sql.join(where, sql` AND `) : sql`true`}
      ORDER BY ${orderBy([sql`sort_value`, sql`h.dimension_hashtag_id`], direction)}
      ${limitSql(limit + 1)}`),
  );
  return toConnection(rows, limit, (r) => encodeCursor(kind, [r.sort_value, r.id]));
}

/** Uses of each hashtag over the whole history, in `ids` order. */
export async function hashtagUses(db: Reader, ids: readonly number[]): Promise<number[]> {
  const result = await db.rows<{ id: number; uses: number }>(sql`
    SELECT dimension_hashtag_id AS id, sum(uses)::int AS uses FROM dwh.datamart_hashtags
    WHERE scope = 'global' AND key = 0 AND dimension_hashtag_id = ANY (${sql.param([...ids])}::int[])
    GROUP BY 1`);
  const byId = new Map(result.map((r) => [r.id, r.uses]));
  return ids.map((id) => byId.get(id) ?? 0);
}

/** Uses of each hashtag per year (UTC), oldest first. */
export async function hashtagYears(db: Reader, ids: readonly number[]): Promise<{ year: number; count: number }[][]> {
  const result = await db.rows<{ id: number; year: number; count: number }>(sql`
    SELECT dimension_hashtag_id AS id, year, sum(uses)::int AS count FROM dwh.datamart_hashtags
    WHERE scope = 'global' AND key = 0 AND dimension_hashtag_id = ANY (${sql.param([...ids])}::int[])
    GROUP BY 1, 2 HAVING sum(uses) > 0 ORDER BY 1, 2`);
  return groupBy(ids, result, (r) => r.id).map((g) => g.map(({ year, count }) => ({ year, count })));
}
