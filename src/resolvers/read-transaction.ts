// How the read API runs its SQL: statements built with Drizzle's `sql`, sent as named prepared
// statements (PostgreSQL plans each text once per connection instead of on every request), and,
// for lists and analytics, under a statement timeout.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';

/** Runs one statement and returns its rows. */
export interface Reader {
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
}

/** An analytics or list query ran past its statement timeout (SQLSTATE 57014). */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the analytics query took longer than ${timeoutMs} ms; narrow the filter or time range`);
  }
}

const QUERY_CANCELED = '57014';
const dialect = new PgDialect();

// Statement names by SQL text. The texts come from code paths, not from values (values are
// parameters), so there are few of them; the cap only guards against a bug making more.
const names = new Map<string, string>();
const MAX_NAMES = 2_000;

function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `ns_${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

function readerOn(client: pg.Pool | pg.PoolClient): Reader {
  return {
    async rows<T>(query: SQL) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      const result = await client.query({ name: statementName(text), text, values: params as unknown[] });
      return result.rows as T[];
    },
  };
}

const readers = new WeakMap<Db, Reader>();

/** The Reader over a database's pool (one per database, made once). */
export function reader(db: Db): Reader {
  let found = readers.get(db);
  if (!found) readers.set(db, (found = readerOn(poolOf(db))));
  return found;
}

/**
 * Runs `work` with every statement stopped after `timeoutMs`. When the read pool's connections
 * already carry that statement_timeout (a pool made for analytics, like the replica pool), the
 * work runs on the pool directly: one round trip per statement. Otherwise it runs in a
 * read-only transaction with SET LOCAL (so the pooled connection keeps its own setting), BEGIN
 * and SET sent in one round trip: a query then costs three round trips.
 */
export async function withStatementTimeout<T>(db: Db, timeoutMs: number, work: (tx: Reader) => Promise<T>): Promise<T> {
  const pool = poolOf(db);
  const poolTimeout = Number(pool.options.statement_timeout ?? 0);
  const onPool = poolTimeout > 0 && poolTimeout <= timeoutMs;
  try {
    return await (onPool ? work(reader(db)) : inTimedTransaction(pool, timeoutMs, work));
  } catch (error) {
    if (sqlState(error) === QUERY_CANCELED) throw new QueryTimeoutError(onPool ? poolTimeout : timeoutMs);
    throw error;
  }
}

async function inTimedTransaction<T>(pool: pg.Pool, timeoutMs: number, work: (tx: Reader) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // timeoutMs is a validated integer from the configuration, never client input.
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
    try {
      const result = await work(readerOn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/** The SQLSTATE of a pg error, also when something wrapped it (keeping it as `cause`). */
function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function poolOf(db: Db): pg.Pool {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!(client instanceof pg.Pool)) throw new Error('the read database is not backed by a pg pool');
  return client;
}

/**
 * A timestamptz as milliseconds since the epoch: the session's DateStyle decides how timestamps
 * look as text, and a number is exact and cheap to turn into a Date.
 */
export const epochMs = (column: SQL) => sql`(extract(epoch FROM ${column}) * 1000)::float8`;

export function toDate(ms: unknown): Date | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms));
}
