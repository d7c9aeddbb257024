// Issue 22, items 2 and 10: however `npm start` ends — Ctrl-C, the terminal closing (SIGHUP),
// SIGTERM or SIGKILL to npm, SIGKILL of the server itself — the embedded PostgreSQL of its data
// folder stops (or the next start recovers by itself), and the next `npm start` works. A start
// on the folder of a live notes-stream says so in one line, without blaming EMBEDDED_PG_PORT.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  embeddedEnv,
  freePort,
  killGroup,
  noProcessUsing,
  npmStart,
  processesUsing,
  query,
  scratchDir,
  serverPid,
  startProcess,
  type AppProcess,
} from './helpers/app-process.ts';

const dataDir = scratchDir('lifecycle-');
const started: AppProcess[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = embeddedEnv({ DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) });
});

afterAll(() => {
  for (const app of started) killGroup(app);
  for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

// Each test starts the server and its embedded PostgreSQL once or twice; after a SIGKILL the
// next start runs crash recovery. Under the load of the whole suite one start took 17-26 s here
// (60 s, the default limit, was exceeded once in CI), so these tests get more time.
const STARTS_TIMEOUT_MS = 240_000;

function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** After Ctrl-C npm ends by the same signal; the server under it must have logged no error. */
async function stoppedCleanly(app: AppProcess) {
  const { code, signal } = await app.exited;
  expect(code === 0 || signal === 'SIGINT', `exit ${code ?? signal}`).toBe(true);
  expect(app.output()).not.toMatch(/"level":(50|60)/);
}

async function start() {
  const app = await npmStart(env);
  started.push(app);
  const answer = await query(app.url, '{ __typename }');
  expect(answer.data).toEqual({ __typename: 'Query' });
  expect(processesUsing(dataDir).length).toBeGreaterThan(0);
  return app;
}

describe('npm start on the embedded database stops its PostgreSQL however it ends', { timeout: STARTS_TIMEOUT_MS }, () => {
  it('Ctrl-C (SIGINT to the job): exit 0, no "reconnecting" warning, PostgreSQL down', async () => {
    const app = await start();
    // A terminal's Ctrl-C goes to the job's process group: PostgreSQL must not be in it, or it
    // shuts down under the server's connections while the server is still closing them.
    for (const pid of processesUsing(dataDir)) expect(processGroupOf(pid), `pid ${pid}`).not.toBe(app.child.pid);
    app.signalGroup('SIGINT');
    await stoppedCleanly(app);
    await noProcessUsing(dataDir);
    expect(app.output()).not.toMatch(/reconnect/i);
  });

  it('the terminal closing (SIGHUP to the job)', async () => {
    const app = await start();
    app.signalGroup('SIGHUP');
    await app.exited;
    await noProcessUsing(dataDir);
  });

  it('SIGTERM to npm alone', async () => {
    const app = await start();
    app.child.kill('SIGTERM');
    await app.exited;
    await noProcessUsing(dataDir);
  });

  it('SIGKILL to npm alone', async () => {
    const app = await start();
    app.child.kill('SIGKILL');
    await app.exited;
    await noProcessUsing(dataDir);
  });

  it('SIGKILL of the server process itself: the next start recovers', async () => {
    const app = await start();
    process.kill(serverPid(app.child.pid!), 'SIGKILL');
    await app.exited;
    const next = await start();
    next.signalGroup('SIGINT');
    await stoppedCleanly(next);
    await noProcessUsing(dataDir);
  });

  it('SIGKILL of the whole job, PostgreSQL included: the next start recovers', async () => {
    const app = await start();
    const postgres = processesUsing(dataDir);
    app.signalGroup('SIGKILL');
    for (const pid of postgres) process.kill(pid, 'SIGKILL');
    await app.exited;
    await noProcessUsing(dataDir);
    const next = await start();
    next.signalGroup('SIGINT');
    await stoppedCleanly(next);
  });
});

describe('a PostgreSQL left running by a killed run', { timeout: STARTS_TIMEOUT_MS }, () => {
  it('the next start refuses it while a client uses it, and replaces it when none does', async () => {
    // What an earlier version left after a kill: a postmaster with no parent-death signal and
    // no owner. Start one like it on the folder (created by the starts above).
    const { postgresBinaries } = await import('../src/db/embedded/binaries.ts');
    const { chooseRunAs } = await import('../src/db/embedded/run-as.ts');
    const { startPostmaster } = await import('../src/db/embedded/postgres-process.ts');
    const binaries = await postgresBinaries();
    const databaseDir = join(dataDir, 'pg');
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      const first = await start();
      first.signalGroup('SIGINT');
      await stoppedCleanly(first);
    }
    const orphan = await startPostmaster({
      binaries,
      runAs: chooseRunAs(binaries, databaseDir),
      databaseDir,
      port: Number(env.EMBEDDED_PG_PORT),
      flags: ['-c', 'listen_addresses=127.0.0.1'],
      dieWithParent: false,
    });
    try {
      // With a client connected it is someone's: the start refuses, in one line.
      const client = new pg.Client({ connectionString: `postgres://postgres:notes-stream@127.0.0.1:${env.EMBEDDED_PG_PORT}/postgres` });
      await client.connect();
      const refused = startProcess('npm', ['start'], env);
      started.push(refused);
      expect((await refused.exited).code).toBe(1);
      const lines = refused.output().split('\n').filter((line) => line.startsWith('notes-stream'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/in use.*1 client connection/);
      expect(lines[0]).not.toContain('EMBEDDED_PG_PORT');
      await client.end();
      // Without clients it is a leftover: the start stops it and runs its own.
      const app = await start();
      expect(processesUsing(dataDir)).not.toContain(orphan.pid);
      app.signalGroup('SIGINT');
      await stoppedCleanly(app);
      await noProcessUsing(dataDir);
    } finally {
      await orphan.stop();
    }
  });
});

describe('a second start on the data folder of a live notes-stream', { timeout: STARTS_TIMEOUT_MS }, () => {
  it('exits with one line that names the folder and the running process, not EMBEDDED_PG_PORT', async () => {
    const first = await start();
    const second = startProcess('npm', ['start'], { ...env, PORT: String(await freePort()) });
    started.push(second);
    const { code } = await second.exited;
    expect(code).toBe(1);
    const lines = second.output().split('\n').filter((line) => line.startsWith('notes-stream'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dataDir);
    expect(lines[0]).toContain('in use');
    expect(second.output()).not.toContain('EMBEDDED_PG_PORT');
    expect(second.output()).not.toMatch(/^\s+at /m);
    // The first one was not disturbed.
    expect((await query(first.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    first.signalGroup('SIGINT');
    await stoppedCleanly(first);
    await noProcessUsing(dataDir);
  });
});
