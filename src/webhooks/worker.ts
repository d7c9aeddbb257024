// The delivery loop of one webhook in the process that holds its lease: take the next event of
// its subscription, POST it until the receiver answers 2xx (retrying with backoff), then move
// on. One request at a time per webhook keeps events in order. The cursor moves in memory
// after each 2xx and reaches PostgreSQL with the dispatcher's next flush; a failure is written
// at once, and a pause only after the progress before it.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Config } from '../config.ts';
import { describe } from '../errors.ts';
import type { Logger } from '../log.ts';
import { encodeStreamCursor } from '../streaming/realtime/cursor.ts';
import { postJson } from './http-post.ts';
import type { Limiter } from './limiter.ts';
import type { WebhookMetrics } from './metrics.ts';
import { backoffMs, pauseReason, retryAfterMs } from './retry-policy.ts';
import { HEADERS, openSecret, sign } from './signing.ts';
import { recordFailure, type Progress, type WebhookRow } from './store.ts';
import type { Delivered } from './subscription-source.ts';
import type { TargetGuard } from './target-guard.ts';

/** How long a graceful stop waits for a request in flight. */
const DRAIN_MS = 2_000;

export interface WorkerDeps {
  pool: pg.Pool;
  holder: string;
  config: Config;
  log: Logger;
  guard: TargetGuard;
  limiter: Limiter;
  metrics: WebhookMetrics;
  /** The webhook's events after `after`, or why its subscription was refused. */
  open(row: WebhookRow, after: number): Promise<(AsyncIterator<Delivered> & { close(): void }) | string>;
  /** Writes every worker's progress, then pauses this webhook with the reason. */
  pause(id: string, reason: string): Promise<void>;
}

export class WebhookWorker {
  /** The position of the last event the receiver acknowledged. */
  private cursor: number;
  private progress = { deliveries: 0, retries: 0, recovered: false, lastDeliveryAt: null as Date | null, dirty: false };
  /** Commit time of the event being delivered; null while waiting for one. */
  private pendingSince: Date | null = null;
  /** Ends waits (for an event, a free request slot, a retry); `abort` also cuts a request in flight. */
  private readonly halt = new AbortController();
  private readonly abort = new AbortController();
  private source: (AsyncIterator<Delivered> & { close(): void }) | null = null;
  private done: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  /** A failure streak is open (here or, at start, stored by an earlier holder). */
  private failing: boolean;

  constructor(
    readonly row: WebhookRow,
    private readonly deps: WorkerDeps,
  ) {
    this.cursor = row.cursor;
    this.failing = row.consecutiveFailures > 0;
    this.log = deps.log.child({ webhook: row.id });
  }

  /** The loop ended on an error (the database, most likely): the dispatcher starts it again. */
  crashed = false;

  start(): void {
    this.done = this.run().catch((error: unknown) => {
      this.crashed = true;
      this.deps.metrics.loopErrors.inc();
      this.log.error({ err: error }, 'webhook delivery stopped by an error; starting again at the next lease renewal');
    });
  }

  /** The stream position of the last event the receiver acknowledged. */
  get position(): number {
    return this.cursor;
  }

  /**
   * Stops delivering. With `drain`, a request in flight may finish (for up to DRAIN_MS) so that
   * its answer is counted; otherwise it is cut, and its event is delivered again later.
   */
  async stop(drain = false): Promise<void> {
    this.halt.abort();
    this.source?.close();
    if (!drain) this.abort.abort();
    const deadline = setTimeout(() => this.abort.abort(), DRAIN_MS);
    await this.done;
    clearTimeout(deadline);
  }

  get stopped(): boolean {
    return this.halt.signal.aborted;
  }

  /** Seconds since the oldest undelivered event committed (0 when none waits). */
  get lagSeconds(): number {
    return this.pendingSince ? Math.max(0, (Date.now() - this.pendingSince.getTime()) / 1000) : 0;
  }

  /** What changed since the last call, for the dispatcher's flush (null: nothing). */
  takeProgress(): Progress | null {
    if (!this.progress.dirty) return null;
    const { deliveries, retries, recovered, lastDeliveryAt } = this.progress;
    this.progress = { deliveries: 0, retries: 0, recovered: false, lastDeliveryAt: null, dirty: false };
    return { id: this.row.id, cursor: this.cursor, deliveries, retries, recovered, lastDeliveryAt, pendingSince: this.pendingSince };
  }

  private async run(): Promise<void> {
    let secret: string;
    try {
      secret = openSecret(this.row.secret, this.deps.config.WEBHOOK_SECRET_KEY);
    } catch (error) {
      return this.deps.pause(this.row.id, describe(error));
    }
    const opened = await this.deps.open(this.row, this.cursor);
    if (typeof opened === 'string') return this.deps.pause(this.row.id, `the subscription was refused: ${opened}`);
    if (this.stopped) return opened.close();
    this.source = opened;
    const url = new URL(this.row.url);
    for (;;) {
      if (this.stopped) return;
      const item = await opened.next();
      if (item.done || this.stopped) return;
      this.setPending(item.value.event.processedAt);
      if (!(await this.deliver(url, secret, item.value))) return;
      this.cursor = item.value.event.position;
      this.deps.metrics.deliveries.inc({ webhook: this.row.id });
      this.deps.metrics.latency.observe((Date.now() - item.value.event.processedAt.getTime()) / 1000);
      Object.assign(this.progress, { deliveries: this.progress.deliveries + 1, lastDeliveryAt: new Date(), dirty: true });
      this.setPending(null);
    }
  }

  private setPending(since: Date | null): void {
    if (since?.getTime() === this.pendingSince?.getTime()) return;
    this.pendingSince = since;
    this.progress.dirty = true;
  }

  /** POSTs one event until a 2xx (true), or until the webhook pauses or the worker stops (false). */
  private async deliver(url: URL, secret: string, { event, body }: Delivered): Promise<boolean> {
    const { config, metrics } = this.deps;
    const signal = this.halt.signal;
    for (;;) {
      let release: () => void;
      try {
        release = await this.deps.limiter.acquire(signal);
      } catch {
        return false;
      }
      const timestamp = Math.floor(Date.now() / 1000);
      const outcome = await postJson(
        url,
        body,
        {
          [HEADERS.signature]: sign(secret, timestamp, body),
          [HEADERS.timestamp]: String(timestamp),
          [HEADERS.delivery]: `${this.row.id}:${event.position}`,
          [HEADERS.webhook]: this.row.id,
          [HEADERS.cursor]: encodeStreamCursor(event.position),
        },
        { guard: this.deps.guard, timeoutMs: config.WEBHOOK_TIMEOUT_MS, signal: this.abort.signal },
      ).finally(release);
      if (outcome.kind === 'ok') {
        if (this.failing) Object.assign(this.progress, { recovered: true, dirty: true });
        this.failing = false;
        return true;
      }
      if (this.stopped) return false; // cut by stop(), or failed while stopping: tried again by whoever delivers next
      this.failing = true;
      metrics.failures.inc({ webhook: this.row.id });
      this.log.info({ status: outcome.status, position: event.position }, `webhook delivery failed: ${outcome.error}`);
      const streak = await recordFailure(this.deps.pool, this.deps.holder, this.row.id, outcome.error);
      if (!streak) return false; // another process holds the webhook now
      if (outcome.kind === 'permanent') {
        await this.deps.pause(this.row.id, outcome.error);
        return false;
      }
      const reason = pauseReason(streak, config);
      if (reason !== null) {
        await this.deps.pause(this.row.id, `${reason}; last error: ${outcome.error}`);
        return false;
      }
      const wait = retryAfterMs(outcome.retryAfter) ?? backoffMs(streak.consecutiveFailures, config);
      metrics.retries.inc({ webhook: this.row.id });
      Object.assign(this.progress, { retries: this.progress.retries + 1, dirty: true });
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return false;
      }
    }
  }
}
