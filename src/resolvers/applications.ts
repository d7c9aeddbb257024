import { sql, type SQL } from 'drizzle-orm';
import type { Database, Reader } from '../db/client.ts';
import { groupBy } from './notes.ts';
import { cursorValues, encodeCursor, keysetAfter, orderBy, pageSize, toConnection, type PageArgs, type SortDirection, limitSql } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';

import type { ApplicationRow } from './directory.ts';

export { allApplications, applicationsByIds, type ApplicationRow } from './directory.ts';

/** Notes opened with each application over the whole history (0 when none), in `ids` order. */
export async function notesOpenedWith(db: Reader, ids: readonly number[]): Promise<number[]> {
  const result = await db.rows<{ id: number; notes: number }>(sql`
    SELECT a.dimension_application_id AS id, sum(a.notes)::int AS notes FROM dwh.datamart_applications a
    WHERE a.scope = 'global' AND a.key = 0 AND a.dimension_application_id = ANY (${sql.param([...ids])}::int[])
    GROUP BY 1`);
  const byId = new Map(result.map((r) => [r.id, r.notes]));
  return ids.map((id) => byId.get(id) ?? 0);
}

/** The versions seen of each application, in version order. */
export async function versionsOf(db: Reader, ids: readonly number[]): Promise<string[][]> {
  const result = await db.rows<{ id: number; version: string }>(sql`
    SELECT dimension_application_id AS id, version FROM dwh.dimension_application_versions
    WHERE dimension_application_id = ANY (${sql.param([...ids])}::int[])
    ORDER BY 1, string_to_array(version, '.')::int[]`);
  return groupBy(ids, result, (r) => r.id).map((g) => g.map((r) => r.version));
}

type ApplicationListRow = ApplicationRow & { notesOpened: number; sort_value: number | string };

export interface ListApplicationsArgs extends PageArgs {
  order?: { field: 'NOTES_OPENED' | 'NAME'; direction: SortDirection } | null;
}

/** Every known application with its notes opened, ordered by that count (default, most first) or name. */
export async function listApplications(db: Database, args: ListApplicationsArgs, limits: { maxPageSize: number; timeoutMs: number }) {
  const limit = pageSize(args, limits.maxPageSize);
  const field = args.order?.field ?? 'NOTES_OPENED';
  const direction = args.order?.direction ?? (field === 'NOTES_OPENED' ? 'DESC' : 'ASC');
  const sortValue = field === 'NAME' ? sql`d.application_name` : sql`coalesce(n.notes, 0)`;
  const kind = `application-${field}`;
  const where: SQL[] = [];
  if (args.after) {
    const values = cursorValues(kind, args.after, [field === 'NAME' ? 'string' : 'number', 'number']);
    where.push(keysetAfter([sortValue, sql`d.dimension_application_id`], values, direction));
  }
  const rows = await withStatementTimeout(db, limits.timeoutMs, async (tx) => {
    const result = await tx.rows<ApplicationListRow>(sql`
      SELECT d.dimension_application_id AS "applicationId", d.application_name AS name, d.platform, d.priority,
             coalesce(n.notes, 0)::int AS "notesOpened", ${sortValue} AS sort_value
      FROM dwh.dimension_applications d
      LEFT JOIN (SELECT dimension_application_id, sum(notes) AS notes FROM dwh.datamart_applications
                 WHERE scope = 'global' AND key = 0 GROUP BY 1) n
        ON n.dimension_application_id = d.dimension_application_id
      WHERE ${where.length ? sql.join(where, sql` AND `) : sql`true`}
      ORDER BY ${orderBy([sql`sort_value`, sql`d.dimension_application_id`], direction)}
      ${limitSql(limit + 1)}`);
    return result;
  });
  return toConnection(rows, limit, (r) => encodeCursor(kind, [r.sort_value, r.applicationId]));
}

/** Notes opened with each application per year (UTC), oldest first. */
export async function applicationYears(db: Reader, ids: readonly number[]): Promise<{ year: number; count: number }[][]> {
  const result = await db.rows<{ id: number; year: number; count: number }>(sql`
    SELECT dimension_application_id AS id, year, sum(notes)::int AS count FROM dwh.datamart_applications
    WHERE scope = 'global' AND key = 0 AND dimension_application_id = ANY (${sql.param([...ids])}::int[])
    GROUP BY 1, 2 HAVING sum(notes) > 0 ORDER BY 1, 2`);
  return groupBy(ids, result, (r) => r.id).map((g) => g.map(({ year, count }) => ({ year, count })));
}
