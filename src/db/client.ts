import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as tables from './tables.ts';

// int8 and numeric arrive as strings by default; our ids, counts and positions fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(1016 as never /* int8[] */, (v) => pg.types.arrayParser(v, Number));
// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them with the local zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = NodePgDatabase<typeof tables>;

export interface Database {
  url: string;
  pool: pg.Pool;
  db: Db;
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
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema: tables });
  let closed: Promise<void> | undefined;
  return {
    url,
    pool,
    db,
    close: () => (closed ??= pool.end()),
  };
}

/** A single connection outside any pool (LISTEN, locks held across statements, admin work). */
export async function connectClient(url: string, applicationName = 'notes-stream'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName, keepAlive: true });
  client.on('error', () => {});
  await client.connect();
  return client;
}
