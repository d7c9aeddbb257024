import type { PgPubSub, Topic, TopicPayload } from './pubsub.ts';
import { SlowConsumerError } from './streams.ts';

/**
 * A pubsub topic as an async iterator with a bounded queue. Subscribing LISTENs on the channel
 * when no one else does; the last one to leave UNLISTENs (PostgresPubSub's bookkeeping).
 */
export function topicStream<T extends Topic>(
  pubsub: PgPubSub,
  topic: T,
  limit: number,
): AsyncIterableIterator<TopicPayload<T>> {
  const queue: TopicPayload<T>[] = [];
  let overflow = false;
  let closed = false;
  let waiting: (() => void) | null = null;
  const unsubscribe = pubsub.subscribe(topic, (payload) => {
    if (queue.length >= limit) overflow = true;
    else queue.push(payload);
    waiting?.();
  });
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    waiting?.();
  };
  return {
    async next() {
      for (;;) {
        if (closed) return { value: undefined, done: true };
        if (overflow) {
          close();
          throw new SlowConsumerError(limit, 0);
        }
        const value = queue.shift();
        if (value !== undefined) return { value, done: false };
        await new Promise<void>((resolve) => (waiting = resolve));
        waiting = null;
      }
    },
    async return() {
      close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
