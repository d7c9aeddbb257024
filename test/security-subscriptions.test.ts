// SUBSCRIPTION_TOKEN against a running server, a processor and real PostgreSQL, over every
// transport that can start a subscription: graphql-ws, and SSE over POST and GET with
// Accept: text/event-stream, */* or no Accept header at all. Without the token or with a wrong
// one nothing streams; with it, events arrive.
import { request } from 'node:http';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { collect, sseSubscribe, wsClient, type Collected } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const TOKEN = 'subscribe-secret-26';
const QUERY = 'subscription { noteEvent { noteId } }';
type NoteEvents = { noteEvent: { noteId: number } };

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
const clients: Client[] = [];

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true, env: { SUBSCRIPTION_TOKEN: TOKEN } });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server.stop();
  await processor.stop();
});

let nextNote = 26_000;
function parisNote(): FixtureNote {
  return { id: nextNote++, lat: 48.85, lon: 2.35, comments: [{ action: 'opened', at: '2025-03-01T10:00:00Z', text: 'x', uid: 1, user: 'a' }] };
}

/** A POST without any Accept header (fetch always adds one), read as an event stream. */
function postWithoutAccept(url: string, headers: Record<string, string>): Collected<NoteEvents> & { status: Promise<number> } {
  const items: NoteEvents[] = [];
  const errors: unknown[] = [];
  let resolveStatus!: (status: number) => void;
  const status = new Promise<number>((resolve) => (resolveStatus = resolve));
  const body = JSON.stringify({ query: QUERY });
  const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } });
  const done = new Promise<void>((resolve) => {
    req.on('response', (response) => {
      resolveStatus(response.statusCode ?? 0);
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        for (const line of text.split('\n')) {
          const json = line.startsWith('data:') ? line.slice(5).trim() : response.statusCode !== 200 ? line.trim() : '';
          if (!json.startsWith('{')) continue;
          try {
            const result = JSON.parse(json) as { data?: NoteEvents; errors?: unknown[] };
            if (result.errors) errors.push(...result.errors);
            if (result.data && !items.some((item) => item.noteEvent.noteId === result.data!.noteEvent.noteId)) items.push(result.data);
          } catch {
            // an incomplete line: the next chunk completes it
          }
        }
      });
      response.on('end', () => resolve());
      response.on('close', () => resolve());
    });
    req.on('error', () => resolve());
  });
  req.end(body);
  return { items, errors, done, status, stop: () => req.destroy() };
}

const httpTransports = [
  { name: 'POST, Accept: text/event-stream', open: (h: Record<string, string>) => sseSubscribe<NoteEvents>(server.url, QUERY, undefined, h) },
  {
    name: 'POST, Accept: */*',
    open: (h: Record<string, string>) => sseSubscribe<NoteEvents>(server.url, QUERY, undefined, h, { accept: '*/*' }),
  },
  { name: 'POST, no Accept header', open: (h: Record<string, string>) => postWithoutAccept(server.url, h) },
  {
    name: 'GET, Accept: text/event-stream',
    open: (h: Record<string, string>) => sseSubscribe<NoteEvents>(server.url, QUERY, undefined, h, { method: 'GET' }),
  },
  {
    name: 'GET, Accept: */*',
    open: (h: Record<string, string>) => sseSubscribe<NoteEvents>(server.url, QUERY, undefined, h, { method: 'GET', accept: '*/*' }),
  },
];

const refusedTokens: { name: string; headers: Record<string, string> }[] = [
  { name: 'no token', headers: {} },
  { name: 'a wrong token', headers: { authorization: 'Bearer not-the-token' } },
  { name: 'a token that is a prefix of the right one', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
];

describe('subscriptions over HTTP', () => {
  for (const transport of httpTransports) {
    for (const refused of refusedTokens) {
      it(`${transport.name} with ${refused.name}: 401 and nothing streams`, async () => {
        const stream = transport.open(refused.headers);
        expect(await stream.status).toBe(401);
        await stream.done;
        expect(stream.items).toEqual([]);
        expect(stream.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
      });
    }
  }

  it('streams events on every transport with the right token', async () => {
    const streams = httpTransports.map((transport) => ({ name: transport.name, stream: transport.open({ authorization: `Bearer ${TOKEN}` }) }));
    for (const { stream } of streams) expect(await stream.status).toBe(200);
    await eventually(() => server.realtime!.stream.liveSubscribers >= streams.length, { what: 'every stream subscribed' });
    const note = parisNote();
    await insertNotes(testDb.database.pool, [note]);
    for (const { name, stream } of streams) {
      await eventually(() => stream.items.some((item) => item.noteEvent.noteId === note.id), { what: `the event over ${name}` });
      stream.stop();
    }
  });
});

describe('subscriptions over graphql-ws', () => {
  async function closeCode(payload: Record<string, unknown> | undefined): Promise<number> {
    return new Promise<number>((resolve) => {
      const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
      socket.on('close', (code) => resolve(code));
    });
  }

  it('closes the connection with 4403 for no token and for a wrong one', async () => {
    expect(await closeCode(undefined)).toBe(4403);
    expect(await closeCode({ token: 'not-the-token' })).toBe(4403);
    expect(await closeCode({ authorization: 'Bearer not-the-token' })).toBe(4403);
  });

  it('streams events with the right token, as connectionParams token or authorization', async () => {
    const byToken = wsClient(server.url, { token: TOKEN });
    const byHeader = wsClient(server.url, { authorization: `Bearer ${TOKEN}` });
    clients.push(byToken, byHeader);
    const streams = [collect<NoteEvents>(byToken, QUERY), collect<NoteEvents>(byHeader, QUERY)];
    await eventually(() => server.realtime!.stream.liveSubscribers >= 2, { what: 'both subscribed' });
    const note = parisNote();
    await insertNotes(testDb.database.pool, [note]);
    for (const stream of streams) {
      await eventually(() => stream.items.some((item) => item.noteEvent.noteId === note.id), { what: 'the event over graphql-ws' });
      stream.stop();
    }
    expect(streams.flatMap((s) => s.errors)).toEqual([]);
  });
});
