import { loadEvents, matches, type BatchRow, type StreamEvent, type StreamFilter } from './stream-events.ts';
import { QueuedIterator } from './queued-iterator.ts';
import type pg from 'pg';

/** A subscriber that fell too far behind; `cursor` is where it can resume. */
export class SlowConsumerError extends Error {
  override name = 'SlowConsumerError';
  constructor(
    readonly limit: number,
    readonly position: number,
  ) {
    super(`this subscription fell more than ${limit} events behind and was stopped; subscribe again with after set to its last cursor`);
  }
}

/** What an event stream needs of the hub that feeds it (StreamHub). */
export interface EventSource {
  readonly options: { readonly pool: pg.Pool; readonly queueLimit: number };
  /** The last position loaded. */
  readonly position: number;
  /** Events after this position are all in the ring. */
  readonly ringFloor: number;
  ringAfter(position: number): StreamEvent[];
  addLive(stream: EventStream): void;
  removeLive(stream: EventStream): void;
}

export interface EventStreamOptions {
  filter: StreamFilter;
  kinds: readonly StreamEvent['kind'][];
  /** Resume after this position; null = from now on. */
  after: number | null;
}

const REPLAY_PAGE = 500;

/**
 * One subscriber's view of the stream, as an async iterator. It first replays what committed
 * after its cursor (from the hub's ring when recent enough, else from the database a page at a
 * time, as fast as the client reads), then, in the same tick as the replay reaches the hub's
 * head, joins live dispatch: no event can fall between the two or come twice. Live events wait
 * in a bounded queue; when it is full the subscriber leaves live dispatch and goes back to
 * replaying from where its queue ends, at its own pace. A client that stops reading therefore
 * holds at most `queueLimit` events and costs nothing more; one that is only slow still gets
 * every event, in order.
 */
export class EventStream extends QueuedIterator<StreamEvent> {
  readonly filter: StreamFilter;
  /** Every event up to this position has been looked at (delivered or filtered out). */
  private scanned: number;
  private live = false;

  constructor(
    private readonly hub: EventSource,
    private readonly options: EventStreamOptions,
    onClose: () => void,
  ) {
    super(onClose);
    this.filter = options.filter;
    this.scanned = options.after ?? hub.position;
  }

  /** Called by the hub for each new event that may concern this stream. */
  offer(event: StreamEvent): void {
    if (this.closed || !this.live || event.position <= this.scanned) return;
    if (!this.accepts(event)) {
      this.scanned = event.position;
      return;
    }
    if (this.queue.length >= this.hub.options.queueLimit) {
      // Full: this event and the ones after it will be replayed once the queue drains.
      this.live = false;
      this.hub.removeLive(this);
      return;
    }
    this.scanned = event.position;
    this.queue.push(event);
    this.wake();
  }

  /** Whether the stream takes live events now (false while replaying or after falling behind). */
  get isLive(): boolean {
    return this.live;
  }

  get queued(): number {
    return this.queue.length;
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const event = this.queue.shift();
      if (event) return { value: event, done: false };
      if (this.live) await this.sleep();
      else await this.catchUp();
    }
  }

  private accepts(event: StreamEvent): boolean {
    return this.options.kinds.includes(event.kind) && matches(event, this.filter);
  }

  /** Fills the queue from the ring or the database; joins live dispatch on reaching the head. */
  private async catchUp(): Promise<void> {
    const hub = this.hub;
    if (this.scanned >= hub.ringFloor) {
      let taken = 0;
      for (const event of hub.ringAfter(this.scanned)) {
        if (taken === REPLAY_PAGE) return; // the rest on the next pull, as the client reads
        this.scanned = event.position;
        if (this.accepts(event)) {
          this.queue.push(event);
          taken++;
        }
      }
      this.scanned = Math.max(this.scanned, hub.position);
      this.live = true;
      hub.addLive(this);
      return;
    }
    const upTo = hub.ringFloor;
    const page = await loadEvents(hub.options.pool, this.scanned, upTo, REPLAY_PAGE, this.filter);
    for (const event of page) if (this.accepts(event)) this.queue.push(event);
    this.scanned = page.length < REPLAY_PAGE ? upTo : page.at(-1)!.position;
  }
}

export interface DatamartFilter {
  scope: 'global' | 'country' | 'user';
  /** A country code or an OSM user id; null for every key of the scope. */
  key: string | number | null;
}

export interface DatamartUpdate {
  scope: DatamartFilter['scope'];
  countryCode: string | null;
  userId: number | null;
  batchId: number;
  position: number | null;
  committedAt: Date;
  /** Badges (ids of src/resolvers/badges.ts) the user has now and did not have at the last check. */
  badgesEarned?: string[];
}

/**
 * An async iterator over a bounded queue. Producers push; a consumer that lets the queue pass
 * `limit` is stopped with SlowConsumerError (what it missed cannot be replayed).
 */
export class BoundedStream<T> extends QueuedIterator<T> {
  private overflow = false;

  constructor(
    private readonly limit: number,
    onClose: () => void,
  ) {
    super(onClose);
  }

  push(items: T[]): void {
    if (this.closed || this.overflow || items.length === 0) return;
    if (this.queue.length + items.length > this.limit) {
      this.overflow = true;
      this.queue.length = 0;
    } else {
      this.queue.push(...items);
    }
    this.wake();
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      if (this.overflow) {
        this.close();
        throw new SlowConsumerError(this.limit, 0);
      }
      if (this.queue.length > 0) return { value: this.queue.shift()!, done: false };
      await this.sleep();
    }
  }
}

/** Datamart changes, one per touched row per batch, for one scope (and key). */
export class DatamartStream extends BoundedStream<DatamartUpdate> {
  constructor(
    private readonly filter: DatamartFilter,
    limit: number,
    onClose: () => void,
  ) {
    super(limit, onClose);
  }

  /** Which scope and key it follows. */
  get follows(): DatamartFilter {
    return this.filter;
  }

  /** A user's newly earned badges (src/streaming/realtime/badge-watcher.ts), to USER streams of that user. */
  offerBadges(update: DatamartUpdate): void {
    const { scope, key } = this.filter;
    if (scope === 'user' && (key === null || Number(key) === update.userId)) this.push([update]);
  }

  offer(batch: BatchRow): void {
    const base = { batchId: batch.batchId, position: batch.lastPosition, committedAt: batch.committedAt };
    const { scope, key } = this.filter;
    this.push(
      scope === 'global'
        ? [{ scope, countryCode: null, userId: null, ...base }]
        : scope === 'country'
          ? batch.countries
              .filter((code) => key === null || code === key)
              .map((code) => ({ scope, countryCode: code, userId: null, ...base }))
          : batch.users
              .filter((id) => key === null || id === Number(key))
              .map((id) => ({ scope, countryCode: null, userId: id, ...base })),
    );
  }
}
