// A subscriber that never reads costs bounded memory and slows no one (a datamart one, which
// cannot be replayed, is ended with an error); two API instances on one
// database each deliver every event, whichever process processed it.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, streamOrder, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { collect, rawProtocolClient, wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';
import { writeConcurrently } from './helpers/writers.ts';


const testDb = useTestDatabase();
const cleanup: (() => Promise<unknown> | void)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('a subscriber that never reads', () => {
  it('holds at most its queue limit and leaves live dispatch, while another subscriber gets every event', async () => {
    const processor: Processor = await startProcessor(testDb);
    cleanup.push(() => processor.stop());
    const server: RunningServer & { realtime?: Realtime } = await startTestServer(testDb, {
      realtime: true,
      env: { SUBSCRIBER_QUEUE_LIMIT: '200' },
    });
    cleanup.push(() => server.stop());

    // A raw graphql-ws client that subscribes, then stops reading its socket.
    const { socket: stalled, subscribe } = await rawProtocolClient(server.url);
    cleanup.push(() => stalled.terminate());
    subscribe('1', 'subscription { noteEvent { noteId text username } }');
    await eventually(() => server.realtime!.stream.liveSubscribers === 1);
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();

    const reader: Client = wsClient(server.url);
    cleanup.push(() => reader.dispose());
    const fresh = collect<{ noteEvent: { noteId: number } }>(reader, 'subscription { noteEvent { noteId } }');
    await eventually(() => server.realtime!.stream.liveSubscribers === 2);

    // 4,000 comments of 8 kB each: far more than the kernel's socket buffers can hide.
    const heapBefore = process.memoryUsage().heapUsed;
    await testDb.database.pool.query(`
      INSERT INTO notes (note_id, latitude, longitude, created_at, id_country)
        SELECT n, 1, 1, now(), (SELECT country_id FROM countries WHERE iso_a2 = 'ZZ') FROM generate_series(1, 4000) n;
      INSERT INTO note_comments (note_id, sequence_action, event, created_at)
        SELECT n, 1, 'opened', now() FROM generate_series(1, 4000) n;
      INSERT INTO note_comments_text (note_id, sequence_action, body)
        SELECT n, 1, repeat('x', 8000) FROM generate_series(1, 4000) n;`);
    await waitForDrained(testDb.database.pool, 60_000);
    await eventually(() => fresh.items.length === 4_000, { timeoutMs: 30_000, what: 'the reading subscriber to get every event' });

    // The stalled stream holds at most its limit and is no longer offered live events; the
    // reading one is live. (The stalled one would replay from its last event if it read again.)
    const streams = server.realtime!.stream.streams();
    expect(streams).toHaveLength(2);
    const stalledStream = streams.find((s) => !s.isLive)!;
    expect(stalledStream, 'the stalled stream left live dispatch').toBeDefined();
    expect(stalledStream.queued).toBeLessThanOrEqual(200);
    expect(streams.filter((s) => s.isLive)).toHaveLength(1);
    expect(fresh.errors).toEqual([]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
    fresh.stop();
  });
});

describe('a datamart subscriber that stops reading', () => {
  it('is ended with a clear error past its queue limit, while events on its socket are replayed in full', async () => {
    const processor = await startProcessor(testDb);
    cleanup.push(() => processor.stop());
    const server: RunningServer & { realtime?: Realtime } = await startTestServer(testDb, {
      realtime: true,
      env: { SUBSCRIBER_QUEUE_LIMIT: '2' },
    });
    cleanup.push(() => server.stop());
    const { socket, frames, subscribe } = await rawProtocolClient(server.url);
    cleanup.push(() => socket.terminate());
    // Large note events fill the socket while the client does not read, and the datamart
    // updates of the same batches pile up behind them: unlike events, they cannot be replayed.
    subscribe('events', 'subscription { noteEvent { noteId text } }');
    subscribe('global', 'subscription { datamartUpdated(scope: GLOBAL) { batchId } }');
    await eventually(() => server.realtime!.stream.liveSubscribers === 2);
    const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();

    // Twenty transactions of 100 notes with 8 kB texts: at least twenty batches, 16 MB of frames.
    const notes: FixtureNote[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: 10_001 + i,
      lat: 0,
      lon: 0,
      comments: [{ action: 'opened', at: '2025-06-01T12:00:00Z', text: `${i} `.padEnd(8_000, 'y') }],
    }));
    for (let k = 0; k < 20; k++) await insertNotes(testDb.database.pool, notes.slice(k * 100, k * 100 + 100));
    await waitForDrained(testDb.database.pool, 60_000);
    raw.resume();

    const ended = await eventually(() => frames.find((f) => f.id === 'global' && f.type === 'error'), {
      timeoutMs: 30_000,
      what: 'the datamart subscription to be ended',
    });
    expect(JSON.stringify(ended.payload)).toMatch(/fell more than 2 events behind and was stopped/);
    const events = await eventually(
      () => {
        const next = frames.filter((f) => f.id === 'events' && f.type === 'next');
        return next.length === notes.length ? next : undefined;
      },
      { timeoutMs: 30_000, what: 'every note event on the same socket' },
    );
    // In stream (commit) order, which with concurrent batches need not be the order written.
    expect(events.map((f) => [(f.payload as { data: { noteEvent: { noteId: number } } }).data.noteEvent.noteId, 1])).toEqual(
      await streamOrder(testDb.database.pool, notes),
    );
    expect(frames.filter((f) => f.id === 'events' && f.type !== 'next')).toEqual([]);
  });
});

function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: testDb.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
  });
  cleanup.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return eventually(() => stderr.match(/GraphiQL at (\S+)/)?.[1], { timeoutMs: 60_000, what: 'a child server' }).then(
    (url) => ({ child, url }),
  );
}

/** The instance's notes_stream_subscriptions{kind="events"} gauge, from /metrics. */
async function openEventSubscriptions(graphqlUrl: string): Promise<number> {
  const metrics = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  return Number(/^notes_stream_subscriptions\{kind="events"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

describe('two API instances on one database', () => {
  it('deliver every event on both, whichever process processed it', async () => {
    await testDb.database.pool.query('DELETE FROM streaming.processors');
    const [a, b] = await Promise.all([startChild({ ROLE: 'all' }), startChild({ ROLE: 'api' })]);
    const clientA = wsClient(a.url);
    const clientB = wsClient(b.url);
    cleanup.push(() => clientA.dispose(), () => clientB.dispose());
    const query = 'subscription { factProcessed(filter: { countries: ["FR", "DE"] }) { noteId sequenceAction position } }';
    const onA = collect<{ factProcessed: { position: number } }>(clientA, query);
    const onB = collect<{ factProcessed: { position: number } }>(clientB, query);
    await eventually(async () => (await openEventSubscriptions(a.url)) === 1 && (await openEventSubscriptions(b.url)) === 1, {
      what: 'both instances to hold the subscription',
    });

    const written = await writeConcurrently(testDb.url, { writers: 2, comments: 1_000, firstNoteId: 3_000_000 });
    await waitForDrained(testDb.database.pool);
    const { rows } = await testDb.database.pool.query(
      `SELECT count(*)::int AS n FROM streaming.events e JOIN notes n USING (note_id)
       JOIN countries c ON c.country_id = n.id_country
       WHERE e.note_id >= 3000000 AND c.iso_a2 IN ('FR', 'DE')`,
    );
    expect(written).toBe(1_000);
    await eventually(() => onA.items.length === rows[0].n && onB.items.length === rows[0].n, {
      timeoutMs: 30_000,
      what: 'both instances to deliver every event',
    });
    expect(onB.items).toEqual(onA.items);
    const processors = await testDb.database.pool.query('SELECT DISTINCT processor_id FROM streaming.batches b JOIN streaming.events e ON e.position BETWEEN b.first_position AND b.last_position WHERE e.note_id >= 3000000');
    expect(processors.rowCount).toBeGreaterThanOrEqual(1);
    onA.stop();
    onB.stop();
  });
});
