// Real processes as a newcomer runs them: `npm start` or `npm run cli -- …` with no
// DATABASE_URL (so on the embedded PostgreSQL), each in its own process group as a terminal's
// job is, so a test can send what a terminal sends (Ctrl-C, hang-up) to the whole job.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { eventually } from './wait.ts';

export const REPO = resolve(import.meta.dirname, '..', '..');

/**
 * A new folder under the repository's .data (absent in a fresh clone): on the same file system
 * as node_modules, and named so that its processes can be found by their command line.
 */
export function scratchDir(prefix: string): string {
  mkdirSync(join(REPO, '.data'), { recursive: true });
  return mkdtempSync(join(REPO, '.data', prefix));
}

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** The environment of a first run: no DATABASE_URL, our own data folder and ports. */
export function embeddedEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_FEED: 'off', ...vars };
  delete env.DATABASE_URL;
  return env;
}

export interface AppProcess {
  child: ChildProcess;
  /** stdout and stderr as they came. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a line matching `pattern` and returns its first group (or the match). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal to the whole process group, as a terminal does. */
  signalGroup(signal: NodeJS.Signals): void;
}

export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = REPO): AppProcess {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 90_000) =>
      eventually(
        () => {
          const match = output.match(pattern);
          if (match) return match[1] ?? match[0];
          if (ended) throw new Error(`exited before printing ${pattern}:\n${output}`);
          return undefined;
        },
        { timeoutMs, intervalMs: 50, what: `${pattern} in the output of ${command} ${args.join(' ')}:\n${output}` },
      ),
    signalGroup: (signal) => process.kill(-child.pid!, signal),
  };
}

/** `npm start` on the embedded database; resolves once GraphiQL's URL is printed. */
export async function npmStart(env: NodeJS.ProcessEnv, cwd = REPO): Promise<AppProcess & { url: string }> {
  const app = startProcess('npm', ['start'], env, cwd);
  const url = await app.waitFor(/GraphiQL at (\S+)/);
  return { ...app, url };
}

/** Pids of the processes whose command line names `folder` (postmaster and its children). */
export function processesUsing(folder: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(folder) && !/\) Z /.test(state)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Waits until no process names `folder`: the embedded PostgreSQL of that data folder is down. */
export function noProcessUsing(folder: string, timeoutMs = 15_000): Promise<true> {
  return eventually(() => processesUsing(folder).length === 0 || undefined, {
    timeoutMs,
    intervalMs: 100,
    what: `no process left using ${folder} (still: ${processesUsing(folder).join(', ')})`,
  });
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The node process that runs src/main.ts under `npm start` (npm → sh → tsx → node). */
export function serverPid(npmPid: number): number {
  const descends = (pid: number) => {
    for (let current: number | undefined = pid, steps = 0; current && current > 1 && steps < 10; steps++) {
      if (current === npmPid) return true;
      current = parentOf(current);
    }
    return false;
  };
  const found = processesUsing('src/main.ts').find((pid) => {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('--import') && descends(pid);
  });
  if (found === undefined) throw new Error(`no server process under npm (pid ${npmPid})`);
  return found;
}

/** Kills what a failed test left (by process group), so that one failure does not hang the file. */
export function killGroup(app: AppProcess | undefined): void {
  if (!app?.child.pid) return;
  try {
    process.kill(-app.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** POSTs a GraphQL query and returns the JSON answer. */
export async function query(url: string, text: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: text }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}
