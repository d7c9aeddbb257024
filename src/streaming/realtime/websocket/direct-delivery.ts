import type { QueuedIterator } from '../queued-iterator.ts';
import type { FrameWriter } from './frame-batching.ts';

// Unsent bytes a socket may hold before its subscriptions stop writing until it drains. Past
// that, their events wait in their own bounded queues (a stream hub subscriber then falls back
// to replaying), so a client that stops reading costs at most this much socket memory.
const SOCKET_BUFFER_LIMIT = 1 << 20;
const END = Buffer.from('}');

/** The WebSocket (its frame writer) and graphql-ws operation id a subscription's results are framed for. */
export interface DeliveryTarget {
  frames: FrameWriter;
  id: string;
}

/**
 * Sends a subscription's results as graphql-ws `next` frames straight onto its socket and hands
 * graphql-ws an iterator that yields nothing and ends when the source ends (graphql-ws then
 * sends `complete`, or `error` if the source threw, after every frame written here).
 *
 * Why: through graphql-ws, each event costs each subscriber a chain of promises (the source's
 * next, the mapping, the for-await, onNext, the send callback) and a JSON.stringify of the whole
 * message. With thousands of subscribers that was most of the server's CPU. Here the result's
 * JSON is encoded once per event and operation (`payloadJson`, shared), a frame is that buffer
 * between the operation's own head and a brace, copied once into the socket's batch
 * (frame-batching.ts), and the queue is drained synchronously: one await per wake-up, not per
 * event. The frames on the wire are the ones graphql-ws would send.
 */
export function deliverDirectly<T>(
  source: QueuedIterator<T>,
  target: DeliveryTarget,
  payloadJson: (item: T) => Buffer | Promise<Buffer>,
): AsyncIterableIterator<never> {
  const prefix = Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`);
  const { frames } = target;
  let finished: Promise<IteratorResult<never>> | null = null;

  const sendFrame = (json: Buffer): Promise<void> | undefined => {
    frames.sendParts([prefix, json, END]);
    return frames.bufferedAmount > SOCKET_BUFFER_LIMIT ? frames.drained() : undefined;
  };
  // Returns a promise only when there is something to wait for (an async result, a full socket).
  const deliver = (item: T): Promise<void> | undefined => {
    const json = payloadJson(item);
    return json instanceof Promise ? json.then(sendFrame) : sendFrame(json);
  };

  async function pump(): Promise<IteratorResult<never>> {
    for (;;) {
      for (let item = source.takeQueued(); item !== undefined; item = source.takeQueued()) {
        const wait = deliver(item);
        if (wait) await wait;
      }
      const next = await source.next();
      if (next.done) return { value: undefined, done: true };
      await deliver(next.value);
    }
  }

  return {
    next: () => (finished ??= pump()),
    async return() {
      source.close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
