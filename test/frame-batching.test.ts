import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { batchFramesPerTurn, sendTextParts } from '../src/streaming/realtime/websocket/frame-batching.ts';

let server: WebSocketServer;
let url: string;

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Connects a real client; the server side sends with `script` once the socket is open. */
async function exchange(script: (socket: WebSocket) => void) {
  const connected = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const client = new WebSocket(url);
  const received: (string | Buffer)[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? (data as Buffer) : String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    client.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const socket = await connected;
  batchFramesPerTurn(socket);
  script(socket);
  return { received, closed };
}

it('writes a turn of text frames of every length encoding that a standard client reads back in order', async () => {
  // 7-bit, 16-bit and 64-bit payload lengths, multi-byte UTF-8, and a turn past the batch limit.
  const texts = ['short', 'é'.repeat(100), 'x'.repeat(300), 'y'.repeat(70_000), '{"id":"1","type":"next"}', 'ß✓'.repeat(40_000)];
  const acknowledged: (Error | undefined)[] = [];
  const { received, closed } = await exchange((socket) => {
    for (const text of texts) socket.send(text, (error) => acknowledged.push(error));
    // A frame given as parts (shared buffers), in the same batch and order.
    sendTextParts(socket, [Buffer.from('{"id":"7","payload":'), Buffer.from('{"städte":["Zürich"]}'), Buffer.from('}')]);
    sendTextParts(socket, [Buffer.from('z'.repeat(200)), Buffer.from('!')]);
    // Binary data and the close go through ws, after the text frames already sent.
    socket.send(Buffer.from([1, 2, 3]));
    socket.send('after binary');
    socket.close(4000, 'done');
  });
  expect(await closed).toEqual({ code: 4000, reason: 'done' });
  expect(received).toEqual([
    ...texts,
    '{"id":"7","payload":{"städte":["Zürich"]}}',
    `${'z'.repeat(200)}!`,
    Buffer.from([1, 2, 3]),
    'after binary',
  ]);
  expect(acknowledged).toEqual(texts.map(() => undefined));
});

it('hands sends on a closed socket to ws, whose callback reports the error', async () => {
  const errors: (Error | undefined)[] = [];
  const { closed } = await exchange((socket) => {
    socket.terminate();
    socket.send('too late', (error) => errors.push(error));
  });
  await closed;
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(Error);
});
