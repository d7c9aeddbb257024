// Issue 22, item 1: as root (CI, most containers) from a clone inside a private folder (mode
// 0700, like mktemp -d or /root), `npm start` starts, answers, serves a CLI command and stops,
// with the default DATA_DIR inside the clone. Where PostgreSQL cannot run there (no user
// namespaces: a stand-in `unshare` that fails plays that machine), one line says why and what
// to do, and nothing is left behind. Runs only as root.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  embeddedEnv,
  freePort,
  killGroup,
  noProcessUsing,
  npmStart,
  processesUsing,
  query,
  REPO,
  scratchDir,
  startProcess,
  type AppProcess,
} from './helpers/app-process.ts';

const asRoot = process.getuid?.() === 0;
const started: AppProcess[] = [];
let privateDir: string;
let clone: string;

/** The environment of a newcomer in the clone: default DATA_DIR (.data in the clone). */
async function cloneEnv(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const env = embeddedEnv({ PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) });
  delete env.DATA_DIR;
  return { ...env, ...extra };
}

describe.skipIf(!asRoot)('as root, from a clone in a 0700 folder', () => {
  beforeAll(() => {
    // In the repository's folder, so that node_modules can be hard links (a copy takes minutes).
    privateDir = scratchDir('private-');
    chmodSync(privateDir, 0o700);
    clone = join(privateDir, 'notes-stream');
    execFileSync('mkdir', [clone]);
    const entries = ['package.json', 'tsconfig.json', 'src', 'drizzle', 'node_modules'].map((entry) => join(REPO, entry));
    execFileSync('cp', ['-al', ...entries, clone]);
  });

  afterAll(() => {
    for (const app of started) killGroup(app);
    if (!privateDir) return;
    for (const pid of processesUsing(privateDir)) process.kill(pid, 'SIGKILL');
    rmSync(privateDir, { recursive: true, force: true });
  });

  it('npm start starts, answers, serves a CLI command, and stops on Ctrl-C', { timeout: 180_000 }, async () => {
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    const env = await cloneEnv();
    const app = await npmStart(env, clone);
    started.push(app);
    expect(app.output()).toContain(join(clone, '.data', 'pg'));
    const answer = await query(app.url, '{ __typename streamingStatus { status } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.__typename).toBe('Query');

    const migrate = startProcess('npm', ['run', '--silent', 'cli', '--', 'migrate'], env, clone);
    started.push(migrate);
    expect((await migrate.exited).code, migrate.output()).toBe(0);

    app.signalGroup('SIGINT');
    await app.exited;
    await noProcessUsing(clone);
    // The private folder stayed private.
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
  });

  it('without user namespaces, one line says why it cannot run and what to do', async () => {
    const fakeBin = join(privateDir, 'no-userns-bin');
    execFileSync('mkdir', ['-p', fakeBin]);
    writeFileSync(join(fakeBin, 'unshare'), '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n', { mode: 0o755 });
    const env = await cloneEnv({ DATA_DIR: join(clone, '.data-no-userns') });
    env.PATH = `${fakeBin}:${env.PATH}`;
    const app = startProcess('npm', ['start'], env, clone);
    started.push(app);
    expect((await app.exited).code).toBe(1);
    const lines = app.output().split('\n').filter((line) => line.startsWith('notes-stream'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot reach .*private.*DATABASE_URL/);
    expect(app.output()).not.toMatch(/^\s+at /m);
    expect(processesUsing(clone)).toEqual([]);
  });
});
