// The read API's response cache against a running server, a processor and real PostgreSQL:
// warehouse answers are served from memory until a processed batch (announced, or read by the
// stream hub), a datamart rebuild or a reconnect of the LISTEN connection says the warehouse may
// have changed; base-table and live
// fields are never cached; ETags confirm only current answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import type { RunningServer } from '../src/server.ts';
import { rebuildDatamarts } from '../src/streaming/processor/admin.ts';
import { GenerationCache, WarehouseGeneration } from '../src/http/response-cache.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { insertSilentBatch, startProcessor, waitForDrained } from './helpers/processor.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true });
});

afterAll(async () => {
  await server.stop();
  await processor.stop();
});

let nextNote = 9000;
function parisNote(texts: string[]): FixtureNote {
  const actions = ['opened', 'commented', 'closed'] as const;
  return {
    id: nextNote++,
    lat: 48.85,
    lon: 2.35,
    comments: texts.map((text, i) => ({ action: actions[Math.min(i, 2)]!, at: `2025-05-0${i + 1}T10:00:00Z`, text, uid: 7, user: 'seven' })),
  };
}

const FRANCE = '{ country(code: "FR") { stats { opened commented } } }';
type France = { country: { stats: { opened: number; commented: number } } };

const opened = async () => (await graphql<France>(server.url, FRANCE)).data!.country.stats.opened;

/** Changes France's datamart row behind the processor's back: no notification. */
async function setOpenedSilently(value: number) {
  await testDb.database.pool.query(
    `UPDATE dwh.datamart_countries m SET history_whole_open = $1
     FROM dwh.dimension_countries d WHERE d.dimension_country_id = m.dimension_country_id AND d.iso_a2 = 'FR'`,
    [value],
  );
}

async function processed(notes: FixtureNote[]) {
  await insertNotes(testDb.database.pool, notes);
  await waitForDrained(testDb.database.pool);
}

describe('the response cache', () => {
  it('serves a repeated warehouse query from memory until a processed batch changes the warehouse', async () => {
    await processed([parisNote(['first'])]);
    await eventually(async () => (await opened()) === 1, { what: 'the first note in the datamart' });

    // Served from memory: a change no processor made (and so nobody announced) is not seen.
    await setOpenedSilently(500);
    expect(await opened()).toBe(1);
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(Number(metrics.match(/^notes_stream_response_cache_lookups_total\{result="hit"\} (\d+)$/m)?.[1])).toBeGreaterThan(0);
    expect(Number(metrics.match(/^notes_stream_response_cache_bytes (\d+)$/m)?.[1])).toBeGreaterThan(0);

    // A processed batch announces itself (fact_processed): the next answer is read afresh and
    // includes both the silent change and the new note.
    await processed([parisNote(['second'])]);
    await eventually(async () => (await opened()) === 501, { what: 'an answer read after the batch' });
  });

  it('is dropped when the datamarts are rebuilt', async () => {
    const before = await opened();
    await setOpenedSilently(before + 1000);
    expect(await opened()).toBe(before);
    await rebuildDatamarts(testDb.database.pool);
    // The rebuild recomputes the row from the facts, so the silent change is gone as well.
    const { rows } = await testDb.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dwh.facts f JOIN dwh.dimension_countries d ON d.dimension_country_id = f.dimension_id_country
       WHERE d.iso_a2 = 'FR' AND f.action_comment = 'opened'`,
    );
    await eventually(async () => (await opened()) === rows[0]!.n, { what: 'the rebuilt figure' });
  });

  it('is bypassed while the LISTEN connection is down, and dropped when it is back', async () => {
    const pubsub = server.realtime!.pubsub;
    const before = await opened();
    await setOpenedSilently(before + 70);
    expect(await opened()).toBe(before);
    const reconnects = pubsub.reconnects;
    await testDb.database.pool.query('SELECT pg_terminate_backend($1)', [pubsub.backendPid()]);
    await eventually(() => !pubsub.connected, { what: 'the lost connection to be noticed' });
    expect(await opened()).toBe(before + 70);
    await eventually(() => pubsub.reconnects > reconnects, { timeoutMs: 20_000, what: 'the reconnect' });
    expect(await opened()).toBe(before + 70);
    await rebuildDatamarts(testDb.database.pool);
  });

  it('never caches base-table notes or the processor state', async () => {
    const note = parisNote(['a base-table read']);
    await processed([note]);
    const query = `{ note(id: ${note.id}) { comments { text } } }`;
    type Answer = { note: { comments: { text: string }[] } };
    const first = (await graphql<Answer>(server.url, query)).data!;
    expect(first.note.comments.map((c) => c.text)).toEqual(['a base-table read']);

    // A comment written with triggers bypassed: nothing is notified, nothing is queued.
    const client = await testDb.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL session_replication_role = replica`);
      await client.query(
        `INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user) VALUES ($1, 2, 'commented', '2025-05-09T10:00:00Z', NULL)`,
        [note.id],
      );
      await client.query(`INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES ($1, 2, 'written quietly')`, [note.id]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const second = (await graphql<Answer>(server.url, query)).data!;
    expect(second.note.comments.map((c) => c.text)).toEqual(['a base-table read', 'written quietly']);

    const checkedAt = async () =>
      (await graphql<{ streamingStatus: { checkedAt: string } }>(server.url, '{ streamingStatus { checkedAt } globalStats { opened } }')).data!
        .streamingStatus.checkedAt;
    const earlier = await checkedAt();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await checkedAt()).not.toBe(earlier);
  });

  it('answers If-None-Match with 304 for the current answer only', async () => {
    const post = (headers: Record<string, string> = {}) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query: FRANCE }),
      });
    const first = await post();
    await first.text();
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^[\w-]{8}\.\d+\.\d{4}-\d{2}-\d{2}\./);
    const again = await post({ 'if-none-match': etag! });
    expect(again.status).toBe(304);

    await processed([parisNote(['makes the etag old'])]);
    await eventually(
      async () => {
        const response = await post({ 'if-none-match': etag! });
        await response.text();
        return response.status === 200 && response.headers.get('etag') !== etag;
      },
      { what: 'a fresh answer for the old ETag' },
    );
  });

  it('leaves queries sent over the WebSocket to be executed', async () => {
    const client = wsClient(server.url);
    try {
      const ask = () =>
        new Promise<unknown>((resolve, reject) => {
          let answer: unknown;
          client.subscribe({ query: FRANCE }, { next: (value) => (answer = value), error: reject, complete: () => resolve(answer) });
        });
      const before = await opened();
      expect(await ask()).toEqual({ data: { country: { stats: { opened: before, commented: expect.any(Number) } } }, extensions: { freshness: expect.any(Object) } });
      await setOpenedSilently(before + 3);
      expect(await ask()).toEqual({ data: { country: { stats: { opened: before + 3, commented: expect.any(Number) } } }, extensions: { freshness: expect.any(Object) } });
      await rebuildDatamarts(testDb.database.pool);
    } finally {
      await client.dispose();
    }
  });

  // Last: the batch row it writes by hand would hide later batches of the processor from the hub.
  it('is dropped when the stream hub reads a batch that no notification announced', async () => {
    const before = await opened();
    await setOpenedSilently(before + 40);
    expect(await opened()).toBe(before); // from memory

    // The hub finds the batch at its next poll; answers after that read the warehouse again.
    const { batchId } = await insertSilentBatch(testDb.database.pool);
    await eventually(() => server.realtime!.stream.batchId === batchId, { what: 'the hub to poll the batch' });
    expect(await opened()).toBe(before + 40);
  });
});

describe('GenerationCache', () => {
  const result = { data: { x: 1 } };

  it('holds at most its size in answers (as JSON), least recently used out first', async () => {
    const generation = new WarehouseGeneration(() => Date.UTC(2026, 10, 23));
    const prefix = generation.prefix();
    const size = JSON.stringify(result).length;
    const cache = new GenerationCache(generation, size * 2);
    await cache.set(`${prefix}a`, result, [], Infinity);
    await cache.set(`${prefix}b`, result, [], Infinity);
    await cache.get(`${prefix}a`);
    await cache.set(`${prefix}c`, result, [], Infinity);
    expect(cache.size).toBe(size * 2);
    expect(await cache.get(`${prefix}b`)).toBeUndefined();
    expect(await cache.get(`${prefix}a`)).toEqual(result);
    expect(await cache.get(`${prefix}c`)).toEqual(result);
    // An answer larger than the whole cache is not kept.
    await cache.set(`${prefix}big`, { data: { x: 'x'.repeat(size * 2) } }, [], Infinity);
    expect(await cache.get(`${prefix}big`)).toBeUndefined();
  });

  it('gives each process its own keys', () => {
    const now = () => Date.UTC(2026, 10, 23);
    expect(new WarehouseGeneration(now).prefix()).not.toBe(new WarehouseGeneration(now).prefix());
  });

  it('keeps answers of the current generation and day only', async () => {
    let now = Date.UTC(2026, 10, 23, 23, 59, 0);
    const generation = new WarehouseGeneration(() => now);
    const cache = new GenerationCache(generation, 1000);
    const key = `${generation.prefix()}k`;
    await cache.set(key, result, [], Infinity);
    expect(await cache.get(key)).toEqual(result);

    // The next UTC day: backlog and last-year activity have moved, so yesterday's answers go.
    now += 60_000;
    expect(generation.prefix()).not.toBe(key.slice(0, -1));
    expect(await cache.get(key)).toBeUndefined();

    const today = `${generation.prefix()}k`;
    await cache.set(today, result, [], Infinity);
    generation.advance();
    expect(await cache.get(today)).toBeUndefined();
    // A late write of an answer computed before the change is refused.
    await cache.set(today, result, [], Infinity);
    expect(await cache.get(today)).toBeUndefined();
  });
});
