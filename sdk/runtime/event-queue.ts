// A queue between graphql-ws callbacks and an async iterator: values wait until read; an
// error is thrown to the reader after the values that came before it.

export class EventQueue<T> {
  private readonly items: T[] = [];
  private readonly readers: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void }[] = [];
  private ended = false;
  private failure: Error | undefined;

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.ended) return;
    const reader = this.readers.shift();
    if (reader) reader.resolve({ value: item, done: false });
    else this.items.push(item);
  }

  /** No more values; with an error, readers get it once the values before it are read. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    for (const reader of this.readers.splice(0)) this.settle(reader);
  }

  /** Ends at once, dropping unread values. */
  discard(): void {
    this.items.length = 0;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    return new Promise((resolve, reject) => {
      if (this.ended) this.settle({ resolve, reject });
      else this.readers.push({ resolve, reject });
    });
  }

  private settle(reader: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void }): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) reader.reject(failure);
    else reader.resolve({ value: undefined, done: true });
  }
}
