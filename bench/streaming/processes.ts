import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLOCK_TICKS = 100;

export interface Child {
  process: ChildProcess;
  /** Resolves with the first stdout line matching. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then the last JSON line it printed. */
  finish<T>(): Promise<T>;
  /** Resolves when it exits by itself, with its last JSON line. */
  result<T>(): Promise<T>;
  kill(): void;
}

/**
 * The node flags `npm start` gives the server (package.json), so that benchmarks run it as it
 * ships: without V8's memory reducer, whose compacting collections once a burst ended paused the
 * event loop 25-35 ms (docs/operations.md, "Memory and garbage collection").
 */
export const SERVER_NODE_FLAGS = ['--no-memory-reducer'];

/** Runs a TypeScript file of the repository in its own Node process (the server with SERVER_NODE_FLAGS). */
export function spawnScript(file: string, args: string[], env: Record<string, string> = {}): Child {
  const flags = file === 'src/main.ts' ? SERVER_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const scan = () => {
    for (const w of [...watchers]) {
      const match = (stdout + '\n' + stderr).split('\n').find((l) => w.pattern.test(l));
      if (match !== undefined) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(match);
      }
    }
  };
  child.stdout!.on('data', (d) => {
    stdout += d;
    scan();
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
    scan();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lastJson = <T>() => {
    const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
    if (!line) throw new Error(`${file} printed no result (exit ${child.exitCode}): ${stderr.slice(-2000)}`);
    return JSON.parse(line) as T;
  };
  return {
    process: child,
    line: (pattern, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        watchers.push({ pattern, resolve });
        scan();
        const timer = setTimeout(() => reject(new Error(`${file}: no line ${pattern} within ${timeoutMs} ms: ${stderr.slice(-2000)}`)), timeoutMs);
        void exited.then(() => setTimeout(() => reject(new Error(`${file} exited: ${stderr.slice(-2000)}`)), 100));
        void Promise.resolve().then(() => timer.unref());
      }),
    finish: async <T>() => {
      child.kill('SIGTERM');
      await exited;
      return lastJson<T>();
    },
    result: async <T>() => {
      await exited;
      return lastJson<T>();
    },
    kill: () => child.kill('SIGKILL'),
  };
}

/** Starts src/main.ts (the server and/or processor) and waits until it is ready. */
export async function startService(env: Record<string, string>): Promise<Child & { url: string | null }> {
  const child = spawnScript('src/main.ts', [], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_FEED: 'off', RATE_LIMIT_PER_MINUTE: '0', ...env });
  if (env.ROLE === 'processor') {
    await new Promise((r) => setTimeout(r, 3000));
    return { ...child, url: null };
  }
  const line = await child.line(/GraphiQL at (\S+)/);
  return { ...child, url: line.match(/GraphiQL at (\S+)/)![1]! };
}

export interface Usage {
  rssMb: number;
  peakRssMb: number;
  cpuSeconds: number;
}

/** Samples a process's RSS every 200 ms and its CPU time, until stop(). */
export function sampleUsage(pid: number): { stop(): Usage } {
  const read = () => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { rss, cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
  };
  const start = read();
  let peak = start.rss;
  let last = start;
  const timer = setInterval(() => {
    try {
      last = read();
      peak = Math.max(peak, last.rss);
    } catch {
      clearInterval(timer);
    }
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      try {
        last = read();
      } catch {
        // gone already: keep the last sample
      }
      return { rssMb: Math.round(last.rss), peakRssMb: Math.round(Math.max(peak, last.rss)), cpuSeconds: Math.round((last.cpu - start.cpu) * 10) / 10 };
    },
  };
}
