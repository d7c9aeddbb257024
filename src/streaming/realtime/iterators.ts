/**
 * Maps an async iterator without an async generator: return() reaches the source at once,
 * even while a next() is pending (an async generator would queue it behind that next()).
 */
export function mapIterator<T, U>(source: AsyncIterator<T>, map: (value: T) => U | Promise<U>): AsyncIterableIterator<U> {
  return {
    async next() {
      const result = await source.next();
      return result.done ? { value: undefined, done: true } : { value: await map(result.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Calls `produce` now and then every `everyMs` until return(), which takes effect at once. */
export function every<T>(everyMs: number, produce: () => Promise<T>): AsyncIterableIterator<T> {
  let closed = false;
  let wake: (() => void) | null = null;
  let first = true;
  return {
    async next() {
      if (!first && !closed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, everyMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      first = false;
      if (closed) return { value: undefined, done: true };
      return { value: await produce(), done: false };
    },
    async return() {
      closed = true;
      wake?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
