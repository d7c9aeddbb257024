// SDK subscriptions against a running server, a processor and real PostgreSQL: live events,
// and resuming without gap or duplicate after a cut connection, a frozen one, and while the
// reader is slower than the stream. Connections break for real, in a TCP proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ConnectionClosedError,
  createNotesStreamClient,
  DatamartUpdatesDocument,
  FactsProcessedDocument,
  GraphQLRequestError,
  NoteEventsDocument,
  type LiveSubscription,
  type NotesStreamClient,
  type NotesStreamClientOptions,
} from '@notes-stream/sdk';
import { encodeStreamCursor } from '../src/streaming/realtime/cursor.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, streamOrder, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
let proxy: TcpProxy;
const clients: NotesStreamClient[] = [];

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true });
  proxy = await startTcpProxy(server.url);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await proxy.close();
  await server.stop();
  await processor.stop();
});

/** A client through the proxy that reconnects quickly. */
function client(options: Partial<NotesStreamClientOptions> = {}): NotesStreamClient {
  const c = createNotesStreamClient({ url: proxy.url, retryDelayMs: () => 50, ...options });
  clients.push(c);
  return c;
}

/** Reads a subscription in the background into `items`. */
function read<T>(subscription: LiveSubscription<T>) {
  const items: T[] = [];
  const ended = (async () => {
    try {
      for await (const item of subscription) items.push(item);
      return null;
    } catch (error) {
      return error;
    }
  })();
  return { items, ended };
}

const liveSubscribers = (n: number) =>
  eventually(() => server.realtime!.stream.liveSubscribers >= n, { what: `${n} live subscribers` });

let nextNote = 7000;
function note(place: 'paris' | 'berlin', actions: number): FixtureNote {
  const [lat, lon] = place === 'paris' ? [48.85, 2.35] : [52.52, 13.4];
  const kinds = ['opened', 'commented', 'commented', 'closed'] as const;
  return {
    id: nextNote++,
    lat,
    lon,
    comments: Array.from({ length: actions }, (_, i) => ({
      action: kinds[Math.min(i, 3)]!,
      at: `2025-04-0${i + 1}T12:00:00Z`,
      uid: 42,
      user: 'mapper',
      text: `action ${i + 1} #sdk`,
    })),
  };
}
const actionsOf = (...notes: FixtureNote[]) => notes.flatMap((n) => n.comments.map((_, i) => [n.id, i + 1]));

describe('live subscriptions', () => {
  it('deliver typed events matching the filter, and datamart updates', async () => {
    const c = client();
    const opened = read(c.subscribe(NoteEventsDocument, { filter: { countries: ['DE'], actions: ['OPENED'] } }));
    const datamart = read(c.subscribe(DatamartUpdatesDocument, { scope: 'COUNTRY', id: 'DE' }));
    await liveSubscribers(2);
    const berlin = note('berlin', 2);
    await insertNotes(testDb.database.pool, [note('paris', 1), berlin]);
    await eventually(() => opened.items.length === 1 && datamart.items.length >= 1);
    expect(opened.items[0]!.noteEvent).toMatchObject({ noteId: berlin.id, action: 'OPENED', countryCode: 'DE', username: 'mapper' });
    expect(datamart.items[0]!.datamartUpdated).toMatchObject({ scope: 'COUNTRY', countryCode: 'DE' });
    await c.close();
    expect(await opened.ended).toBeNull();
  });

  it('resume after a cut connection with exactly the events missed, then continue live', async () => {
    const c = client();
    const subscription = c.subscribe(NoteEventsDocument, { filter: { countries: ['FR'] } });
    expect(subscription.resumable).toBe(true);
    const events = read(subscription);
    await liveSubscribers(1);
    const before = note('paris', 2);
    await insertNotes(testDb.database.pool, [before]);
    await eventually(() => events.items.length === 2);
    const accepted = proxy.accepted;

    proxy.cut();
    const missed = [note('paris', 1), note('berlin', 2), note('paris', 3)];
    await insertNotes(testDb.database.pool, missed);
    await waitForDrained(testDb.database.pool);
    proxy.open();
    await eventually(() => events.items.length === 6, { what: 'the missed events' });
    expect(proxy.accepted).toBeGreaterThan(accepted);

    const live = note('paris', 1);
    await insertNotes(testDb.database.pool, [live]);
    await eventually(() => events.items.length === 7);
    expect(events.items.map((e) => [e.noteEvent.noteId, e.noteEvent.sequenceAction])).toEqual(
      await streamOrder(testDb.database.pool, [before, missed[0]!, missed[2]!, live]),
    );
    expect(subscription.cursor).toBe(events.items.at(-1)!.noteEvent.cursor);
    subscription.close();
    expect(await events.ended).toBeNull();
  });

  it('resume a subscription cut before its first event from the moment it subscribed', async () => {
    const c = client();
    const subscription = c.subscribe(NoteEventsDocument, { filter: { countries: ['FR'] } });
    const events = read(subscription);
    // The stream's head at subscribe time, although no event has arrived yet.
    const head = await eventually(() => subscription.cursor, { what: 'the head cursor' });
    await liveSubscribers(1);
    expect(head).toBe(encodeStreamCursor(server.realtime!.stream.position));
    const accepted = proxy.accepted;

    proxy.cut();
    const missed = note('paris', 2);
    await insertNotes(testDb.database.pool, [missed]);
    await waitForDrained(testDb.database.pool);
    proxy.open();
    await eventually(() => events.items.length === 2, { what: 'the events missed before the first one' });
    expect(proxy.accepted).toBeGreaterThan(accepted);
    expect(events.items.map((e) => [e.noteEvent.noteId, e.noteEvent.sequenceAction])).toEqual(actionsOf(missed));
    subscription.close();
    expect(await events.ended).toBeNull();
  });

  it('drop a connection that stopped answering pings and resume facts after the last cursor', async () => {
    const c = client({ keepAliveMs: 200 });
    const facts = read(c.subscribe(FactsProcessedDocument, { filter: { countries: ['DE'], hashtags: ['sdk'] } }));
    await liveSubscribers(1);
    const first = note('berlin', 1);
    await insertNotes(testDb.database.pool, [first]);
    await eventually(() => facts.items.length === 1);
    const accepted = proxy.accepted;

    proxy.freeze(); // no close, no reset: only the missing pong tells
    const missed = note('berlin', 3);
    await insertNotes(testDb.database.pool, [missed]);
    await eventually(() => facts.items.length === 4, { what: 'the facts missed while frozen' });
    expect(proxy.accepted).toBeGreaterThan(accepted);
    expect(facts.items.map((f) => [f.factProcessed.noteId, f.factProcessed.sequenceAction])).toEqual(actionsOf(first, missed));
    expect(facts.items.every((f) => f.factProcessed.hashtags.includes('sdk'))).toBe(true);
    await c.close();
  });

  it('pause for a slow reader and resume from its cursor, losing nothing', async () => {
    let subscribes = 0;
    class CountingWebSocket extends WebSocket {
      override send(data: Parameters<WebSocket['send']>[0], options?: unknown, callback?: unknown) {
        if (String(data).includes('"type":"subscribe"')) subscribes++;
        super.send(data, options as never, callback as never);
      }
    }
    const c = client({ webSocketImpl: CountingWebSocket });
    const all = c.subscribe(NoteEventsDocument, { filter: { countries: ['FR'] }, after: encodeStreamCursor(0) });
    const everything = read(all);
    const slow = c.subscribe(NoteEventsDocument, { filter: { countries: ['FR'] }, after: encodeStreamCursor(0) }, { bufferLimit: 2 });
    const french = [note('paris', 3), note('paris', 2)];
    await insertNotes(testDb.database.pool, french);
    // Every French action so far: those of the earlier tests and these.
    await eventually(async () => everything.items.at(-1)?.noteEvent.noteId === french[1]!.id && everything.items.at(-1)!.noteEvent.sequenceAction === 2);
    const slowItems = [];
    while (slowItems.length < everything.items.length) {
      const { value, done } = await slow.next();
      if (done) break;
      slowItems.push(value);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(slowItems.map((e) => e.noteEvent.cursor)).toEqual(everything.items.map((e) => e.noteEvent.cursor));
    // Two subscriptions, and the slow one paused and resubscribed (how often depends on how the
    // server's frames arrive grouped, so only that it happened is checked).
    expect(subscribes).toBeGreaterThan(2);
    await c.close();
  });
});

describe('subscription errors', () => {
  it('throws a refused cursor from the iterator', async () => {
    const c = client();
    const refused = read(c.subscribe(NoteEventsDocument, { after: 'not-a-cursor' }));
    const error = await refused.ended;
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as GraphQLRequestError).message).toMatch(/after is not a cursor of this stream/);
  });

  it('sends the subscription token, and fails at once (no retry loop) when it is refused', async () => {
    const guarded = await startTestServer(testDb, { realtime: true, env: { SUBSCRIPTION_TOKEN: 'sdk-subscribe' } });
    try {
      const wrong = createNotesStreamClient({ url: guarded.url, subscriptionToken: 'wrong', retryDelayMs: () => 50 });
      const refused = await read(wrong.subscribe(NoteEventsDocument)).ended;
      expect(refused).toBeInstanceOf(ConnectionClosedError);
      expect((refused as ConnectionClosedError).code).toBe(4403);
      await wrong.close();

      const right = createNotesStreamClient({ url: guarded.url, subscriptionToken: 'sdk-subscribe' });
      const events = read(right.subscribe(NoteEventsDocument, { filter: { countries: ['DE'] } }));
      await eventually(() => guarded.realtime!.stream.liveSubscribers >= 1);
      const n = note('berlin', 1);
      await insertNotes(testDb.database.pool, [n]);
      await eventually(() => events.items.some((e) => e.noteEvent.noteId === n.id));
      await right.close();
    } finally {
      await guarded.stop();
    }
  });
});
