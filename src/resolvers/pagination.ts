import { sql, type SQL } from 'drizzle-orm';
import { UserInputError } from '../errors.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** How many rows a page holds: `first`, or a default, never more than the configured maximum. */
export function pageSize(args: PageArgs, max: number, fallback = 20): number {
  if (args.last != null || args.before != null) {
    throw new UserInputError('backward pagination (last/before) is not supported; use first and after', 'last');
  }
  const first = args.first ?? Math.min(fallback, max);
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new UserInputError(`first must be between 0 and ${max}, got ${first}`, 'first', first);
  }
  return first;
}

/**
 * A LIMIT written into the statement text, not sent as a parameter: with the row count known
 * PostgreSQL estimates the same for every execution and settles on a generic plan (a limit
 * parameter keeps it planning each one). Only for integers this code has checked.
 */
export function limitSql(rows: number): SQL {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`bad row limit ${rows}`);
  return sql.raw(`LIMIT ${rows}`);
}

/** Cursors are opaque to clients: base64url of the sort key of the row. */
export function encodeCursor(kind: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...key])).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string, argument = 'after'): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || parsed.length < 2) {
    throw new UserInputError(`${argument} is not a cursor of this list: ${JSON.stringify(cursor)}`, argument, cursor);
  }
  return parsed.slice(1) as (string | number)[];
}

/** Builds a connection from `limit + 1` fetched rows (the extra row only says there is more). */
export function toConnection<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Connection<T> {
  const page = rows.slice(0, limit);
  // Edge cursors are made only when asked for (most clients read pageInfo.endCursor only).
  const edges = page.map((node) => ({
    node,
    get cursor() {
      return cursorOf(node);
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: false,
      startCursor: page.length ? cursorOf(page[0]!) : null,
      endCursor: page.length ? cursorOf(page.at(-1)!) : null,
    },
  };
}

export type SortDirection = 'ASC' | 'DESC';

/**
 * The keyset condition "after this cursor" for rows ordered by `columns` (all in `direction`):
 * a row comparison, so the sort stays stable across pages whatever the ties.
 */
export function keysetAfter(columns: SQL[], values: readonly unknown[], direction: SortDirection): SQL {
  const op = direction === 'DESC' ? sql.raw('<') : sql.raw('>');
  return sql`(${sql.join(columns, sql`, `)}) ${op} (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

export function orderBy(columns: SQL[], direction: SortDirection): SQL {
  const dir = sql.raw(direction === 'DESC' ? 'DESC' : 'ASC');
  return sql.join(columns.map((c) => sql`${c} ${dir}`), sql`, `);
}

/** A cursor's values, checked to be numbers (or strings where `kinds` says so). */
export function cursorValues(kind: string, cursor: string, kinds: ('number' | 'string')[], argument = 'after') {
  const values = decodeCursor(kind, cursor, argument);
  if (values.length !== kinds.length || values.some((v, i) => typeof v !== kinds[i])) {
    throw new UserInputError(`${argument} is not a cursor of this list: ${JSON.stringify(cursor)}`, argument, cursor);
  }
  return values;
}
