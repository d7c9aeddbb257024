import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { FrameWriter } from '../src/streaming/realtime/websocket/frame-batching.ts';
import { eventually } from './helpers/wait.ts';

let httpServer: Server;
let wsServer: WebSocketServer;
let url: string;
let opened: (frames: FrameWriter) => void = () => {};

beforeAll(async () => {
  httpServer = createServer();
  wsServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  // The writer gets the connection the upgrade hands over, as the server's transport does.
  httpServer.on('upgrade', (request, raw, head) =>
    wsServer.handleUpgrade(request, raw, head, (socket) => opened(new FrameWriter(socket, raw))),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => httpServer.close(resolve)));

/** Connects a real client; the server side writes with `script` once the socket is open. */
async function exchange(script: (frames: FrameWriter) => void) {
  const connected = new Promise<FrameWriter>((resolve) => (opened = resolve));
  const client = new WebSocket(url);
  const received: (string | Buffer)[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? (data as Buffer) : String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    client.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  script(await connected);
  return { received, closed };
}

it('writes a turn of text frames of every length encoding that a standard client reads back in order', async () => {
  // 7-bit, 16-bit and 64-bit payload lengths, multi-byte UTF-8, and a turn past the batch limit.
  const texts = ['short', 'é'.repeat(100), 'x'.repeat(300), 'y'.repeat(70_000), '{"id":"1","type":"next"}', 'ß✓'.repeat(40_000)];
  const sends: Promise<void>[] = [];
  const { received, closed } = await exchange((frames) => {
    for (const text of texts) sends.push(frames.send(text));
    // A frame given as parts (shared buffers), in the same batch and order.
    frames.sendParts([Buffer.from('{"id":"7","payload":'), Buffer.from('{"städte":["Zürich"]}'), Buffer.from('}')]);
    frames.sendParts([Buffer.from('z'.repeat(200)), Buffer.from('!')]);
    frames.send('last');
    // The close goes through ws, after the text frames of the turn.
    frames.close(4000, 'done');
  });
  expect(await closed).toEqual({ code: 4000, reason: 'done' });
  expect(received).toEqual([
    ...texts,
    '{"id":"7","payload":{"städte":["Zürich"]}}',
    `${'z'.repeat(200)}!`,
    'last',
  ]);
  expect(await Promise.all(sends)).toEqual(texts.map(() => undefined));
});

it('takes nothing on a closed socket, and its sends and drain waits settle', async () => {
  let frames!: FrameWriter;
  const { received, closed } = await exchange((writer) => {
    frames = writer;
    frames.socket.terminate();
  });
  await closed;
  await eventually(() => frames.socket.readyState === WebSocket.CLOSED, { what: 'the server side to close' });
  frames.sendParts([Buffer.from('too late')]);
  await expect(frames.send('too late')).resolves.toBeUndefined();
  await expect(frames.drained()).resolves.toBeUndefined();
  expect(received).toEqual([]);
});
