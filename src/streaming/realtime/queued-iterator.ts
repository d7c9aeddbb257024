/**
 * The plumbing shared by the subscription streams: a queue that producers fill, a consumer that
 * sleeps until woken, and closing (by the consumer's `return()` or by the server) that wakes it
 * to finish. Subclasses decide what `next()` takes from the queue and when.
 */
export abstract class QueuedIterator<T> implements AsyncIterableIterator<T> {
  protected readonly queue: T[] = [];
  protected closed = false;
  private waiting: (() => void) | null = null;

  constructor(private readonly onClose: () => void) {}

  abstract next(): Promise<IteratorResult<T>>;

  async return(): Promise<IteratorResult<T>> {
    this.close();
    return { value: undefined, done: true };
  }

  /** The next queued item without waiting, if there is one: lets a consumer drain in a loop. */
  takeQueued(): T | undefined {
    return this.closed ? undefined : this.queue.shift();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.wake();
  }

  /** Wakes a consumer waiting in sleep(). */
  protected wake(): void {
    this.waiting?.();
  }

  /** Resolves at the next wake() (a new item, or closing). */
  protected async sleep(): Promise<void> {
    await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = null;
  }
}
