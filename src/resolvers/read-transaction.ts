import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Db } from '../db/client.ts';

/** What read functions need from Drizzle: the pool-level Db or one transaction's. */
export type Reader = Pick<Db, 'select' | 'execute'>;

/** An analytics or list query ran past its statement timeout (SQLSTATE 57014). */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the analytics query took longer than ${timeoutMs} ms; narrow the filter or time range`);
  }
}

const QUERY_CANCELED = '57014';

/**
 * Runs `work` in a read-only transaction whose statements stop after `timeoutMs` (SET LOCAL,
 * so the pooled connection keeps its own setting afterwards). BEGIN and SET go in one round
 * trip: a page of facts then costs three round trips, not four.
 */
export async function withStatementTimeout<T>(db: Db, timeoutMs: number, work: (tx: Reader) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  let broken: Error | undefined;
  try {
    // timeoutMs is a validated integer from the configuration, never client input.
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
    try {
      const result = await work(drizzle(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    }
  } catch (error) {
    if (sqlState(error) === QUERY_CANCELED) throw new QueryTimeoutError(timeoutMs);
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The SQLSTATE of a pg error, also when Drizzle wrapped it (DrizzleQueryError keeps it as cause). */
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
 * A timestamptz as milliseconds since the epoch: Drizzle's raw queries hand timestamps over as
 * text in the session's DateStyle, which is no format to parse; a number is exact and cheap.
 */
export const epochMs = (column: SQL) => sql`(extract(epoch FROM ${column}) * 1000)::float8`;

export function toDate(ms: unknown): Date | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms));
}
