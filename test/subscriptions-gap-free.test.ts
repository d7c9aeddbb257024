// The promise: while 8 writers insert 20,000 comments, a client that disconnects and resumes
// three times, across two killed LISTEN connections of the server, sees every event exactly
// once, in commit (stream position) order.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { collect, wsClient, type Collected } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';
import { writeConcurrently } from './helpers/writers.ts';

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
let client: Client;

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true });
  client = wsClient(server.url);
});

afterAll(async () => {
  await client.dispose();
  await server.stop();
  await processor.stop();
});

type Event = { noteEvent: { noteId: number; sequenceAction: number; position: number; cursor: string } };
const QUERY = 'subscription($after: String) { noteEvent(after: $after) { noteId sequenceAction position cursor } }';
const TOTAL = 20_000;

describe('gap-free delivery', () => {
  it('delivers every event exactly once, in commit order, across client and LISTEN reconnects', async () => {
    const seen: Event['noteEvent'][] = [];
    let current: Collected<Event> = collect<Event>(client, QUERY);
    await eventually(() => server.realtime!.stream.liveSubscribers === 1, { what: 'the subscriber to be live' });
    const harvest = () => seen.push(...current.items.splice(0).map((i) => i.noteEvent));

    const milestones = [
      { at: 3_000, action: 'resume' },
      { at: 6_000, action: 'kill' },
      { at: 9_000, action: 'resume' },
      { at: 12_000, action: 'kill' },
      { at: 15_000, action: 'resume' },
    ];
    let written = 0;
    const writing = writeConcurrently(testDb.url, { writers: 8, comments: TOTAL, onProgress: (n) => (written = n) });
    let kills = 0;
    for (const milestone of milestones) {
      await eventually(() => written >= milestone.at, { timeoutMs: 60_000, what: `${milestone.at} writes` });
      if (milestone.action === 'resume') {
        current.stop();
        harvest();
        const after = seen.at(-1)?.cursor ?? null;
        current = collect<Event>(client, QUERY, { after });
      } else {
        const pid = server.realtime!.pubsub.backendPid();
        expect(pid).not.toBeNull();
        await testDb.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
        kills++;
        await eventually(() => server.realtime!.pubsub.reconnects === kills, { timeoutMs: 30_000, what: 'pubsub to reconnect' });
      }
    }
    expect(await writing).toBe(TOTAL);
    await waitForDrained(testDb.database.pool, 120_000);
    await eventually(() => seen.length + current.items.length >= TOTAL, { timeoutMs: 60_000, what: 'every event' });
    current.stop();
    harvest();

    expect(current.errors).toEqual([]);
    expect(seen).toHaveLength(TOTAL);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.position).toBeGreaterThan(seen[i - 1]!.position);
    const { rows } = await testDb.database.pool.query(
      `SELECT note_id AS "noteId", sequence_action AS "sequenceAction", position
       FROM streaming.events WHERE kind = 'comment' ORDER BY position`,
    );
    expect(seen.map(({ cursor: _c, ...e }) => e)).toEqual(rows);
  });
});
