import type { Socket } from 'node:net';
import WebSocket from 'ws';

// Bytes a socket may hold unsent before a send's callback waits for the flush (see below).
const EARLY_ACK_LIMIT = 1 << 20;
// A turn's frames are written at once past this size, so a busy turn holds little memory.
const TURN_LIMIT = 1 << 16;

type Callback = (error?: Error) => void;
type Send = (data: unknown, options?: unknown, callback?: Callback) => void;
/** A text frame's payload: a string, or UTF-8 parts to be joined (shared buffers, not copied first). */
type Frame = string | readonly Buffer[];

const enqueuers = new WeakMap<WebSocket, (frame: readonly Buffer[]) => void>();

/** Sends one text frame whose payload is these UTF-8 parts, in the socket's batch when it has one. */
export function sendTextParts(socket: WebSocket, parts: readonly Buffer[]): void {
  const enqueue = enqueuers.get(socket);
  if (enqueue && socket.readyState === WebSocket.OPEN) enqueue(parts);
  else socket.send(Buffer.concat(parts), { binary: false });
}

/**
 * Writes the text frames a WebSocket sends within one turn of the event loop as one buffer in
 * one write: a batch of events reaches all the subscriptions sharing a socket in the same turn,
 * and ws would make two buffers and a system call's share per frame, which with thousands of
 * subscribers cost more than building the frames. The frames are the ones ws would write
 * (unmasked, unfragmented text frames; the server does not negotiate compression). Everything
 * else (binary data, control frames, close) goes through ws, after the turn's frames are written.
 *
 * graphql-ws waits for each frame's send callback before taking a subscription's next event.
 * While the socket holds less than EARLY_ACK_LIMIT unsent bytes the callback is called at once;
 * past it, after the write, so a client that stops reading costs at most about that much memory
 * before its subscriptions' own queues take over.
 */
export function batchFramesPerTurn(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw) return;
  const send = socket.send.bind(socket) as Send;
  const close = socket.close.bind(socket);
  let frames: Frame[] = [];
  let waiting: Callback[] = [];
  let size = 0;

  const flush = () => {
    if (frames.length === 0) return;
    const batch = frames;
    const callbacks = waiting;
    frames = [];
    waiting = [];
    size = 0;
    if (raw.destroyed || socket.readyState !== WebSocket.OPEN) {
      const error = new Error('WebSocket is not open');
      for (const callback of callbacks) callback(error);
      return;
    }
    raw.write(encodeTextFrames(batch), (error) => {
      for (const callback of callbacks) callback(error ?? undefined);
    });
  };

  (socket as unknown as { send: Send }).send = (data, options, callback) => {
    if (typeof options === 'function') [options, callback] = [undefined, options as Callback];
    if (typeof data !== 'string' || socket.readyState !== WebSocket.OPEN) {
      flush();
      return send(data, options ?? {}, callback);
    }
    enqueue(data, data.length);
    if (callback) {
      if (raw.writableLength < EARLY_ACK_LIMIT) queueMicrotask(() => callback());
      else waiting.push(callback);
    }
  };
  const enqueue = (frame: Frame, length: number) => {
    if (frames.length === 0) setImmediate(flush);
    frames.push(frame);
    size += length;
    if (size > TURN_LIMIT) flush();
  };
  enqueuers.set(socket, (parts) => enqueue(parts, byteLength(parts)));
  socket.close = (...args: Parameters<WebSocket['close']>) => {
    flush();
    close(...args);
  };
}

const byteLength = (parts: readonly Buffer[]) => parts.reduce((sum, part) => sum + part.length, 0);

/** Unmasked final text frames (RFC 6455 §5.2), one after another in one buffer. */
function encodeTextFrames(frames: Frame[]): Buffer {
  const lengths = frames.map((frame) => (typeof frame === 'string' ? Buffer.byteLength(frame) : byteLength(frame)));
  const total = lengths.reduce((sum, n) => sum + n + (n < 126 ? 2 : n <= 0xffff ? 4 : 10), 0);
  const buffer = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < frames.length; i++) {
    const n = lengths[i]!;
    buffer[offset++] = 0x81; // FIN, opcode 1 (text)
    if (n < 126) {
      buffer[offset++] = n;
    } else if (n <= 0xffff) {
      buffer[offset++] = 126;
      offset = buffer.writeUInt16BE(n, offset);
    } else {
      buffer[offset++] = 127;
      offset = buffer.writeBigUInt64BE(BigInt(n), offset);
    }
    const frame = frames[i]!;
    if (typeof frame === 'string') {
      offset += buffer.write(frame, offset);
    } else {
      for (const part of frame) {
        buffer.set(part, offset);
        offset += part.length;
      }
    }
  }
  return buffer;
}
