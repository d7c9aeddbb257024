// Lists and analytics run under a statement timeout; their statements are `sql`, sent as named
// prepared statements (see Database.rows).
import type pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { readerOn, type Database, type Reader } from '../db/client.ts';

/** An analytics or list query ran past its statement timeout (SQLSTATE 57014). */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the analytics query took longer than ${timeoutMs} ms; narrow the filter or time range`);
  }
}

const QUERY_CANCELED = '57014';

/**
 * Runs `work` with every statement stopped after `timeoutMs`. When the read pool's connections
 * already carry that statement_timeout (a pool made for analytics, like the replica pool), the
 * work runs on the pool directly: one round trip per statement. Otherwise it runs in a
 * read-only transaction with SET LOCAL (so the pooled connection keeps its own setting), BEGIN
 * and SET sent in one round trip: a query then costs three round trips.
 */
export async function withStatementTimeout<T>(db: Database, timeoutMs: number, work: (tx: Reader) => Promise<T>): Promise<T> {
  const pool = db.pool;
  const poolTimeout = Number(pool.options.statement_timeout ?? 0);
  const onPool = poolTimeout > 0 && poolTimeout <= timeoutMs;
  try {
    return await (onPool ? work(db) : inTimedTransaction(pool, timeoutMs, work));
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

/**
 * A timestamptz as milliseconds since the epoch: the session's DateStyle decides how timestamps
 * look as text, and a number is exact and cheap to turn into a Date.
 */
export const epochMs = (column: SQL) => sql`(extract(epoch FROM ${column}) * 1000)::float8`;

export function toDate(ms: unknown): Date | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms));
}
