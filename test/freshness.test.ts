// extensions.freshness in every GraphQL answer over HTTP: the last stream position processed and
// when its batch committed, as the database has them; cached answers keep the freshness they were
// computed with and their ETags, and give way once the stream hub has read a later batch; refused and invalid answers carry it too; subscription events
// do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { decodeStreamCursor } from '../src/streaming/realtime/cursor.ts';
import type { RunningServer } from '../src/server.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { insertSilentBatch, startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

interface Freshness {
  position: number;
  cursor: string;
  processedAt: string | null;
}
type Answer = { status: number; etag: string | null; body: { data?: unknown; errors?: unknown[]; extensions?: { freshness?: Freshness } } };

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
let plain: RunningServer;

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true });
  plain = await startTestServer(testDb); // no stream hub: freshness read from the database
});

afterAll(async () => {
  await server.stop();
  await plain.stop();
  await processor.stop();
});

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, etag: response.headers.get('etag'), body: response.status === 304 ? {} : await response.json() };
}

/** The head of the stream as the database has it. */
async function head(): Promise<{ position: number; committedAt: string | null }> {
  const { rows } = await testDb.database.pool.query<{ position: number; committedAt: Date | null }>(
    `SELECT last_position AS position, committed_at AS "committedAt" FROM streaming.batches ORDER BY batch_id DESC LIMIT 1`,
  );
  return { position: Number(rows[0]?.position ?? 0), committedAt: rows[0]?.committedAt?.toISOString() ?? null };
}

let nextNote = 500;
async function processNotes(count: number): Promise<void> {
  const notes: FixtureNote[] = Array.from({ length: count }, () => ({
    id: nextNote++,
    lat: 48.85,
    lon: 2.35,
    comments: [{ action: 'opened', at: '2025-01-01T10:00:00Z', text: 'fresh', uid: 3, user: 'three' }],
  }));
  await insertNotes(testDb.database.pool, notes);
  await waitForDrained(testDb.database.pool);
}

const STATS = '{ globalStats { opened } }';

describe('extensions.freshness', () => {
  it('is the last processed position and its commit time, before and after batches', async () => {
    const empty = await post(server.url, STATS);
    expect(empty.body.extensions?.freshness).toEqual({ position: 0, cursor: expect.any(String), processedAt: null });

    await processNotes(3);
    const expected = await head();
    expect(expected.position).toBeGreaterThan(0);
    const answer = await eventually(async () => {
      const a = await post(server.url, STATS);
      return a.body.extensions?.freshness?.position === expected.position && a;
    }, { what: 'the hub to read the batch' });
    const freshness = answer.body.extensions!.freshness!;
    expect(freshness.processedAt).toBe(expected.committedAt);
    expect(decodeStreamCursor(freshness.cursor)).toBe(expected.position);
    expect(answer.body.data).toEqual({ globalStats: { opened: 3 } });

    // Without a stream hub the server reads the same from the database.
    const fromDatabase = await eventually(async () => {
      const a = await post(plain.url, STATS);
      return a.body.extensions?.freshness?.position === expected.position && a;
    }, { what: 'the memo to expire' });
    expect(fromDatabase.body.extensions?.freshness).toEqual(freshness);
  });

  it('keeps the computed freshness with a cached answer, and 304 still confirms it', async () => {
    const query = '{ country(code: "FR") { stats { opened } } }';
    const first = await post(server.url, query);
    const second = await post(server.url, query);
    expect(first.etag).not.toBeNull();
    expect(second.etag).toBe(first.etag);
    expect(second.body).toEqual(first.body);
    expect((await post(server.url, query, { 'if-none-match': first.etag! })).status).toBe(304);

    await processNotes(2);
    const later = await head();
    const after = await eventually(async () => {
      const a = await post(server.url, query);
      return a.body.extensions?.freshness?.position === later.position && a;
    }, { what: 'a new answer after the batch' });
    expect(after.etag).not.toBe(first.etag);
    expect(after.body.data).toEqual({ country: { stats: { opened: 5 } } });
    expect((await post(server.url, query, { 'if-none-match': first.etag! })).status).toBe(200);
  });

  it('is in answers that never executed: bad input, refused and invalid operations', async () => {
    const current = (await head()).position;
    const answers = [
      await post(server.url, '{ country(code: "XX") { code } }'),
      await post(server.url, '{ notes(first: 100000) { edges { node { id } } } }'),
      await post(server.url, '{ nosuchfield }'),
      await post(server.url, '{ globalStats { '),
    ];
    expect(answers.map((a) => a.body.errors?.length)).toEqual([1, 1, 1, 1]);
    for (const answer of answers) expect(answer.body.extensions?.freshness?.position).toBe(current);
  });

  it('is not added to subscription events, which carry their own cursor', async () => {
    const client = wsClient(server.url);
    const raw: unknown[] = [];
    const stop = client.subscribe({ query: 'subscription { noteEvent { noteId } }' }, { next: (r) => raw.push(r), error: () => {}, complete: () => {} });
    await eventually(() => server.realtime!.stream.counts().events === 1, { what: 'the subscription' });
    await processNotes(1);
    await eventually(() => raw.length === 1, { what: 'the event' });
    expect(raw[0]).toEqual({ data: { noteEvent: { noteId: nextNote - 1 } } });
    stop();
    await client.dispose();
  });

  // Last: the batch row it writes by hand would hide later batches of the processor from the hub.
  it('is never served stale from the cache once the hub has read a batch, announced or not', async () => {
    const query = '{ globalStats { closed } }';
    const computed = await post(server.url, query);
    expect((await post(server.url, query)).etag).toBe(computed.etag);
    // A batch the hub reads (within its one-second poll) without a notification.
    const committed = (await insertSilentBatch(testDb.database.pool, '1 hour')).committedAt.toISOString();
    await eventually(() => server.realtime!.stream.committedAt?.toISOString() === committed, { what: 'the hub to read the batch' });
    const after = await post(server.url, query);
    expect(after.etag).not.toBe(computed.etag);
    expect(after.body.extensions?.freshness?.processedAt).toBe(committed);
  });
});
