// What this machine says about other processes: alive or not, the same process or a later one
// with a reused pid, its command line and environment. Linux answers from /proc; elsewhere only
// liveness is known (a pid reused by an unrelated process then counts as alive).
import { readFileSync } from 'node:fs';

/** A process as identified at one moment: its pid and, on Linux, its start time. */
export interface ProcessIdentity {
  pid: number;
  /** Clock ticks after boot at which it started (/proc/<pid>/stat field 22); null off Linux. */
  startTime: string | null;
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields after it follow the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

export function identify(pid: number): ProcessIdentity {
  return { pid, startTime: statFields(pid)?.[19] ?? null };
}

/** Its parent's pid, from /proc (Linux), or undefined. */
export function parentOf(pid: number): number | undefined {
  const ppid = Number(statFields(pid)?.[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
}

/** True while the process runs (zombies count as gone) and, where known, is the one identified. */
export function isAlive(process_: ProcessIdentity): boolean {
  const fields = statFields(process_.pid);
  if (fields) return fields[0] !== 'Z' && (process_.startTime === null || fields[19] === process_.startTime);
  try {
    process.kill(process_.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Its command line as one string (arguments joined by spaces), or null when unknown. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

/** One variable of its environment, or undefined (also when it cannot be read). */
export function environmentVariable(pid: number, name: string): string | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const entry = entries.find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/** Polls until the process is gone; false when it still runs at the deadline. */
export async function waitUntilGone(process_: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (isAlive(process_)) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
