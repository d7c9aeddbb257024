import type { Duplex } from 'node:stream';
import WebSocket from 'ws';

// Bytes a socket may hold unsent before a send's promise waits for the flush (see below).
const EARLY_ACK_LIMIT = 1 << 20;
// A turn's frames are written at once past this size, so a busy turn holds little memory.
const TURN_LIMIT = 1 << 16;

/** A text frame's payload: a string, or UTF-8 parts to be joined (shared buffers, not copied first). */
type Frame = string | readonly Buffer[];
type Callback = (error?: Error) => void;

const SENT: Promise<void> = Promise.resolve();

/**
 * Writes the text frames a WebSocket sends within one turn of the event loop as one buffer in
 * one write: a batch of events reaches all the subscriptions sharing a socket in the same turn,
 * and ws would make two buffers and a system call's share per frame, which with thousands of
 * subscribers cost more than building the frames. The frames are the ones ws would write
 * (unmasked, unfragmented text frames; the server does not negotiate compression). Control
 * frames (ping, close) go through ws; close() writes the turn's frames first.
 *
 * `raw` is the connection the HTTP upgrade handed over (the one ws writes to as well), so the
 * writer needs nothing private of ws.
 *
 * graphql-ws waits for each message's send before taking a subscription's next event. While the
 * socket holds less than EARLY_ACK_LIMIT unsent bytes, send() resolves at once; past it, after
 * the write, so a client that stops reading costs at most about that much memory before its
 * subscriptions' own queues take over.
 */
export class FrameWriter {
  private frames: Frame[] = [];
  private size = 0;
  private waiting: Callback[] = [];
  // One 'drain' listener per socket, however many of its subscriptions wait on it.
  private drainWaiters: (() => void)[] | null = null;

  constructor(
    readonly socket: WebSocket,
    private readonly raw: Duplex,
  ) {}

  /** A graphql-ws message. A socket that is no longer open takes nothing (as graphql-ws's own ws adapter does). */
  send(text: string): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) return SENT;
    this.enqueue(text, text.length);
    if (this.raw.writableLength < EARLY_ACK_LIMIT) return SENT;
    return new Promise((resolve, reject) => this.waiting.push((error) => (error ? reject(error) : resolve())));
  }

  /** One text frame whose payload is these UTF-8 parts, in this turn's batch. */
  sendParts(parts: readonly Buffer[]): void {
    if (this.socket.readyState === WebSocket.OPEN) this.enqueue(parts, byteLength(parts));
  }

  /** Bytes written to the connection and not yet sent (this turn's batch not included). */
  get bufferedAmount(): number {
    return this.raw.writableLength;
  }

  /** Resolves when the connection has flushed its buffer, or closed. */
  drained(): Promise<void> {
    const raw = this.raw;
    if (raw.destroyed) return SENT;
    return new Promise((resolve) => {
      if (!this.drainWaiters) {
        const list: (() => void)[] = [];
        this.drainWaiters = list;
        const release = () => {
          raw.off('drain', release);
          raw.off('close', release);
          this.drainWaiters = null;
          for (const wake of list) wake();
        };
        raw.on('drain', release);
        raw.on('close', release);
      }
      this.drainWaiters.push(resolve);
    });
  }

  close(code?: number, reason?: string): void {
    this.flush();
    this.socket.close(code, reason);
  }

  private enqueue(frame: Frame, length: number): void {
    if (this.frames.length === 0) setImmediate(this.flush);
    this.frames.push(frame);
    this.size += length;
    if (this.size > TURN_LIMIT) this.flush();
  }

  private readonly flush = (): void => {
    if (this.frames.length === 0) return;
    const batch = this.frames;
    const callbacks = this.waiting;
    this.frames = [];
    this.waiting = [];
    this.size = 0;
    if (this.raw.destroyed || this.socket.readyState !== WebSocket.OPEN) {
      const error = new Error('WebSocket is not open');
      for (const callback of callbacks) callback(error);
      return;
    }
    this.raw.write(encodeTextFrames(batch), (error) => {
      for (const callback of callbacks) callback(error ?? undefined);
    });
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
