import type { PgPubSub, Topic, TopicPayload } from './pubsub.ts';
import { BoundedStream } from './streams.ts';

/**
 * A pubsub topic as an async iterator with a bounded queue. Subscribing LISTENs on the channel
 * when no one else does; the last one to leave UNLISTENs (PostgresPubSub's bookkeeping).
 */
export function topicStream<T extends Topic>(
  pubsub: PgPubSub,
  topic: T,
  limit: number,
): AsyncIterableIterator<TopicPayload<T>> {
  let unsubscribe = () => {};
  const stream = new BoundedStream<TopicPayload<T>>(limit, () => unsubscribe());
  unsubscribe = pubsub.subscribe(topic, (payload) => stream.push([payload]));
  return stream;
}
