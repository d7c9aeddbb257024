// Pushes badges as users earn them, off the batch path. Badges are derived when read
// (src/resolvers/badges.ts), so "earned" is a difference between two reads: once a second at
// most, the users that batches touched since the last check and that some USER datamartUpdated
// subscription follows have their badges read in one statement and compared with the set seen
// before; what is new goes out as a DatamartUpdate with badgesEarned. The first set seen of a
// user is the baseline: it is read when a subscription for that user opens, or at the first
// batch that touches the user for a subscription to every user (a badge earned by that very
// batch is then not pushed, though Stats.badges shows it).
import { LRUCache } from 'lru-cache';
import type { Reader } from '../../db/client.ts';
import type { Logger } from '../../log.ts';
import { badgesOf } from '../../resolvers/badges.ts';
import type { BatchRow } from './stream-events.ts';
import type { DatamartListener, StreamHub } from './stream-hub.ts';
import type { DatamartFilter } from './streams.ts';

export class BadgeWatcher implements DatamartListener {
  /** The badge ids last seen per OSM user id. */
  private readonly known = new LRUCache<number, ReadonlySet<string>>({ max: 100_000 });
  private pending = new Set<number>();
  private last: BatchRow | null = null;
  private running: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly hub: StreamHub,
    private readonly db: Reader,
    private readonly log: Logger,
    intervalMs = 1_000,
  ) {
    hub.onDatamartBatch(this);
    this.timer = setInterval(() => void this.check(), intervalMs).unref();
  }

  batch(batch: BatchRow): void {
    this.last = batch;
    for (const id of batch.users) if (this.hub.followsUser(id)) this.pending.add(id);
  }

  opened(filter: DatamartFilter): void {
    if (filter.scope !== 'user' || filter.key === null) return;
    const id = Number(filter.key);
    if (this.known.has(id)) return;
    badgesOf(this.db, 'user', [id])
      .then(([badges]) => {
        if (!this.known.has(id)) this.known.set(id, new Set(badges!.map((b) => b.id)));
      })
      .catch((error: unknown) => this.log.warn({ err: error, userId: id }, 'reading the badges of a user failed'));
  }

  /** Compares the badges of the users touched since the last check; one run at a time. */
  async check(): Promise<void> {
    if (this.running || this.pending.size === 0 || !this.last) return;
    const ids = [...this.pending];
    const batch = this.last;
    this.pending = new Set();
    this.running = (async () => {
      const sets = await badgesOf(this.db, 'user', ids);
      ids.forEach((id, i) => {
        const now = new Set(sets[i]!.map((b) => b.id));
        const before = this.known.get(id);
        this.known.set(id, now);
        const earned = before ? [...now].filter((b) => !before.has(b)) : [];
        if (earned.length > 0) {
          this.hub.publishBadges({
            scope: 'user', countryCode: null, userId: id, batchId: batch.batchId, position: batch.lastPosition,
            committedAt: batch.committedAt, badgesEarned: earned,
          });
        }
      });
    })()
      .catch((error: unknown) => this.log.warn({ err: error }, 'checking earned badges failed'))
      .finally(() => (this.running = null));
    await this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
