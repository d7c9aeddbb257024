// WebSocket keep-alive against a running server: a subscriber that stops answering pings is cut,
// the cut is logged with its address, subscriptions and reason, and it gets a close code with a
// reason when its socket can still carry one.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_CLOSE_CODE } from '../src/streaming/realtime/websocket/keep-alive.ts';
import type { RunningServer } from '../src/server.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startTestServer } from './helpers/server.ts';
import { rawProtocolClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const KEEP_ALIVE_MS = 200;
const testDb = useTestDatabase();
let server: RunningServer & { realtime?: Realtime };
const logLines: { level: number; msg: string; client?: string; subscriptions?: string[]; reason?: string }[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as never);
      done();
    },
  });
  server = await startTestServer(testDb, { realtime: true, deps: { keepAliveMs: KEEP_ALIVE_MS, log: pino({ level: 'info' }, sink) } });
});

afterAll(async () => {
  await server.stop();
});

const cuts = () => logLines.filter((line) => line.msg.startsWith('WebSocket subscriber cut'));

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
}

describe('keep-alive', () => {
  it('keeps a subscriber that answers pings', async () => {
    const client = await rawProtocolClient(server.url);
    client.subscribe('1', 'subscription { noteEvent { noteId } }');
    await new Promise((resolve) => setTimeout(resolve, KEEP_ALIVE_MS * 5));
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    const done = closed(client.socket);
    client.socket.close();
    await done;
  });

  it('closes a subscriber that stops answering pings with a code and a reason, and logs it', async () => {
    logLines.length = 0;
    const client = await rawProtocolClient(server.url);
    // It still reads, but answers no ping.
    (client.socket as unknown as { pong: () => void }).pong = () => {};
    client.subscribe('1', 'subscription { noteEvent { noteId } }');
    client.subscribe('2', 'subscription { datamartUpdated(scope: GLOBAL) { scope } }');
    const { code, reason } = await closed(client.socket);
    expect(code).toBe(KEEP_ALIVE_CLOSE_CODE);
    expect(reason).toBe(`keep-alive: no pong within ${KEEP_ALIVE_MS} ms`);
    expect(cuts()).toEqual([
      expect.objectContaining({
        level: 40,
        client: expect.stringMatching(/127\.0\.0\.1/),
        subscriptions: ['noteEvent', 'datamartUpdated'],
        reason: `no pong within ${KEEP_ALIVE_MS} ms`,
      }),
    ]);
  });

  it('cuts and logs a subscriber that stops reading altogether', async () => {
    logLines.length = 0;
    const client = await rawProtocolClient(server.url);
    client.subscribe('1', 'subscription { noteEvent { noteId } }');
    await eventually(() => server.realtime!.stream.liveSubscribers >= 1, { what: 'the subscription' });
    const raw = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    const done = closed(client.socket);
    raw.pause();
    await eventually(() => cuts().length === 1, { what: 'the cut to be logged' });
    expect(cuts()[0]).toMatchObject({ subscriptions: ['noteEvent'] });
    raw.resume();
    // What was sent before the cut, the close frame included, is read once it reads again.
    expect((await done).code).toBe(KEEP_ALIVE_CLOSE_CODE);
  });
});
