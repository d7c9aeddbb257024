// Webhook delivery across restarts and processes: a clean restart mid-backlog delivers every
// event exactly once, in order; a crash (SIGKILL of a server process) loses nothing, the next
// process taking over when the lease runs out; two API processes on one database never both
// deliver a webhook.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, streamOrder, type FixtureNote } from './helpers/notes.ts';
import { startProcessor } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { eventually } from './helpers/wait.ts';
import { WebhookReceiver } from './helpers/webhook-receiver.ts';
import { actions, ADMIN, note, ok, register, state, type NoteEventBody } from './helpers/webhooks.ts';

const testDb = useTestDatabase();
let processor: Processor;
const receivers: WebhookReceiver[] = [];
const ENV = { ADMIN_TOKEN: ADMIN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_LEASE_SECONDS: '2', WEBHOOK_RETRY_BASE_MS: '50' };

beforeAll(async () => {
  processor = await startProcessor(testDb);
});

afterAll(async () => {
  await processor.stop();
  await Promise.all(receivers.map((r) => r.stop()));
});

type Server = RunningServer & { realtime?: Realtime };
const startServer = (): Promise<Server> => startTestServer(testDb, { realtime: true, env: ENV });

async function receiver(delayMs = 0): Promise<WebhookReceiver> {
  const r = await WebhookReceiver.start();
  r.delayMs = delayMs;
  receivers.push(r);
  return r;
}

/** `count` notes of two actions each. */
function backlog(count: number): FixtureNote[] {
  return Array.from({ length: count }, (_, i) => note([`backlog ${i}`, `comment ${i}`]));
}

/** The (note, sequence) stream order of the notes' actions, once all `count` are in the stream. */
const orderOnceWritten = (notes: FixtureNote[], count: number) =>
  eventually(async () => {
    const order = await streamOrder(testDb.database.pool, notes);
    return order.length === count && order;
  });

const positionsOf = (hooks: WebhookReceiver, id: string) => hooks.events<NoteEventBody>(id).map((b) => b.data.noteEvent.position);

describe('webhook durability', () => {
  it('a clean restart mid-backlog delivers every event exactly once, in order', async () => {
    const hooks = await receiver(5);
    const notes = backlog(60);
    let server = await startServer();
    const id = await register(server.url, hooks, { filter: { noteIds: notes.map((n) => n.id) } });
    await insertNotes(testDb.database.pool, notes);
    const expected = await orderOnceWritten(notes, 120);
    await eventually(() => hooks.accepted(id).length >= 30, { what: 'part of the backlog' });
    await server.stop();
    const before = hooks.accepted(id).length;
    expect(before).toBeLessThan(120);
    // What the stopped server acknowledged is stored: the cursor is the last accepted event's.
    server = await startServer();
    try {
      expect((await state(server.url, id)).cursor).toBe(hooks.events<NoteEventBody>(id).at(-1)!.data.noteEvent.cursor);
      await eventually(() => hooks.accepted(id).length >= 120, { what: 'the rest of the backlog', timeoutMs: 30_000 });
      expect(actions(hooks.events<NoteEventBody>(id))).toEqual(expected);
      expect(hooks.of(id).filter((r) => r.status === 0)).toEqual([]);
      expect(hooks.accepted(id).every((r) => r.signatureValid)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('a crash (SIGKILL) mid-backlog loses nothing: the next process resumes from the stored cursor', async () => {
    const hooks = await receiver(5);
    const notes = backlog(60);
    const child = await startServerProcess();
    let survivor: Server | undefined;
    try {
      const id = await register(child.url, hooks, { filter: { noteIds: notes.map((n) => n.id) } });
      await insertNotes(testDb.database.pool, notes);
      const storedCursor = async () =>
        Number((await testDb.database.pool.query('SELECT cursor FROM webhooks.webhooks WHERE id = $1', [id])).rows[0].cursor);
      const registeredAt = await storedCursor();
      // Killed once the process has written some progress and delivered more since.
      await eventually(async () => hooks.accepted(id).length >= 30 && (await storedCursor()) > registeredAt, { what: 'part of the backlog, stored' });
      child.process.kill('SIGKILL');
      await new Promise((resolve) => child.process.once('exit', resolve));
      const acceptedBeforeCrash = new Set(positionsOf(hooks, id));
      const storedAtCrash = await storedCursor();
      expect(acceptedBeforeCrash.size).toBeLessThan(120);

      survivor = await startServer();
      const expected = await streamOrder(testDb.database.pool, notes);
      await eventually(() => new Set(positionsOf(hooks, id)).size >= 120, { what: 'the backlog after the crash', timeoutMs: 30_000 });
      const positions = positionsOf(hooks, id);
      // Nothing lost, first deliveries in stream order. Repeats are exactly the events the crashed
      // process delivered after its last write of the cursor (it writes every 250 ms): none at or
      // before the stored cursor.
      const firsts = positions.filter((p, i) => positions.indexOf(p) === i);
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
      const bodies = hooks.events<NoteEventBody>(id);
      const firstBodies = bodies.filter((b, i) => positions.indexOf(b.data.noteEvent.position) === i);
      expect(actions(firstBodies)).toEqual(expected);
      const repeats = positions.filter((p, i) => positions.indexOf(p) !== i);
      expect(repeats.sort((a, b) => a - b)).toEqual([...acceptedBeforeCrash].filter((p) => p > storedAtCrash).sort((a, b) => a - b));
    } finally {
      child.process.kill('SIGKILL');
      await survivor?.stop();
    }
  });

  it('connections to PostgreSQL cut mid-backlog: nothing is lost, delivery goes on', async () => {
    const hooks = await receiver(5);
    const notes = backlog(60);
    const server = await startServer();
    try {
      const id = await register(server.url, hooks, { filter: { noteIds: notes.map((n) => n.id) } });
      await insertNotes(testDb.database.pool, notes);
      const expected = await orderOnceWritten(notes, 120);
      await eventually(() => hooks.accepted(id).length >= 20, { what: 'part of the backlog' });
      // Every other session of this database: the server's pools, its LISTEN connection, the processor's.
      const { rows } = await testDb.database.pool.query(
        `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      expect(rows[0].cut).toBeGreaterThan(0);
      await eventually(() => new Set(positionsOf(hooks, id)).size >= 120, { what: 'the rest of the backlog', timeoutMs: 60_000 });
      const positions = positionsOf(hooks, id);
      const firsts = positions.filter((p, i) => positions.indexOf(p) === i);
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
      const bodies = hooks.events<NoteEventBody>(id).filter((b, i) => positions.indexOf(b.data.noteEvent.position) === i);
      expect(actions(bodies)).toEqual(expected);
      await eventually(async () => (await state(server.url, id)).cursor === bodies.at(-1)!.data.noteEvent.cursor, { what: 'the stored cursor' });
    } finally {
      await server.stop();
    }
  });

  it('a delivery loop stopped by a database error starts again from where it got', async () => {
    const hooks = await receiver();
    const first = note(['before', 'the error']);
    const server = await startServer();
    const pool = testDb.database.pool;
    try {
      const id = await register(server.url, hooks, { filter: { noteIds: [first.id] } });
      hooks.answer = { status: 500 };
      // Held first: the claim reads the column too, and a webhook never claimed has no loop to stop.
      await eventually(
        async () => (await pool.query('SELECT lease_until > now() AS held FROM webhooks.webhooks WHERE id = $1', [id])).rows[0]?.held === true,
        { what: 'the server to hold the webhook' },
      );
      // Recording the failure will fail: the column it writes is gone for a moment.
      await pool.query('ALTER TABLE webhooks.webhooks RENAME COLUMN last_error TO last_error_hidden');
      try {
        await insertNotes(pool, [first]);
        // The loop restarts after an error and may meet it again before the column is back.
        await eventually(async () => loopErrors(await (await fetch(new URL('/metrics', server.url))).text()) >= 1, {
          what: 'the delivery loop to stop on the error',
        });
        expect(hooks.of(id).length).toBeGreaterThanOrEqual(1);
      } finally {
        await pool.query('ALTER TABLE webhooks.webhooks RENAME COLUMN last_error_hidden TO last_error');
      }
      hooks.answer = 'ok';
      await eventually(() => hooks.accepted(id).length >= 2, { what: 'delivery to start again' });
      expect(actions(hooks.events<NoteEventBody>(id))).toEqual(await streamOrder(pool, [first]));
    } finally {
      await server.stop();
    }
  });

  it('two API processes on one database: each webhook is delivered by one of them, once per event', async () => {
    const hooks = await receiver();
    const a = await startServer();
    const b = await startServer();
    try {
      const notes = backlog(10);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(await register(i % 2 === 0 ? a.url : b.url, hooks, { filter: { noteIds: notes.map((n) => n.id) } }));
      await insertNotes(testDb.database.pool, notes);
      const expected = await orderOnceWritten(notes, 20);
      await eventually(() => ids.every((id) => hooks.accepted(id).length >= 20), { what: 'every webhook to get every event' });
      // Both processes had every webhook's events in their stream hubs; one delivered each.
      for (const id of ids) {
        expect(actions(hooks.events<NoteEventBody>(id))).toEqual(expected);
        expect(hooks.of(id)).toHaveLength(20);
      }
      const holders = await ok<{ webhooks: { edges: { node: { deliveringProcess: string | null } }[] } }>(
        a.url,
        ADMIN,
        '{ webhooks(first: 100) { edges { node { deliveringProcess } } } }',
      );
      expect(holders.webhooks.edges.every((e) => e.node.deliveringProcess !== null)).toBe(true);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

/** `npm start` as its own process (ROLE=api), for a real crash; resolves once it listens. */
async function startServerProcess(): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...ENV, DATABASE_URL: testDb.url, ROLE: 'api', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_FEED: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /GraphiQL at (\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}): ${stderr}`)));
  });
  return { process: child, url };
}

function loopErrors(metrics: string): number {
  return Number(/^notes_stream_webhook_loop_errors_total (\d+)$/m.exec(metrics)?.[1] ?? 0);
}
