// Runs initdb and the postmaster of the embedded PostgreSQL as chosen in run-as.ts. The
// postmaster gets its own session (a terminal's Ctrl-C reaches us, not it: we stop it last,
// after our connections closed) and, with util-linux `setpriv`, a parent-death signal, so that
// it stops even when we are killed with no chance to stop it.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresBinaries } from './binaries.ts';
import type { RunAs } from './run-as.ts';

const READY = 'database system is ready to accept connections';
const START_DEADLINE_MS = 120_000;
const STOP_DEADLINE_MS = 30_000;

let setprivAvailable: boolean | undefined;
function hasSetpriv(): boolean {
  return (setprivAvailable ??= spawnSync('setpriv', ['--pdeathsig', 'INT', 'true'], { stdio: 'ignore' }).status === 0);
}

function command(runAs: RunAs, binary: string, args: string[], dieWithParent: boolean) {
  const prefix: string[] = [];
  if (runAs.kind === 'namespace') prefix.push('unshare', '--user', `--map-user=${runAs.uid}`, `--map-group=${runAs.gid}`, '--');
  if (dieWithParent && process.platform === 'linux' && hasSetpriv()) prefix.push('setpriv', '--pdeathsig', 'INT', '--');
  // English messages (LC_ALL would override LC_MESSAGES): we look for READY, and report the
  // last lines of a failure.
  const { LC_ALL: _ignored, ...env } = process.env;
  const options: SpawnOptions = {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, LC_MESSAGES: 'C' },
    ...(runAs.kind === 'user' ? { uid: runAs.uid, gid: runAs.gid } : {}),
  };
  const [file, ...rest] = [...prefix, binary, ...args];
  return { file: file!, args: rest, options };
}

/** The last lines a process wrote, for error messages. */
class Tail {
  private readonly lines: string[] = [];
  add(chunk: Buffer | string): void {
    for (const line of String(chunk).split('\n')) {
      if (line.trim() === '') continue;
      this.lines.push(line.trim());
      if (this.lines.length > 30) this.lines.shift();
    }
  }
  text(count = 5): string {
    return this.lines.slice(-count).join(' | ');
  }
  includes(text: string): boolean {
    return this.lines.some((line) => line.includes(text));
  }
}

export async function initialiseCluster(options: {
  binaries: PostgresBinaries;
  runAs: RunAs;
  databaseDir: string;
  user: string;
  password: string;
}): Promise<void> {
  const passwordFile = join(tmpdir(), `notes-stream-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (options.runAs.kind === 'user') chownSync(passwordFile, options.runAs.uid, options.runAs.gid);
  try {
    const { file, args, options: spawnOptions } = command(
      options.runAs,
      options.binaries.initdb,
      [
        `--pgdata=${options.databaseDir}`,
        '--auth=scram-sha-256',
        `--username=${options.user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ],
      true,
    );
    const child = spawn(file, args, spawnOptions);
    const tail = new Tail();
    child.stdout!.on('data', (chunk: Buffer) => tail.add(chunk));
    child.stderr!.on('data', (chunk: Buffer) => tail.add(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed in ${options.databaseDir} (exit ${code}): ${tail.text()}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

export interface Postmaster {
  pid: number;
  /** Fast shutdown (SIGINT), then SIGQUIT and SIGKILL if it does not end in time. */
  stop(): Promise<void>;
  /** Sends the fast-shutdown signal without waiting: for process 'exit' handlers. */
  signalStop(): void;
}

/** Why a postmaster did not start: the log lines tell a held data folder from a busy port. */
export class PostmasterStartError extends Error {
  constructor(
    message: string,
    readonly reason: 'data-folder-locked' | 'port-in-use' | 'other',
  ) {
    super(message);
  }
}

export async function startPostmaster(options: {
  binaries: PostgresBinaries;
  runAs: RunAs;
  databaseDir: string;
  port: number;
  flags: string[];
  onLine?: (line: string) => void;
  dieWithParent?: boolean;
}): Promise<Postmaster> {
  const { file, args, options: spawnOptions } = command(
    options.runAs,
    options.binaries.postgres,
    ['-D', options.databaseDir, '-p', String(options.port), ...options.flags],
    options.dieWithParent ?? true,
  );
  const child: ChildProcess = spawn(file, args, { ...spawnOptions, detached: true });
  const tail = new Tail();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let recent = '';
  await new Promise<void>((resolve, reject) => {
    const fail = (error?: Error) => {
      const reason = tail.includes('lock file') ? 'data-folder-locked' : tail.includes('Address already in use') ? 'port-in-use' : 'other';
      reject(new PostmasterStartError(error?.message ?? tail.text(), reason));
    };
    const exitedEarly = () => fail();
    child.once('error', fail);
    child.once('exit', exitedEarly);
    // Crash recovery after a kill can take a while; a server that never says it is ready is stopped.
    const deadline = setTimeout(() => {
      fail(new Error(`not ready after ${START_DEADLINE_MS / 1000} s: ${tail.text()}`));
      child.kill('SIGQUIT');
    }, START_DEADLINE_MS);
    child.once('exit', () => clearTimeout(deadline));
    child.stderr!.on('data', (chunk: Buffer) => {
      tail.add(chunk);
      for (const line of String(chunk).split('\n')) if (line) options.onLine?.(line);
      recent = (recent + String(chunk)).slice(-4 * READY.length);
      if (recent.includes(READY)) {
        clearTimeout(deadline);
        child.off('exit', exitedEarly);
        resolve();
      }
    });
  });
  child.stdout!.resume();
  let stopping: Promise<void> | undefined;
  const signalStop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  return {
    pid: child.pid!,
    signalStop,
    stop: () =>
      (stopping ??= (async () => {
        signalStop();
        for (const [signal, waitMs] of [['SIGQUIT', STOP_DEADLINE_MS], ['SIGKILL', 5_000]] as const) {
          const timedOut = await Promise.race([exited.then(() => false), delay(waitMs).then(() => true)]);
          if (!timedOut) return;
          child.kill(signal);
        }
        await exited;
      })()),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
