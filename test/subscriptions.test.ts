// Subscriptions with real clients (graphql-ws over a WebSocket, and SSE) against a running
// server, a processor and real PostgreSQL: filters, resume, LISTEN bookkeeping, auth.
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, streamOrder, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { collect, rawProtocolClient, sseSubscribe, wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
const clients: Client[] = [];

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server.stop();
  await processor.stop();
});

function client(params?: Record<string, unknown>): Client {
  const c = wsClient(server.url, params);
  clients.push(c);
  return c;
}

let nextNote = 5000;
/** One new note per call, in the given country, with the given actions. */
function note(lat: number, lon: number, texts: string[], user = { uid: 42, user: 'mapper' }): FixtureNote {
  const actions = ['opened', 'commented', 'closed'] as const;
  return {
    id: nextNote++,
    lat,
    lon,
    comments: texts.map((text, i) => ({ action: actions[Math.min(i, 2)]!, at: `2025-03-0${i + 1}T10:00:00Z`, text, ...user })),
  };
}
const PARIS = [48.85, 2.35] as const;
const BERLIN = [52.52, 13.4] as const;

type NoteEvents = { noteEvent: { noteId: number; sequenceAction: number; action: string; countryCode: string; cursor: string } };
type FactEvents = { factProcessed: { noteId: number; application: string | null; hashtags: string[]; cursor: string } };

describe('noteEvent and factProcessed', () => {
  it('deliver exactly the events matching each filter, over WebSocket and SSE', async () => {
    const query = `subscription($filter: EventFilter) { noteEvent(filter: $filter) { noteId sequenceAction action countryCode cursor } }`;
    const france = collect<NoteEvents>(client(), query, { filter: { countries: ['FR'] } });
    const closes = collect<NoteEvents>(client(), query, { filter: { actions: ['CLOSED'] } });
    const germanySse = sseSubscribe<NoteEvents>(server.url, query, { filter: { countries: ['de'] } });
    const facts = collect<FactEvents>(
      client(),
      `subscription { factProcessed(filter: { applications: ["StreetComplete"], hashtags: ["#Bench"] }) { noteId application hashtags cursor } }`,
    );
    // A mapper watching their own notes, and somebody else's watcher.
    const mine = collect<NoteEvents>(client(), query, { filter: { users: [77] } });
    const theirs = collect<NoteEvents>(client(), query, { filter: { users: [78], countries: ['FR'] } });
    expect(await germanySse.status).toBe(200);
    await eventually(() => server.realtime!.stream.liveSubscribers >= 6, { what: 'subscribers to be live' });
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toMatch(/^notes_stream_subscriptions\{kind="events"\} 6$/m);
    expect(metrics).toMatch(/^notes_stream_subscriptions_replaying 0$/m);

    const fr = note(...PARIS, ['Bench #bench via StreetComplete 60.1', 'seen', 'fixed']);
    const de = note(...BERLIN, ['Bank #Bench', 'closed now']);
    const other = note(...PARIS, ['#other via StreetComplete 60.1']);
    const byMapper = note(...BERLIN, ['my note', 'my comment'], { uid: 77, user: 'seventy-seven' });
    await insertNotes(testDb.database.pool, [fr, de, other, byMapper]);
    await waitForDrained(testDb.database.pool);

    await eventually(
      () => france.items.length === 4 && germanySse.items.length === 4 && closes.items.length === 1 && mine.items.length === 2,
    );
    await eventually(() => facts.items.length === 1);
    expect(france.items.map((i) => [i.noteEvent.noteId, i.noteEvent.sequenceAction])).toEqual(await streamOrder(testDb.database.pool, [fr, other]));
    expect(germanySse.items.map((i) => [i.noteEvent.noteId, i.noteEvent.sequenceAction])).toEqual(await streamOrder(testDb.database.pool, [de, byMapper]));
    expect(germanySse.items.map((i) => [i.noteEvent.action, i.noteEvent.countryCode])).toEqual(
      (await streamOrder(testDb.database.pool, [de, byMapper])).map(([, sequence]) => [sequence === 1 ? 'OPENED' : 'COMMENTED', 'DE']),
    );
    expect(mine.items.map((i) => [i.noteEvent.noteId, i.noteEvent.sequenceAction])).toEqual([[byMapper.id, 1], [byMapper.id, 2]]);
    expect(closes.items.map((i) => i.noteEvent.noteId)).toEqual([fr.id]);
    expect(facts.items[0]!.factProcessed).toMatchObject({ noteId: fr.id, application: 'StreetComplete', hashtags: ['bench'] });
    // Nothing more arrives for anyone (a later event proves the streams are still live).
    const late = note(...BERLIN, ['late']);
    await insertNotes(testDb.database.pool, [late]);
    await eventually(() => germanySse.items.length === 5);
    expect(france.items).toHaveLength(4);
    expect(mine.items).toHaveLength(2);
    expect(theirs.items).toEqual([]);
    expect(facts.errors).toEqual([]);
    for (const s of [france, closes, facts, germanySse, mine, theirs]) s.stop();
  });

  it('resume after the last cursor seen with exactly what was missed, then go live', async () => {
    const query = `subscription($after: String) { noteEvent(after: $after, filter: { countries: ["FR"] }) { noteId sequenceAction cursor } }`;
    const first = collect<NoteEvents>(client(), query);
    await eventually(() => server.realtime!.stream.liveSubscribers >= 1);
    const a = note(...PARIS, ['one', 'two']);
    await insertNotes(testDb.database.pool, [a]);
    await eventually(() => first.items.length === 2);
    first.stop();
    const cursor = first.items.at(-1)!.noteEvent.cursor;

    const missed = [note(...PARIS, ['three']), note(...BERLIN, ['not mine']), note(...PARIS, ['four', 'five'])];
    await insertNotes(testDb.database.pool, missed);
    await waitForDrained(testDb.database.pool);
    const resumed = collect<NoteEvents>(client(), query, { after: cursor });
    await eventually(() => resumed.items.length === 3);
    const live = note(...PARIS, ['six']);
    await insertNotes(testDb.database.pool, [live]);
    await eventually(() => resumed.items.length === 4);
    expect(resumed.items.map((i) => [i.noteEvent.noteId, i.noteEvent.sequenceAction])).toEqual(
      await streamOrder(testDb.database.pool, [missed[0]!, missed[2]!, live]),
    );
    resumed.stop();
  });

  it('read no events while no event subscription is open, and replay them from the database on resume', async () => {
    const hub = server.realtime!.stream;
    const query = `subscription($after: String) { noteEvent(after: $after, filter: { countries: ["FR"] }) { noteId sequenceAction cursor } }`;
    const first = collect<NoteEvents>(client(), query);
    await eventually(() => hub.liveSubscribers >= 1);
    await insertNotes(testDb.database.pool, [note(...PARIS, ['one'])]);
    await eventually(() => first.items.length === 1);
    first.stop();
    await eventually(() => hub.streams().length === 0, { what: 'the event stream to close' });

    const missed = [note(...PARIS, ['two', 'three']), note(...BERLIN, ['not mine'])];
    await insertNotes(testDb.database.pool, missed);
    await waitForDrained(testDb.database.pool);
    await hub.sync();
    // Skipped, not loaded: the ring starts after them.
    expect(hub.ringFloor).toBe(hub.position);
    expect(hub.ringAfter(0)).toEqual([]);

    const resumed = collect<NoteEvents>(client(), query, { after: first.items[0]!.noteEvent.cursor });
    await eventually(() => resumed.items.length === 2);
    const live = note(...PARIS, ['four']);
    await insertNotes(testDb.database.pool, [live]);
    await eventually(() => resumed.items.length === 3);
    expect(resumed.items.map((i) => [i.noteEvent.noteId, i.noteEvent.sequenceAction])).toEqual(
      await streamOrder(testDb.database.pool, [missed[0]!, live]),
    );
    resumed.stop();
  });

  it('refuses a malformed cursor and an unknown country with clear errors', async () => {
    const bad = collect(client(), `subscription { noteEvent(after: "nonsense") { noteId } }`);
    const unknown = collect(client(), `subscription { noteEvent(filter: { countries: ["XY"] }) { noteId } }`);
    await Promise.all([bad.done, unknown.done]);
    expect(String((bad.errors[0] as { message: string }).message)).toMatch(/after is not a cursor of this stream/);
    expect(String((unknown.errors[0] as { message: string }).message)).toMatch(/unknown country code "XY"/);
  });

  it('frame events on the wire as graphql-transport-ws messages, per operation id, until each completes', async () => {
    // A raw WebSocket: the frames themselves, not what a client library makes of them.
    const { socket, frames, subscribe } = await rawProtocolClient(server.url);
    const live = server.realtime!.stream.liveSubscribers;
    // Two subscriptions of one operation on one socket share its results; a third differs.
    const query = 'subscription { noteEvent(filter: { countries: ["FR"] }) { noteId sequenceAction } }';
    for (const id of ['first', 'second']) subscribe(id, query);
    subscribe('third', query.replace('sequenceAction', 'action'));
    await eventually(() => server.realtime!.stream.liveSubscribers >= live + 3);

    const a = note(...PARIS, ['one', 'two']);
    await insertNotes(testDb.database.pool, [a]);
    await eventually(() => frames.filter((f) => f.type === 'next').length === 6);
    const next = (id: string) => frames.filter((f) => f.id === id && f.type === 'next').map((f) => f.payload);
    const event = (sequenceAction: number) => ({ data: { noteEvent: { noteId: a.id, sequenceAction } } });
    expect(next('first')).toEqual([event(1), event(2)]);
    expect(next('second')).toEqual([event(1), event(2)]);
    expect(next('third')).toEqual(['OPENED', 'COMMENTED'].map((action) => ({ data: { noteEvent: { noteId: a.id, action } } })));

    // The client completes "first": the others go on, and "first" gets nothing more.
    socket.send(JSON.stringify({ id: 'first', type: 'complete' }));
    await eventually(() => server.realtime!.stream.liveSubscribers === live + 2);
    const b = note(...PARIS, ['three']);
    await insertNotes(testDb.database.pool, [b]);
    await eventually(() => frames.filter((f) => f.type === 'next').length === 8);
    expect(next('first')).toHaveLength(2);
    expect(next('second').at(-1)).toEqual({ data: { noteEvent: { noteId: b.id, sequenceAction: 1 } } });
    expect(frames.filter((f) => f.type === 'error')).toEqual([]);
    socket.close();
    await eventually(() => server.realtime!.stream.liveSubscribers === live);
  });

  it('skip malformed notifications and keep working', async () => {
    const stream = collect<NoteEvents>(client(), `subscription { noteEvent(filter: { countries: ["DE"] }) { noteId } }`);
    await eventually(() => server.realtime!.stream.liveSubscribers >= 1);
    await testDb.database.pool.query(`SELECT pg_notify('fact_processed', 'not json'), pg_notify('fact_processed', '{"batch":"x"}')`);
    const n = note(...BERLIN, ['after garbage']);
    await insertNotes(testDb.database.pool, [n]);
    await eventually(() => stream.items.some((i) => i.noteEvent.noteId === n.id));
    stream.stop();
  });
});

describe('datamartUpdated', () => {
  it('tells once per batch which datamart rows changed', async () => {
    const updates = collect<{ datamartUpdated: { scope: string; countryCode: string; batchId: number } }>(
      client(),
      `subscription { datamartUpdated(scope: COUNTRY, id: "de") { scope countryCode batchId } }`,
    );
    await eventually(() => server.realtime!.stream.liveSubscribers >= 1);
    await insertNotes(testDb.database.pool, [note(...BERLIN, ['a', 'b']), note(...PARIS, ['c'])]);
    await eventually(() => updates.items.length >= 1);
    expect(updates.items.every((u) => u.datamartUpdated.countryCode === 'DE' && u.datamartUpdated.scope === 'COUNTRY')).toBe(true);
    const batches = updates.items.map((u) => u.datamartUpdated.batchId);
    expect(new Set(batches).size).toBe(batches.length);
    updates.stop();
  });
});

describe('the pubsub connection', () => {
  it('LISTENs on a channel once for many subscribers and UNLISTENs after the last leaves', async () => {
    const pubsub = server.realtime!.pubsub;
    expect(await pubsub.listening()).not.toContain('bulk_import_completed');
    const query = 'subscription { bulkImportCompleted { file comments } }';
    const one = collect<{ bulkImportCompleted: { file: string; comments: number } }>(client(), query);
    const two = collect<{ bulkImportCompleted: { file: string; comments: number } }>(client(), query);
    await eventually(async () => (await pubsub.listening()).includes('bulk_import_completed'));
    await testDb.database.pool.query(`SELECT pg_notify('bulk_import_completed', '{"file":"x.osn.xml","comments":7}')`);
    await eventually(() => one.items.length === 1 && two.items.length === 1);
    expect(one.items[0]).toEqual({ bulkImportCompleted: { file: 'x.osn.xml', comments: 7 } });
    one.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(await pubsub.listening()).toContain('bulk_import_completed');
    two.stop();
    await eventually(async () => !(await pubsub.listening()).includes('bulk_import_completed'), {
      what: 'UNLISTEN after the last subscriber',
    });
  });
});

describe('subscription auth', () => {
  let guarded: RunningServer & { realtime?: Realtime };
  const token = 'subscribe-secret';

  beforeAll(async () => {
    guarded = await startTestServer(testDb, { realtime: true, env: { SUBSCRIPTION_TOKEN: token } });
  });
  afterAll(async () => {
    await guarded.stop();
  });

  it('closes a WebSocket without the token with 4403', async () => {
    const closed = await new Promise<number>((resolve) => {
      const socket = new WebSocket(guarded.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token: 'wrong' } })));
      socket.on('close', (code) => resolve(code));
    });
    expect(closed).toBe(4403);
  });

  it('answers SSE without the token 401, and serves both with it', async () => {
    const query = 'subscription { noteEvent { noteId } }';
    const refused = sseSubscribe(guarded.url, query);
    expect(await refused.status).toBe(401);
    await refused.done;
    const sse = sseSubscribe<NoteEvents>(guarded.url, query, undefined, { authorization: `Bearer ${token}` });
    expect(await sse.status).toBe(200);
    const c = wsClient(guarded.url, { token });
    clients.push(c);
    const ws = collect<NoteEvents>(c, query);
    await eventually(() => guarded.realtime!.stream.liveSubscribers >= 2);
    await insertNotes(testDb.database.pool, [note(...PARIS, ['authorised'])]);
    await eventually(() => sse.items.length === 1 && ws.items.length === 1);
    sse.stop();
    ws.stop();
  });
});
