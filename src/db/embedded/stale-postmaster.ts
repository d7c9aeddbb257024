// A data folder whose owner is gone may still hold a postmaster.pid: from a postmaster that
// died with it (stale: PostgreSQL itself replaces such a file when its pid is not running), from
// an unrelated process that reused the pid, or from a postmaster that outlived a killed run
// (an earlier version had no parent-death signal). Called only when no live owner holds the
// folder (see ownership.ts), this clears the way or says in one line why it cannot.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../../log.ts';
import { commandLine, identify, isAlive, waitUntilGone } from '../../process-info.ts';

const STOP_DEADLINE_MS = 30_000;

function lockFile(databaseDir: string): { pid: number; port: number } | undefined {
  try {
    const lines = readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

/** Client sessions on the server (not its own background processes), or null when it does not answer. */
async function clientSessions(port: number, user: string, password: string): Promise<number | null> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return rows[0]!.n;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function clearStalePostmaster(options: {
  databaseDir: string;
  user: string;
  password: string;
  log?: Logger;
}): Promise<void> {
  const lock = lockFile(options.databaseDir);
  if (!lock || !Number.isInteger(lock.pid) || lock.pid <= 0) return;
  const postmaster = identify(lock.pid);
  if (!isAlive(postmaster)) return;
  const cmdline = commandLine(lock.pid);
  if (cmdline !== null && !(cmdline.includes('postgres') && cmdline.includes(options.databaseDir))) {
    // The pid now belongs to another process: PostgreSQL would refuse the file, so it goes.
    rmSync(join(options.databaseDir, 'postmaster.pid'), { force: true });
    return;
  }
  const clients = await clientSessions(lock.port, options.user, options.password);
  if (clients !== null && clients > 0) {
    throw new Error(
      `the data folder ${options.databaseDir} is in use: its PostgreSQL (pid ${lock.pid}, port ${lock.port}) runs with ${clients} client connection(s) ` +
        `but no notes-stream owns it; close those clients, or stop it with "kill -INT ${lock.pid}", and start again`,
    );
  }
  options.log?.warn({ pid: lock.pid, port: lock.port }, 'stopping the embedded PostgreSQL a killed run left behind');
  process.kill(lock.pid, 'SIGINT');
  if (!(await waitUntilGone(postmaster, STOP_DEADLINE_MS))) {
    throw new Error(`the PostgreSQL a killed run left behind (pid ${lock.pid}) did not stop within 30 s; stop it with "kill -QUIT ${lock.pid}" and start again`);
  }
}
