// An async iterator fed by pushes, for subscriptions whose values a producer computes once for
// every subscriber (alert states, pipeline samples, rolling rankings). It keeps at most `keep`
// values: with keep 1 a slow reader gets the newest value when it asks again and never a queue of
// stale ones.
import { QueuedIterator } from './queued-iterator.ts';

export class PushStream<T> extends QueuedIterator<T> {
  constructor(
    private readonly keep: number,
    onClose: () => void,
  ) {
    super(onClose);
  }

  push(value: T): void {
    if (this.closed) return;
    this.queue.push(value);
    if (this.queue.length > this.keep) this.queue.shift();
    this.wake();
  }

  async next(): Promise<IteratorResult<T>> {
    while (!this.closed && this.queue.length === 0) await this.sleep();
    if (this.closed) return { value: undefined, done: true };
    return { value: this.queue.shift()!, done: false };
  }
}

export function pushStream<T>(options: { keep: number; onClose: () => void }): PushStream<T> {
  return new PushStream<T>(options.keep, options.onClose);
}
