import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectClient, createDatabase, type Database } from '../../src/db/client.ts';
import { databaseUrl, TEST_DB_PREFIX } from './urls.ts';

export interface TestDatabase {
  /** URL of this file's own database, cloned from the migrated template. */
  readonly url: string;
  readonly name: string;
  /** A pool on it, opened on first use and closed (and checked) after the file. */
  readonly database: Database;
}

/**
 * Gives the test file its own database, cloned from the migrated template, and checks after
 * the file that every connection and server the tests opened was closed: a leak fails the run.
 */
export function useTestDatabase(options: { template?: boolean } = {}): TestDatabase {
  const serverUrl = inject('pgServerUrl');
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(serverUrl, name);
  let database: Database | undefined;
  let baselineServers = 0;

  beforeAll(async () => {
    baselineServers = countHandles('TCPServerWrap');
    const admin = await connectClient(serverUrl);
    try {
      const template = options.template === false ? '' : ` TEMPLATE "${inject('pgTemplate')}"`;
      await admin.query(`CREATE DATABASE "${name}"${template}`);
    } finally {
      await admin.end();
    }
  });

  afterAll(async () => {
    await database?.close();
    const admin = await connectClient(serverUrl);
    try {
      const leaked = await waitFor(async () => {
        const { rows } = await admin.query<{ application_name: string }>(
          'SELECT application_name FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        return rows.length === 0 ? null : rows.map((r) => r.application_name || '(unnamed)');
      });
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      if (leaked) throw new Error(`test left ${leaked.length} database connection(s) open: ${leaked.join(', ')}`);
    } finally {
      await admin.end();
    }
    const servers = await waitFor(async () => {
      const open = countHandles('TCPServerWrap');
      return open > baselineServers ? open - baselineServers : null;
    });
    if (servers) throw new Error(`test left ${servers} listening server(s) open`);
  });

  return {
    url,
    name,
    get database() {
      return (database ??= createDatabase(url, { poolSize: 4, applicationName: 'notes-stream test' }));
    },
  };
}

function countHandles(kind: string): number {
  return process.getActiveResourcesInfo().filter((r) => r === kind).length;
}

/** Polls `probe` until it returns null (fine) or the deadline passes (returns the last finding). */
async function waitFor<T>(probe: () => Promise<T | null>, deadlineMs = 3_000): Promise<T | null> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const finding = await probe();
    if (finding === null || Date.now() > end) return finding;
    await new Promise((r) => setTimeout(r, 50));
  }
}
