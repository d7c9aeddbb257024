import type pg from 'pg';
import type { Logger } from '../../log.ts';
import type { PgPubSub } from './pubsub.ts';
import { loadBatches, loadEvents, parseHandedBatch, streamHead, type BatchRow, type StreamEvent } from './stream-events.ts';
import { DatamartStream, EventStream, type DatamartUpdate, type EventStreamOptions, type DatamartFilter } from './streams.ts';

export interface StreamHubOptions {
  /** Replays of resuming subscribers and the head at start. */
  pool: pg.Pool;
  /**
   * The live tail's reads (batches and their events), on connections of their own: each
   * connection plans them at their first run (the events' nine-table join ~7 ms), and on the
   * shared pool the tail met a connection it had not used before every so often. Default: pool.
   */
  tailPool?: pg.Pool;
  pubsub: PgPubSub;
  log: Logger;
  /** Recent events kept in memory for live dispatch and quick resumes. */
  ringSize?: number;
  /** Events a live subscriber may fall behind before it is cut off (with its resume cursor). */
  queueLimit: number;
  /** Without notifications the stream is still checked this often (a missed NOTIFY costs this much). */
  pollMs?: number;
}

const PAGE = 1_000;

/** Told of every batch read, and of each datamart subscription opened. */
export interface DatamartListener {
  batch(batch: BatchRow): void;
  opened?(filter: DatamartFilter): void;
}

/**
 * The API process's view of the event stream. It tails streaming.events by position and
 * streaming.batches by id — both given out in commit order — so reading "after the last one
 * seen" can never skip a row. Notifications and reconnects only wake it. Each event is loaded
 * once and handed to the subscribers whose filters match (an index by country keeps
 * subscribers of other countries out of the loop); a subscriber holds references, not copies.
 */
export class StreamHub {
  /** The last position and batch loaded. */
  position = 0;
  batchId = 0;
  /** When the last batch read (batchId) committed; null before the first batch. */
  committedAt: Date | null = null;
  /** Events with positions in (ringFloor, position] are all in the ring. */
  ringFloor = 0;
  /** Positions below this were removed by the outbox retention. */
  oldestPosition = 1;
  private ring: StreamEvent[] = [];
  // Live streams indexed by what they filter on, so an event is offered only to streams that
  // may want it: by note when they follow notes, else by country, else by user, else unindexed.
  private readonly byNote = new Map<number, Set<EventStream>>();
  private readonly byCountry = new Map<string, Set<EventStream>>();
  private readonly byUser = new Map<number, Set<EventStream>>();
  private readonly unindexed = new Set<EventStream>();
  private readonly datamartStreams = new Set<DatamartStream>();
  private readonly datamartListeners: DatamartListener[] = [];
  private readonly eventStreams = new Set<EventStream>();
  private pulling: Promise<void> | null = null;
  private pullAgain = false;
  /** The highest position a fact_processed notification announced. */
  private announced = 0;
  /**
   * The last batch a processor in this process handed over. Its pull is already under way when
   * the batch's own fact_processed arrives, usually before the pull has finished (batchId is
   * then still older), and that notification would start a second read finding nothing new.
   */
  private handedOver = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void)[] = [];
  private stopped = false;

  constructor(readonly options: StreamHubOptions) {}

  async start(): Promise<void> {
    const head = await streamHead(this.options.pool);
    this.position = head.position;
    this.ringFloor = head.position;
    this.batchId = head.batchId;
    this.committedAt = head.committedAt;
    this.oldestPosition = head.oldestPosition;
    await this.warmTail();
    this.unsubscribe.push(
      // A batch already read, or handed over by a processor in this process, adds nothing.
      this.options.pubsub.subscribe('fact_processed', ({ batch, to }) => {
        if (batch > this.batchId && batch > this.handedOver) this.committed(to);
      }),
      this.options.pubsub.onReconnect(() => this.wake()),
    );
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 1_000).unref();
  }

  /** Plans the tail's two reads on each tail connection now rather than at the first events. */
  private async warmTail(): Promise<void> {
    const pool = this.tail;
    const clients = await Promise.all(Array.from({ length: Math.min(2, pool.options.max ?? 2) }, () => pool.connect()));
    try {
      await Promise.all(clients.map(async (client) => {
        await loadBatches(client, this.batchId, 1);
        await loadEvents(client, this.position, this.position, 1);
      }));
    } finally {
      for (const client of clients) client.release();
    }
  }

  private get tail(): pg.Pool {
    return this.options.tailPool ?? this.options.pool;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    await this.pulling;
    for (const stream of this.eventStreams) stream.close();
    for (const stream of this.datamartStreams) stream.close();
  }

  /** Fetches what committed since the last look (coalescing wake-ups that arrive meanwhile). */
  wake(): void {
    if (this.stopped) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = this.pull()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'reading the event stream failed'))
      .finally(() => {
        this.pulling = null;
        if (this.pullAgain) {
          this.pullAgain = false;
          this.wake();
        }
      });
  }

  /**
   * A batch committed up to this position: announced by fact_processed, or handed over by a
   * processor in the same process. Positions are given out in commit order, so everything up to
   * it can be read.
   */
  committed(lastPosition: number | null): void {
    if (lastPosition !== null && lastPosition > this.announced) this.announced = lastPosition;
    this.wake();
  }

  /**
   * Batches a processor in this process has just committed, before their announcement. Those
   * that came with their stream rows are delivered from them while each is the next batch;
   * whatever is left is read.
   */
  handOver(batches: readonly { batchId: number; lastPosition: number | null; stream?: unknown }[]): void {
    const last = batches.at(-1);
    if (!last) return;
    if (last.batchId > this.handedOver) this.handedOver = last.batchId;
    if (!batches.every((batch) => this.deliverHanded(batch))) this.committed(last.lastPosition);
  }

  /**
   * Delivers a handed-over batch without reading it, when it is the batch after the last one
   * read: batch ids are given out in commit order, so none can commit between the two. Not while
   * a read is under way, which could be reading the same batch.
   */
  private deliverHanded(result: { batchId: number; stream?: unknown }): boolean {
    if (this.pulling || this.stopped || result.batchId !== this.batchId + 1) return false;
    const handed = parseHandedBatch(result.stream);
    const first = handed?.events[0];
    if (!handed || !first || first.position <= this.position) return false;
    for (const event of handed.events) this.append(event);
    this.announce(handed.batch);
    this.batchId = handed.batch.batchId;
    this.committedAt = handed.batch.committedAt;
    return true;
  }

  /** Waits until the hub has read everything committed before this call. */
  async sync(): Promise<void> {
    const head = await streamHead(this.options.pool);
    while (this.batchId < head.batchId && !this.stopped) {
      this.wake();
      await (this.pulling ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  events(options: EventStreamOptions): EventStream {
    const stream = new EventStream(this, options, () => {
      this.removeLive(stream);
      this.eventStreams.delete(stream);
    });
    this.eventStreams.add(stream);
    return stream;
  }

  /** Every open event stream, live or replaying (for metrics and tests). */
  streams(): EventStream[] {
    return [...this.eventStreams];
  }

  datamartUpdates(filter: DatamartFilter): DatamartStream {
    const stream = new DatamartStream(filter, this.options.queueLimit, () => this.datamartStreams.delete(stream));
    this.datamartStreams.add(stream);
    for (const listener of this.datamartListeners) listener.opened?.(filter);
    return stream;
  }

  /** Called with each batch read, after the datamart streams were offered it (the badge watcher, the response cache). */
  onDatamartBatch(listener: DatamartListener): void {
    this.datamartListeners.push(listener);
  }

  /** Whether a USER datamart stream follows this user (or every user). */
  followsUser(userId: number): boolean {
    for (const stream of this.datamartStreams) {
      const { scope, key } = stream.follows;
      if (scope === 'user' && (key === null || Number(key) === userId)) return true;
    }
    return false;
  }

  /** Sends a user's newly earned badges to the USER datamart streams following them. */
  publishBadges(update: DatamartUpdate): void {
    for (const stream of this.datamartStreams) stream.offerBadges(update);
  }

  /** Ring events after `position` (the caller checked position >= ringFloor). */
  ringAfter(position: number): StreamEvent[] {
    let low = 0;
    let high = this.ring.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.ring[mid]!.position <= position) low = mid + 1;
      else high = mid;
    }
    return this.ring.slice(low);
  }

  addLive(stream: EventStream): void {
    const { countries, users, noteIds } = stream.filter;
    if (noteIds) for (const id of noteIds) addTo(this.byNote, id, stream);
    else if (countries) for (const code of countries) addTo(this.byCountry, code, stream);
    else if (users) for (const id of users) addTo(this.byUser, id, stream);
    else this.unindexed.add(stream);
  }

  removeLive(stream: EventStream): void {
    const { countries, users, noteIds } = stream.filter;
    if (noteIds) for (const id of noteIds) removeFrom(this.byNote, id, stream);
    else if (countries) for (const code of countries) removeFrom(this.byCountry, code, stream);
    else if (users) for (const id of users) removeFrom(this.byUser, id, stream);
    else this.unindexed.delete(stream);
  }

  /** Subscriptions receiving events as they come: live event streams and datamart streams. */
  get liveSubscribers(): number {
    const { events, replaying, datamart } = this.counts();
    return events - replaying + datamart;
  }

  /** Open subscriptions: event streams (and how many of them are replaying) and datamart streams. */
  counts(): { events: number; replaying: number; datamart: number } {
    const live = new Set(this.unindexed);
    for (const index of [this.byNote, this.byCountry, this.byUser]) for (const set of index.values()) for (const stream of set) live.add(stream);
    return { events: this.eventStreams.size, replaying: this.eventStreams.size - live.size, datamart: this.datamartStreams.size };
  }

  private async pull(): Promise<void> {
    for (;;) {
      let early = this.prefetch();
      const batches = await loadBatches(this.tail, this.batchId, PAGE);
      if (batches.length === 0) return;
      const upTo = batches.at(-1)!.lastPosition ?? this.position;
      while (this.position < upTo) {
        if (this.eventStreams.size === 0) {
          this.skipTo(upTo);
          break;
        }
        const page = early && early.after === this.position && early.upTo <= upTo ? early : this.read(this.position, upTo);
        early = null;
        const events = await page.events;
        for (const event of events) this.append(event);
        // A page short of the limit means every position up to its end has been read (gaps are
        // positions of rolled-back transactions, which no row will ever take).
        if (events.length < PAGE) this.position = page.upTo;
      }
      for (const batch of batches) this.announce(batch);
      this.batchId = batches.at(-1)!.batchId;
      this.committedAt = batches.at(-1)!.committedAt;
      if (batches.length < PAGE) return;
    }
  }

  /**
   * The events up to the last notified position, read while the batch rows load: positions
   * are given out in commit order (DESIGN.md rule 5), so when a batch's notification arrives
   * every position up to its last has committed or was rolled back. One round trip less
   * between a fact's commit and its subscribers.
   */
  private prefetch(): EventPage | null {
    if (this.eventStreams.size === 0 || this.announced <= this.position) return null;
    const page = this.read(this.position, this.announced);
    // Unused when the batch rows say otherwise: its failure must not go unhandled.
    page.events.catch(() => {});
    return page;
  }

  private read(after: number, upTo: number): EventPage {
    return { after, upTo, events: loadEvents(this.tail, after, upTo, PAGE) };
  }

  /**
   * With no event stream open nobody needs these events: reading them cost an idle API process
   * as much CPU as a quarter of the processor's (a catch-up ran at 13-14k events/s instead of
   * 17-19k). The ring restarts empty at `position`; a later resume from before it is replayed
   * from the database, like any resume older than the ring.
   */
  private skipTo(position: number): void {
    this.position = position;
    this.ringFloor = position;
    this.ring = [];
  }

  private append(event: StreamEvent): void {
    this.position = event.position;
    this.ring.push(event);
    // Trimmed by a quarter at a time, so appending stays O(1) amortised.
    const ringSize = this.options.ringSize ?? 10_000;
    if (this.ring.length > ringSize * 1.25) {
      const evicted = this.ring.splice(0, this.ring.length - ringSize);
      this.ringFloor = evicted.at(-1)!.position;
    }
    if (event.kind === 'reprocess') return;
    for (const stream of this.unindexed) stream.offer(event);
    for (const stream of this.byNote.get(event.noteId) ?? []) stream.offer(event);
    if (event.countryCode) for (const stream of this.byCountry.get(event.countryCode) ?? []) stream.offer(event);
    if (event.userId !== null) for (const stream of this.byUser.get(event.userId) ?? []) stream.offer(event);
  }

  private announce(batch: BatchRow): void {
    for (const stream of this.datamartStreams) stream.offer(batch);
    for (const listener of this.datamartListeners) listener.batch(batch);
  }
}

interface EventPage {
  after: number;
  upTo: number;
  events: Promise<StreamEvent[]>;
}

function addTo<K>(index: Map<K, Set<EventStream>>, key: K, stream: EventStream): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(stream);
}

function removeFrom<K>(index: Map<K, Set<EventStream>>, key: K, stream: EventStream): void {
  const set = index.get(key);
  set?.delete(stream);
  if (set?.size === 0) index.delete(key);
}
