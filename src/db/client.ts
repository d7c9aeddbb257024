import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import * as tables from './tables.ts';

// int8 and numeric arrive as strings by default; our ids, counts and positions fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(1016 as never /* int8[] */, (v) => pg.types.arrayParser(v, Number));
// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them with the local zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = NodePgDatabase<typeof tables>;

/** Runs one statement built with Drizzle's `sql` and returns its rows, typed by the caller. */
export interface Reader {
  rows<T extends pg.QueryResultRow = Record<string, unknown>>(query: SQL): Promise<T[]>;
}

/** One database as the code uses it: a pool, Drizzle's query builder over it, and `sql` statements. */
export interface Database extends Reader {
  url: string;
  /** For stored-function calls, transactions and COPY (src/streaming and src/ingest take pools). */
  pool: pg.Pool;
  /** Drizzle's query builder, for plain selects and inserts. */
  orm: Db;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  poolSize?: number;
  applicationName?: string;
  /** statement_timeout for every connection of the pool, in ms (0 = none). */
  statementTimeoutMs?: number;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 8,
    application_name: options.applicationName ?? 'notes-stream',
    statement_timeout: options.statementTimeoutMs || undefined,
    keepAlive: true,
    // Idle connections are kept (pg closes them after 10 s by default): a new one is a connect
    // plus every statement of the ETL and the stream reads planned again, and at 10 events/s
    // the connections a moment of overlap had opened were closed and reopened every ~10 s,
    // which held most of the latency floor's slowest events (docs/benchmarks.md). Idle ones do
    // not keep a process from exiting.
    idleTimeoutMillis: 0,
    allowExitOnIdle: true,
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  let closed: Promise<void> | undefined;
  return {
    url,
    pool,
    orm: drizzle(pool, { schema: tables }),
    rows: readerOn(pool).rows,
    close: () => (closed ??= pool.end()),
  };
}

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

/**
 * Statements on a pool or a connection, sent as named prepared statements: PostgreSQL plans each
 * text once per connection instead of on every request.
 */
export function readerOn(client: pg.Pool | pg.PoolClient): Reader {
  return {
    async rows<T extends pg.QueryResultRow>(query: SQL) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      const result = await client.query<T>({ name: statementName(text), text, values: params });
      return result.rows;
    },
  };
}

/** A single connection outside any pool (LISTEN, locks held across statements, admin work). */
export async function connectClient(url: string, applicationName = 'notes-stream'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName, keepAlive: true });
  client.on('error', () => {});
  await client.connect();
  return client;
}
