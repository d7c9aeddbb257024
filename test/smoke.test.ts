// A newcomer's `npm start`: no DATABASE_URL, so an embedded PostgreSQL starts under DATA_DIR;
// the server answers, is ready, and exits cleanly on Ctrl-C (SIGINT) within 5 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/app-process.ts';
import { eventually } from './helpers/wait.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'notes-stream-smoke-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with the embedded database', () => {
  it('serves GraphQL, reports ready, and stops on SIGINT within 5 s', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEMO_FEED: 'off' };
    delete env.DATABASE_URL;
    env.EMBEDDED_PG_PORT = String(await freePort());
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const url = await Promise.race([
      eventually(() => stderr.match(/GraphiQL at (\S+)/)?.[1], { timeoutMs: 60_000, what: 'start-up' }),
      exited.then((code) => {
        throw new Error(`exited with ${code} before it was ready: ${stderr}`);
      }),
    ]);

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' }, extensions: { freshness: expect.any(Object) } });
    const ready = await fetch(url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);

    const started = Date.now();
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
