import type pg from 'pg';
import { createDatabase, type Database } from '../../src/db/client.ts';

/** A statement as pg received it. */
export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/**
 * A database handle whose connections record the statements whose text passes `keep`, with their
 * values, so that a test can plan again what the server sent (EXPLAIN over more rows).
 */
export function recordingDatabase(url: string, keep: (text: string) => boolean): { database: Database; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const database = createDatabase(url, { poolSize: 2, applicationName: 'notes-stream test recorded' });
  database.pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const config = args[0] as { text?: string; values?: unknown[] };
      if (typeof config === 'object' && config.text !== undefined && keep(config.text)) {
        statements.push({ text: config.text, values: config.values ?? (args[1] as unknown[] | undefined) ?? [] });
      }
      return query(...args);
    };
  });
  return { database, statements };
}
