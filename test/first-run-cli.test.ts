// Issue 22, items 3 and 6. CLI commands run while `npm start` serves the embedded database use
// that server (no second PostgreSQL on the same folder), and the start-up prints the database's
// URL for one's own tools. A busy HTTP port stops `npm start` at once, in one line naming PORT,
// before anything (the embedded database included) has started.
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
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
  startProcess,
  type AppProcess,
} from './helpers/app-process.ts';

const dataDir = scratchDir('cli-');
const started: AppProcess[] = [];

afterAll(() => {
  for (const app of started) killGroup(app);
  for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  const command = startProcess('npm', ['run', '--silent', 'cli', '--', ...args], env);
  started.push(command);
  const { code } = await command.exited;
  return { code, output: command.output() };
}

describe('CLI commands while npm start runs on the embedded database', () => {
  let env: NodeJS.ProcessEnv;
  let server: AppProcess & { url: string };

  beforeAll(async () => {
    env = embeddedEnv({ DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) });
    server = await npmStart(env);
    started.push(server);
  });

  afterAll(async () => {
    server.signalGroup('SIGINT');
    await server.exited;
    await noProcessUsing(dataDir);
  });

  it('prints the database URL at start-up, and it connects with the documented password', async () => {
    const url = server.output().match(/embedded PostgreSQL at (postgres:\/\/\S+)/)?.[1];
    expect(url).toBe(`postgres://postgres:notes-stream@127.0.0.1:${env.EMBEDDED_PG_PORT}/notes_stream`);
    expect(server.output()).toContain(`psql "${url}"`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ database: string }>('SELECT current_database() AS database');
      expect(rows[0]!.database).toBe('notes_stream');
    } finally {
      await client.end();
    }
  });

  it('import uses the running server: the notes it stores are served at once', async () => {
    const dump = join(dataDir, 'generated.osn.xml');
    const generated = await cli(env, 'generate', '--dump', dump, '--comments', '40');
    expect(generated.code, generated.output).toBe(0);
    const postmasters = processesUsing(join(dataDir, 'pg')).length;

    const imported = await cli(env, 'import', dump, '--quiet');
    expect(imported.code, imported.output).toBe(0);
    expect(processesUsing(join(dataDir, 'pg'))).toHaveLength(postmasters);

    const answer = await query(server.url, '{ notes(first: 100) { edges { node { id } } } }');
    expect(answer.errors).toBeUndefined();
    const edges = (answer.data!.notes as { edges: unknown[] }).edges;
    expect(edges.length).toBeGreaterThan(0);
  });

  it('migrate and rebuild-datamarts use it too', async () => {
    for (const args of [['migrate'], ['rebuild-datamarts']]) {
      const result = await cli(env, ...args);
      expect(result.code, `${args.join(' ')}: ${result.output}`).toBe(0);
    }
  });
});

describe('npm start on a busy HTTP port', () => {
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('exits at once with one line naming PORT and the port, before the database starts', async () => {
    const freshDir = join(dataDir, 'busy-port');
    const env = embeddedEnv({ DATA_DIR: freshDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()) });
    const app = startProcess('npm', ['start'], env);
    started.push(app);
    const { code } = await app.exited;
    expect(code).toBe(1);
    const lines = app.output().split('\n').filter((line) => line.startsWith('notes-stream'));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^notes-stream: PORT ${port} is already in use`))]);
    expect(app.output()).not.toMatch(/^\s+at /m);
    expect(app.output()).not.toContain('EMBEDDED_PG_PORT');
    // Nothing started: the embedded database was never initialised.
    expect(existsSync(join(freshDir, 'pg'))).toBe(false);
  });
});
