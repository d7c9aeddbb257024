// Pushes rolling rankings to their subscribers: one statement per window and limit, however
// many subscribers share them, after each batch of processed facts (at most every
// MIN_INTERVAL_MS) and every SLIDE_MS without any (the window slides: old actions drop out).
import type { Reader } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { PgPubSub } from '../streaming/realtime/pubsub.ts';
import { pushStream, type PushStream } from '../streaming/realtime/push-stream.ts';
import { rollingRankings, type RollingRankings, type RollingWindow } from './rolling-rankings.ts';

const MIN_INTERVAL_MS = 1_000;
const SLIDE_MS = 15_000;

interface Group {
  window: RollingWindow;
  limit: number;
  streams: Set<PushStream<RollingRankings>>;
  running: boolean;
  again: boolean;
  lastRunAt: number;
  timer?: NodeJS.Timeout;
}

export class RankingsFeed {
  private readonly groups = new Map<string, Group>();
  private offs: (() => void)[] = [];
  private slide: NodeJS.Timeout | undefined;

  constructor(private readonly options: { db: Reader; pubsub: PgPubSub | null; log: Logger }) {}

  start(): void {
    const refreshAll = () => {
      for (const group of this.groups.values()) this.refresh(group);
    };
    if (this.options.pubsub) {
      this.offs = [this.options.pubsub.subscribe('fact_processed', refreshAll), this.options.pubsub.onReconnect(refreshAll)];
    }
    this.slide = setInterval(refreshAll, SLIDE_MS);
    this.slide.unref();
  }

  stop(): void {
    for (const off of this.offs) off();
    clearInterval(this.slide);
    for (const group of this.groups.values()) {
      clearTimeout(group.timer);
      for (const stream of group.streams) void stream.return();
    }
    this.groups.clear();
  }

  /** The rankings now, then after each change of the facts (and as the window slides). */
  stream(window: RollingWindow, limit: number): AsyncIterableIterator<RollingRankings> {
    const id = `${window}:${limit}`;
    let group = this.groups.get(id);
    if (!group) this.groups.set(id, (group = { window, limit, streams: new Set(), running: false, again: false, lastRunAt: 0 }));
    const owner = group;
    const stream = pushStream<RollingRankings>({
      keep: 1,
      onClose: () => {
        owner.streams.delete(stream);
        if (owner.streams.size === 0) {
          clearTimeout(owner.timer);
          this.groups.delete(id);
        }
      },
    });
    owner.streams.add(stream);
    // The newcomer's first value: its own statement, so it never waits for the group's throttle.
    rollingRankings(this.options.db, window, limit).then(
      (rankings) => stream.push(rankings),
      (error: unknown) => this.options.log.warn({ err: error }, 'rolling rankings could not be read'),
    );
    return stream;
  }

  private refresh(group: Group): void {
    if (group.running) {
      group.again = true;
      return;
    }
    const wait = group.lastRunAt + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      group.timer ??= setTimeout(() => {
        group.timer = undefined;
        this.refresh(group);
      }, wait);
      return;
    }
    group.running = true;
    group.lastRunAt = Date.now();
    rollingRankings(this.options.db, group.window, group.limit)
      .then(
        (rankings) => {
          for (const stream of group.streams) stream.push(rankings);
        },
        (error: unknown) => this.options.log.warn({ err: error }, 'rolling rankings could not be read'),
      )
      .finally(() => {
        group.running = false;
        if (group.again && group.streams.size > 0) {
          group.again = false;
          this.refresh(group);
        }
      });
  }
}
