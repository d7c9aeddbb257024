// The OSM API poller against a local HTTP server: it stores exactly what the answers hold,
// only once, keeps its high-water mark in the database, and survives HTTP errors, Retry-After,
// dropped connections and malformed answers without writing anything partial.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { pollOnce, type PollOutcome } from '../src/ingest/api-poller.ts';
import { startPoller } from '../src/ingest/poll-daemon.ts';
import { backoffDelay, retryAfterMs } from '../src/ingest/poll-schedule.ts';
import { readPollState } from '../src/ingest/sync-state.ts';
import { FakeApi } from './fixtures/ingest/api-server.ts';
import { clearBaseTables, snapshot } from './fixtures/ingest/base-tables.ts';
import { useTestDatabase } from './helpers/database.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
const file = (name: string) => readFileSync(new URL(`./fixtures/ingest/${name}`, import.meta.url), 'utf8');
const PAGE_1 = file('api-page-1.xml');
const PAGE_2 = file('api-page-2.xml');
const SINCE = '2024-02-01T00:00:00Z';
let api: FakeApi;

beforeAll(async () => {
  api = await FakeApi.start();
});
afterAll(async () => {
  await api.close();
});
beforeEach(async () => {
  await clearBaseTables(testDb.database.pool);
  api.queue = [];
  api.requests.length = 0;
});

const poll = () => pollOnce({ pool: testDb.database.pool, apiUrl: api.url, since: SINCE });

function expectFailure(outcome: PollOutcome, kind: string) {
  expect(outcome.ok).toBe(false);
  if (!outcome.ok) expect(outcome.kind).toBe(kind);
  return outcome as Extract<PollOutcome, { ok: false }>;
}

describe('pollOnce', () => {
  it('asks for notes updated since the mark, oldest first, closed ones included', async () => {
    api.queue = [{ body: PAGE_1 }];
    await poll();
    const request = api.requests[0]!;
    expect(request.pathname).toBe('/api/0.6/notes/search.xml');
    expect(Object.fromEntries(request.searchParams)).toEqual({
      limit: '10000', closed: '-1', sort: 'updated_at', order: 'oldest', from: SINCE,
    });
  });

  it('stores the notes and comments of an answer and moves the mark to its newest update', async () => {
    api.queue = [{ body: PAGE_1 }];
    const outcome = await poll();
    expect(outcome).toMatchObject({ ok: true, notes: 2, notesInserted: 2, commentsInserted: 4, nextSince: '2024-03-03T08:00:00Z' });
    const { notes, comments, users } = await snapshot(testDb.database.pool);
    expect(notes.map((n) => [n.note_id, n.status, n.closed_at, n.iso])).toEqual([
      [201, 'open', null, 'AT'],
      [202, 'close', '2024-03-03T08:00:00Z', 'ES'],
    ]);
    expect(comments.map((c) => [c.note_id, c.seq, c.event, c.id_user, c.body])).toEqual([
      [201, 1, 'opened', 2001, 'Spielplatz wurde entfernt\n#EveryDoor'],
      [201, 2, 'commented', null, 'Stimmt & danke'],
      [202, 1, 'opened', 2002, 'La tienda ha cerrado #MapComplete #notes'],
      [202, 2, 'closed', 2001, ''],
    ]);
    expect(users).toEqual([{ user_id: 2001, username: 'wien_mapper' }, { user_id: 2002, username: 'madrileño' }]);
    expect(await readPollState(testDb.database.pool)).toMatchObject({ since: '2024-03-03T08:00:00Z', notes: 2, comments: 4 });
  });

  it('cuts comment texts longer than MAX_COMMENT_LENGTH characters, as import does, and says so', async () => {
    // 16 characters, two of them outside the Basic Multilingual Plane (two UTF-16 units each).
    api.queue = [{ body: PAGE_1.replace('Stimmt &amp; danke', 'Stimmt 🛝 danke 🌳') }];
    const outcome = await pollOnce({ pool: testDb.database.pool, apiUrl: api.url, since: SINCE, maxCommentLength: 8 });
    // "Spielplatz wurde entfernt\n#EveryDoor" (36), "Stimmt 🛝 danke 🌳" (16), "La tienda … #notes" (40).
    expect(outcome).toMatchObject({ ok: true, commentsInserted: 4, commentsCut: 3, charactersCut: 28 + 8 + 32 });
    const { comments } = await snapshot(testDb.database.pool);
    expect(comments.map((c) => c.body)).toEqual(['Spielpla', 'Stimmt 🛝', 'La tiend', '']);
  });

  it('stores only the comments not yet stored when a note comes back, continuing its numbering', async () => {
    api.queue = [{ body: PAGE_1 }, { body: PAGE_2 }];
    await poll();
    const second = await poll();
    expect(api.requests[1]!.searchParams.get('from')).toBe('2024-03-03T08:00:00Z');
    expect(second).toMatchObject({ ok: true, notes: 3, notesInserted: 1, notesUpdated: 1, commentsInserted: 2 });
    const { notes, comments } = await snapshot(testDb.database.pool);
    expect(comments.filter((c) => c.note_id === 201).map((c) => [c.seq, c.event, c.id_user, c.body])).toEqual([
      [1, 'opened', 2001, 'Spielplatz wurde entfernt\n#EveryDoor'],
      [2, 'commented', null, 'Stimmt & danke'],
      [3, 'closed', 2003, 'Entfernt.\nDanke!'],
    ]);
    expect(notes.find((n) => n.note_id === 201)).toMatchObject({ status: 'close', closed_at: '2024-03-05T09:00:00Z' });
    expect(notes.find((n) => n.note_id === 203)).toMatchObject({ status: 'open', iso: 'CL' });
    expect(comments).toHaveLength(6);
  });

  it('stores nothing new when the same answer comes again', async () => {
    api.queue = [{ body: PAGE_2 }, { body: PAGE_2 }];
    await poll();
    const before = await snapshot(testDb.database.pool);
    const again = await poll();
    expect(again).toMatchObject({ ok: true, notes: 3, notesInserted: 0, notesUpdated: 0, commentsInserted: 0 });
    expect(await snapshot(testDb.database.pool)).toEqual(before);
  });

  it('keeps the mark on an empty answer', async () => {
    api.queue = [{ body: PAGE_1 }, { body: file('api-empty.xml') }];
    await poll();
    expect(await poll()).toMatchObject({ ok: true, notes: 0, nextSince: '2024-03-03T08:00:00Z' });
    expect((await readPollState(testDb.database.pool))?.since).toBe('2024-03-03T08:00:00Z');
  });

  it('writes nothing from a malformed answer, even the notes before the break', async () => {
    api.queue = [{ body: file('api-truncated.xml') }, { body: '<html>Bad gateway</html>' }, { body: 'not xml at all' }];
    for (let i = 0; i < 3; i++) expect(expectFailure(await poll(), 'malformed').message).toMatch(/notes\/search\.xml\?.*:\d+:\d+: /);
    expect(await snapshot(testDb.database.pool)).toEqual({ notes: [], comments: [], users: [], events: 0 });
    expect(await readPollState(testDb.database.pool)).toBeUndefined();
  });

  it('reports HTTP errors with the delay Retry-After asks for, and stores nothing', async () => {
    api.queue = [
      { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' },
      { status: 503, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }, body: 'maintenance' },
      { status: 500, body: 'oops' },
    ];
    const tooMany = expectFailure(await poll(), 'http');
    expect(tooMany).toMatchObject({ status: 429, retryAfterMs: 7_000 });
    const unavailable = expectFailure(await poll(), 'http');
    expect(unavailable.status).toBe(503);
    expect(unavailable.retryAfterMs).toBeGreaterThan(25_000);
    expect(expectFailure(await poll(), 'http')).toMatchObject({ status: 500, retryAfterMs: undefined });
    expect((await snapshot(testDb.database.pool)).notes).toEqual([]);
  });

  it('reports a dropped connection and an unreachable server as network errors', async () => {
    api.queue = [{ hangUp: true }];
    expectFailure(await poll(), 'network');
    const closed = await FakeApi.start();
    const apiUrl = closed.url;
    await closed.close();
    const outcome = await pollOnce({ pool: testDb.database.pool, apiUrl, since: SINCE });
    expect(expectFailure(outcome, 'network').message).toMatch(/ECONNREFUSED/);
  });
});

describe('the poll daemon', () => {
  it('retries after failures and stores the answer once the server is back, then stops cleanly', async () => {
    api.queue = [
      { status: 503, headers: { 'retry-after': '0' }, body: 'down' },
      { hangUp: true },
      { body: 'truncated <osm' },
      { body: PAGE_1 },
    ];
    api.fallback = { body: file('api-empty.xml') };
    const outcomes: PollOutcome[] = [];
    const poller = startPoller({
      pool: testDb.database.pool,
      apiUrl: api.url,
      since: SINCE,
      intervalMs: 20,
      backoff: { baseMs: 5, maxMs: 20 },
      log: pino({ level: 'silent' }),
      onPoll: (outcome) => outcomes.push(outcome),
    });
    try {
      await eventually(() => outcomes.filter((o) => o.ok).length >= 2, { what: 'two successful polls' });
      expect(outcomes.slice(0, 4).map((o) => (o.ok ? 'stored' : o.kind))).toEqual(['http', 'network', 'malformed', 'stored']);
      expect((await snapshot(testDb.database.pool)).comments).toHaveLength(4);
    } finally {
      const started = Date.now();
      await poller.stop();
      expect(Date.now() - started).toBeLessThan(1_000);
      api.fallback = { status: 404, body: 'not found' };
    }
  });
});

describe('poll timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter up to a ceiling', () => {
    const backoff = { baseMs: 1_000, maxMs: 8_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, backoff, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, backoff, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });
});
