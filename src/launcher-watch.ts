// `npm start` runs us as npm → sh → tsx → node: a SIGKILL of npm, or a SIGTERM that npm passes
// only to its shell, leaves the rest running with nobody to stop them. So the server watches the
// processes that launched it and stops itself when one of them ends.
import { environmentVariable, identify, isAlive, parentOf, type ProcessIdentity } from './process-info.ts';

const LIFECYCLE = 'npm_lifecycle_event';

/**
 * The processes whose end should end this one: the parent and, under an npm script, every
 * ancestor that runs the same script (the shell, tsx), up to and including npm itself.
 */
export function launchers(): ProcessIdentity[] {
  const ours = process.env[LIFECYCLE];
  const chain: ProcessIdentity[] = [];
  let pid: number | undefined = process.ppid;
  while (pid !== undefined && pid > 1 && chain.length < 8) {
    chain.push(identify(pid));
    if (ours === undefined || environmentVariable(pid, LIFECYCLE) !== ours) break;
    pid = parentOf(pid);
  }
  return chain;
}

/** Calls `onGone` once when a launcher ends; returns a function that stops watching. */
export function watchLaunchers(onGone: (pid: number) => void, intervalMs = 500): () => void {
  const watched = launchers();
  const parent = process.ppid;
  const timer = setInterval(() => {
    // process.ppid changes when we are re-parented: the only sign off Linux.
    const gone = process.ppid !== parent ? parent : watched.find((launcher) => !isAlive(launcher))?.pid;
    if (gone === undefined) return;
    clearInterval(timer);
    onGone(gone);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
