// examples/webhook-receiver.ts as a user runs it: it registers a webhook to itself, prints the
// events the server delivers (those in its box only), refuses forged, stale and unsigned
// requests, and deletes its webhook on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';
import { startProcessor } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { eventually } from './helpers/wait.ts';
import { ADMIN, note, ok } from './helpers/webhooks.ts';

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer;
let example: ChildProcess;
const output = { stdout: '', stderr: '' };

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true, env: { ADMIN_TOKEN: ADMIN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  // From the SDK's sources (the notes-stream-source condition), as the tests use it.
  example = spawn(process.execPath, ['--conditions=notes-stream-source', '--import', 'tsx', 'examples/webhook-receiver.ts', '--register', '--port', '0', '--bbox', '48,2,49,3'], {
    env: { ...process.env, NOTES_STREAM_URL: server.url, NOTES_STREAM_TOKEN: ADMIN },
  });
  example.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  example.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  await eventually(() => /registered webhook/.test(output.stderr), { what: `the example to register (${output.stderr})`, timeoutMs: 30_000 });
});

afterAll(async () => {
  example.kill('SIGKILL');
  await server.stop();
  await processor.stop();
});

describe('examples/webhook-receiver.ts', () => {
  it('prints each delivered event once and refuses requests it cannot verify', async () => {
    const target = /listening on (\S+)/.exec(output.stderr)![1]!;
    const id = /registered webhook (\S+);/.exec(output.stderr)![1]!;
    const paris = note(['a bench is missing', 'still missing']);
    const berlin = { ...note(['outside the box']), lat: 52.52, lon: 13.4 };
    await insertNotes(testDb.database.pool, [paris, berlin]);
    await eventually(() => output.stdout.split('\n').filter(Boolean).length >= 2, { what: 'two printed events' });
    const lines = output.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${id}:\\d+  note ${paris.id} #1 opened in FR: a bench is missing$`));
    expect(lines[1]).toMatch(new RegExp(`note ${paris.id} #2 commented in FR: still missing$`));

    const post = (headers: Record<string, string>, body = '{"data":null}') =>
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const now = String(Math.floor(Date.now() / 1000));
    expect((await post({ 'x-notes-stream-timestamp': now, 'x-notes-stream-signature': 'sha256=00' })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    // An hour-old timestamp is refused before the signature is even checked.
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const forged = createHmac('sha256', 'not-the-secret').update(`${stale}.{"data":null}`).digest('hex');
    expect((await post({ 'x-notes-stream-timestamp': stale, 'x-notes-stream-signature': `sha256=${forged}` })).status).toBe(401);
    expect(output.stderr).toMatch(/refused a request: bad signature/);
    expect(output.stderr).toMatch(/refused a request: timestamp too old/);
    expect(output.stdout.trim().split('\n')).toHaveLength(2);

    example.kill('SIGINT');
    await eventually(async () => (await ok<{ webhook: null }>(server.url, ADMIN, 'query($id: ID!) { webhook(id: $id) { id } }', { id })).webhook === null, {
      what: 'the example to delete its webhook',
    });
  });
});
