// An async iterator fed by pushes, for subscriptions whose values a producer computes once for
// every subscriber (pipeline samples, rolling rankings). It keeps at most `keep` values: with
// keep 1 a slow reader gets the newest value when it asks again and never a queue of stale ones.
export interface PushStream<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  return(): Promise<IteratorResult<T>>;
}

export function pushStream<T>(options: { keep: number; onClose: () => void }): PushStream<T> {
  const queued: T[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  return {
    push(value) {
      if (closed) return;
      queued.push(value);
      if (queued.length > options.keep) queued.shift();
      wake?.();
    },
    async next() {
      while (!closed && queued.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (closed) return { value: undefined, done: true };
      return { value: queued.shift()!, done: false };
    },
    async return() {
      if (!closed) {
        closed = true;
        options.onClose();
        wake?.();
      }
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
