import { eq, sql, type SQL } from 'drizzle-orm';
import type { Database, Reader } from '../db/client.ts';
import { users } from '../db/tables.ts';
import { UserInputError } from '../errors.ts';
import { cursorValues, encodeCursor, keysetAfter, orderBy, pageSize, toConnection, type SortDirection, limitSql } from './pagination.ts';
import type { PageArgs } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';
import { figureSort, type FigureOrderField } from './figure-order.ts';
import { backlogSql, DEFAULT_BACKLOG_DAYS, STATS_COLUMNS, type StatsRow } from './stats.ts';

export interface UserRow {
  userId: number;
  username: string;
}

/** A user by OSM id or by current username (exact, then case-insensitive); null when unknown. */
export async function findUser(db: Database, by: { id?: number | null; username?: string | null }): Promise<UserRow | null> {
  if ((by.id == null) === (by.username == null)) {
    throw new UserInputError('give exactly one of id and username', by.id == null ? 'id' : 'username');
  }
  const columns = { userId: users.userId, username: users.username };
  const [found] =
    by.id != null
      ? await db.orm.select(columns).from(users).where(eq(users.userId, by.id))
      : await db.orm
          .select(columns)
          .from(users)
          .where(sql`lower(${users.username}) = lower(${by.username})`)
          .orderBy(sql`${users.username} = ${by.username} DESC`, users.userId)
          .limit(1);
  return found ?? null;
}

export async function usersByIds(db: Reader, ids: readonly number[]): Promise<(UserRow | null)[]> {
  const result = await db.rows<UserRow>(sql`
    SELECT user_id AS "userId", username FROM public.users WHERE user_id = ANY (${sql.param([...ids])}::int[])`);
  const byId = new Map(result.map((r) => [r.userId, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Users by warehouse key (what facts hold), with the username the warehouse knows. */
export async function usersByDimensionIds(db: Reader, keys: readonly number[]): Promise<(UserRow | null)[]> {
  const result = await db.rows<UserRow & { key: number }>(sql`
    SELECT dimension_user_id AS key, user_id AS "userId", username FROM dwh.dimension_users
    WHERE dimension_user_id = ANY (${sql.param([...keys])}::int[])`);
  const byKey = new Map(result.map(({ key, ...u }) => [key, u]));
  return keys.map((k) => byKey.get(k) ?? null);
}

export interface ListUsersArgs extends PageArgs {
  /** Usernames starting with this text (any case). */
  search?: string | null;
  order?: { field: FigureOrderField | 'USERNAME' | 'ID'; direction: SortDirection } | null;
}

export type UserListRow = UserRow & { stats: StatsRow };

/** Users with warehouse figures (who acted on or opened a note), ordered by a figure. */
export async function listUsers(db: Database, args: ListUsersArgs, limits: { maxPageSize: number; timeoutMs: number }) {
  const limit = pageSize(args, limits.maxPageSize);
  const field = args.order?.field ?? 'ID';
  const direction = args.order?.direction ?? 'ASC';
  const sortValue: { expression: SQL; kind: 'number' | 'string' } =
    field === 'ID'
      ? { expression: sql`u.user_id`, kind: 'number' }
      : field === 'USERNAME'
        ? { expression: sql`u.username`, kind: 'string' }
        : { expression: figureSort(field, 'user', sql`m.dimension_user_id`), kind: 'number' };
  const sort = field === 'ID' ? [sql`u.user_id`] : [sql`sort_value`, sql`u.user_id`];
  const kind = `user-${field}`;
  const where: SQL[] = [];
  if (args.search) where.push(sql`lower(u.username) LIKE ${escapeLike(args.search.toLowerCase()) + '%'}`);
  if (args.after) {
    const values = cursorValues(kind, args.after, field === 'ID' ? ['number'] : [sortValue.kind, 'number']);
    where.push(keysetAfter(field === 'ID' ? sort : [sortValue.expression, sql`u.user_id`], values, direction));
  }
  const rows = await withStatementTimeout(db, limits.timeoutMs, (tx) =>
    tx.rows<StatsRow & UserRow & { sort_value: number | string }>(sql`
      SELECT u.user_id AS "userId", u.username, ${sortValue.expression} AS sort_value, ${STATS_COLUMNS},
             ${backlogSql('user', sql`m.dimension_user_id`, DEFAULT_BACKLOG_DAYS, sql`m.notes_still_open`)} AS backlog
      FROM dwh.datamart_users m
      JOIN dwh.dimension_users u ON u.dimension_user_id = m.dimension_user_id
      WHERE ${where.length ? sql.join(where, sql` AND `) : sql`true`}
      ORDER BY ${orderBy(sort, direction)}
      ${limitSql(limit + 1)}`),
  );
  return toConnection(
    rows.map(({ userId, username, sort_value, ...stats }) => ({ userId, username, sortValue: sort_value, stats })),
    limit,
    (r) => encodeCursor(kind, field === 'ID' ? [r.userId] : [r.sortValue, r.userId]),
  );
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
