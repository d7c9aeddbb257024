// Once per `npm test`: find a PostgreSQL server (DATABASE_URL, or an embedded one under
// .data/test), build a migrated template database, and hand both to the test files.
import type { TestProject } from 'vitest/node';
import { connectClient } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { freePort } from './helpers/app-process.ts';
import { databaseUrl, TEST_DB_PREFIX } from './helpers/urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: '.data/test', port: await freePort(), database: 'postgres' });
    serverUrl = embedded.serverUrl;
    stopEmbedded = embedded.stop;
  }
  const admin = await connectClient(serverUrl, 'notes-stream test setup');
  await dropStaleDatabases(admin);
  const template = `${TEST_DB_PREFIX}${process.pid}_tpl`;
  await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
  await admin.query(`CREATE DATABASE "${template}"`);
  await migrateDatabase(databaseUrl(serverUrl, template));
  await admin.end();

  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplate', template);

  return async () => {
    const client = await connectClient(serverUrl, 'notes-stream test teardown');
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await client.end();
    await stopEmbedded?.();
  };
}

/** Databases left by test runs whose process is gone (killed runs) are dropped. */
async function dropStaleDatabases(admin: Awaited<ReturnType<typeof connectClient>>) {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1`,
    [`${TEST_DB_PREFIX}%`],
  );
  for (const { datname } of rows) {
    const pid = Number(datname.slice(TEST_DB_PREFIX.length).split('_')[0]);
    if (Number.isInteger(pid) && !isAlive(pid)) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
