import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import { backoffDelay, sleep } from '../backoff.ts';
import { runBatch, type BatchOutcome } from './batch.ts';
import type { BatchResult } from './batch-result.ts';
import { PgListener } from './listener.ts';
import type { ProcessorMetrics } from './metrics.ts';
import { RateWindow } from './rate-window.ts';
import { runMaintenance } from './maintenance.ts';
import { CancellableConnections } from './cancellable-connections.ts';

export const PROCESSOR_CHANNELS = ['note_inserted', 'note_status_changed', 'bulk_import_completed'] as const;
// Notified by the outbox trigger at every writer's commit.
const WRITER_CHANNEL = 'note_inserted';

// Without notifications (listener down, retries coming due) the outbox is still checked this often.
const IDLE_POLL_MS = 1_000;
const HEARTBEAT_MS = 2_000;
// How often tables that changed a lot are re-analysed (see streaming.refresh_statistics).
const STATISTICS_MS = 5_000;
// How long a batch ceiling halved by a full lock table stays halved before it doubles again.
const CEILING_RECOVERY_MS = 30_000;
// How long stop() lets a batch or sweep in flight finish before cancelling it (it rolls back and
// its events stay pending): well inside the 5 s a process manager gives a stopping process.
export const STOP_GRACE_MS = 2_000;
// Batches up to this size come back with their stream rows for `onCommitted` (~0.1 ms of the
// transaction for one event). Larger ones are backlog: the hub reads them itself, on other
// connections, while the processor goes on with the next batch.
const HAND_OVER_ROWS = 100;

export interface ProcessorOptions {
  url: string;
  pool: pg.Pool;
  config: Config;
  log: Logger;
  metrics?: ProcessorMetrics;
  /**
   * Told of each committed batch at once, before its notification goes out: an API in the same
   * process (ROLE=all) delivers a small batch from its stream rows without reading it.
   */
  onCommitted?: (batches: readonly BatchResult[]) => void;
}

/**
 * The streaming processor: one LISTEN connection for wake-ups, one loop that claims batches
 * from the outbox and runs the micro-ETL, a heartbeat row with its counters, and the periodic
 * sweep. Any number can run against one database; row and note locks share the work.
 */
export class Processor {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly listener: PgListener;
  eventsProcessed = 0;
  eventsFailed = 0;
  batchesCommitted = 0;
  readonly processedWindow = new RateWindow();
  readonly failedWindow = new RateWindow();
  private readonly log: Logger;
  private stopping = false;
  private readonly waiters = new Set<() => void>();
  private wakePending = false;
  /** Set while the last batch came back full: the helper loops claim too. */
  private backlog = false;
  private readonly helperWaiters = new Set<() => void>();
  /** When the last batch of any loop started (performance.now()). */
  private lastClaimAt = -Infinity;
  private loop: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private maintenance: Promise<void> = Promise.resolve();
  private readonly connections: CancellableConnections;
  /**
   * The lead loop's connection, kept from one batch to the next. A session plans the claim and
   * the ETL's ~80 statements at their first run and keeps the plans: a batch that ran on
   * whichever pooled connection the heartbeat or the statistics refresh had just released
   * planned them all again, 50-70 ms instead of ~6 (docs/benchmarks.md, "Third pass").
   */
  private kept: pg.PoolClient | null = null;

  constructor(private readonly options: ProcessorOptions) {
    this.log = options.log.child({ component: 'processor', processorId: this.id });
    this.connections = new CancellableConnections(options.pool, options.url);
    this.listener = new PgListener({
      url: options.url,
      channels: PROCESSOR_CHANNELS,
      log: this.log,
      applicationName: 'notes-stream processor listener',
      onNotification: () => {
        options.metrics?.notifications.inc();
        this.wake();
      },
      // Whatever was missed while disconnected is in the outbox: drain it now.
      onConnect: () => this.wake(),
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
    await this.heartbeat();
    // A backlog written while no processor ran has not been analysed yet (autovacuum may be
    // off or a minute away): plans made from the old statistics scan what they should look up.
    await this.refreshStatistics();
    // One loop follows live traffic; the others join only while there is a backlog (a full
    // batch), when several keep both the database's cores busy: while one batch waits on a
    // commit or a lock, another computes. Row and note locks keep them apart as they do
    // processes. Live traffic is left to one loop because two claiming small batches at once
    // mostly waited on each other (their batches touch the same datamart rows) and doubled the
    // fixed cost per event.
    const loops = Array.from({ length: this.options.config.PROCESSOR_CONCURRENCY }, (_, k) => this.run(k === 0));
    this.loop = Promise.all(loops).then(() => undefined);
    this.timers.push(setInterval(() => void this.heartbeat(), HEARTBEAT_MS).unref());
    this.timers.push(
      setInterval(() => {
        this.maintenance = this.maintenance.then(() => this.refreshStatistics());
      }, STATISTICS_MS).unref(),
    );
    const sweepMs = this.options.config.SWEEP_INTERVAL_SECONDS * 1000;
    if (sweepMs > 0) {
      this.timers.push(
        setInterval(() => {
          this.maintenance = this.maintenance.then(() => this.runMaintenance());
        }, sweepMs).unref(),
      );
    }
    this.log.info('processor started');
  }

  /**
   * Stops claiming at once; the batch (or sweep) in flight gets `graceMs` to finish, then is
   * cancelled: it rolls back and its events stay pending. Nothing is left claimed either way.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.stopping) return this.loop;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.wake();
    const work = Promise.all([this.loop, this.maintenance]);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
    if (await Promise.race([work.then(() => false), graceOver])) {
      const busy = this.connections.busy;
      const cancelled = await this.connections.cancelAll().catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not cancel the work in flight');
        return 0;
      });
      this.log.warn({ graceMs, busy, cancelled }, 'work in flight outlasted the stop grace: cancelled (its events stay pending)');
    }
    clearTimeout(timer);
    await work;
    this.connections.close();
    await this.listener.stop();
    await this.options.pool
      .query('DELETE FROM streaming.processors WHERE processor_id = $1', [this.id])
      .catch(() => {});
    this.log.info('processor stopped');
  }

  /** Runs the sweep and outbox clean-up now (also done every SWEEP_INTERVAL_SECONDS). */
  runMaintenance(): Promise<void> {
    return runMaintenance(this.connections, this.options.config, this.log).catch((error: unknown) =>
      this.log.error({ err: error }, 'maintenance failed'),
    );
  }

  /** Analyses the tables that grew or changed a lot, so that batches keep index plans. */
  async refreshStatistics(): Promise<void> {
    try {
      const { rows } = await this.connections.query<{ tables: string[] }>(
        'SELECT streaming.refresh_statistics() AS tables',
      );
      const tables = rows[0]?.tables ?? [];
      if (tables.length > 0) this.log.debug({ tables }, 'table statistics refreshed');
    } catch (error) {
      this.log.warn({ err: error }, 'table statistics could not be refreshed');
    }
  }

  wake(): void {
    this.wakePending = true;
    for (const waiter of this.waiters) waiter();
    if (this.stopping) for (const waiter of this.helperWaiters) waiter();
  }

  private setBacklog(backlog: boolean): void {
    this.backlog = backlog;
    if (backlog) for (const waiter of this.helperWaiters) waiter();
  }

  private async run(lead: boolean): Promise<void> {
    const { config } = this.options;
    let failures = 0;
    // A full batch means a backlog: the next claim is twice as large, up to the backlog size.
    // Each batch has ~10 ms of fixed work, so 2,000-event batches drain a backlog about 15 %
    // faster than 500-event ones, and 4,000-event ones ~6 % faster again; live traffic and the
    // start of a burst (shared by the loops) keep the configured size.
    const base = config.PROCESSOR_BATCH_SIZE;
    const largest = Math.max(base, config.PROCESSOR_BACKLOG_BATCH_SIZE);
    // Halved when a claim does not fit in the server's lock table (see runBatch), and doubled
    // back every CEILING_RECOVERY_MS without another such claim: the pressure may have come
    // from other sessions, and one runaway event halves it as far as a single event.
    let ceiling = largest;
    let loweredAt = 0;
    let size = base;
    let streak = false;
    while (!this.stopping) {
      if (!lead && !this.backlog) {
        await this.helperIdle(IDLE_POLL_MS);
        continue;
      }
      let processed = 0;
      if (ceiling < largest && Date.now() - loweredAt > CEILING_RECOVERY_MS) {
        ceiling = Math.min(ceiling * 2, largest);
        loweredAt = Date.now();
      }
      try {
        this.lastClaimAt = performance.now();
        const outcome = await this.processOneBatch(size, lead);
        failures = 0;
        if (outcome.tooLarge) {
          ceiling = Math.max(1, Math.floor(size / 2));
          loweredAt = Date.now();
          this.log.warn(
            { events: size, ceiling },
            "a claim this large exceeds the server's lock table (max_locks_per_transaction); this loop's batches are halved for a while",
          );
          size = ceiling;
          continue;
        }
        processed = outcome.handled;
      } catch (error) {
        if (this.stopping) break;
        this.log.error({ err: error }, 'batch could not run; retrying');
        await sleep(backoffDelay(failures++, 250, 10_000));
        continue;
      }
      const full = processed >= size;
      this.setBacklog(full);
      size = full ? Math.min(size * 2, ceiling) : Math.min(base, ceiling);
      if (!lead) continue; // helpers go back to waiting for a backlog unless this one was full
      if (processed > 0) {
        // A steady stream (this claim and the one before found events): claims start at least
        // PROCESSOR_STREAM_PACE_MS apart, so that single commits are taken a batch of several at
        // a time (a batch's fixed cost is most of a small one's, and a processor claiming back to
        // back took half a core from the writers), and wake-ups are not needed meanwhile: the
        // listener stops hearing note_inserted. After a pause the first event is claimed at once.
        const pace = streak && !full ? config.PROCESSOR_STREAM_PACE_MS - (performance.now() - this.lastClaimAt) : 0;
        if (streak) this.listener.mute(WRITER_CHANNEL);
        streak = true;
        if (pace > 0 && !this.stopping) await sleep(pace);
        continue;
      }
      streak = false;
      if (this.listener.isMuted(WRITER_CHANNEL)) {
        // Listening again before the next claim, so a commit after that claim cannot go unheard.
        await this.listener.unmute(WRITER_CHANNEL);
        continue;
      }
      await this.idle(IDLE_POLL_MS);
      // Let a burst of notifications fill the batch a little before claiming, unless the stream
      // was quiet: a wake-up later than PROCESSOR_BATCH_WAIT_MS after the last claim is claimed
      // at once (the first event after a pause is not held back).
      const wait = config.PROCESSOR_BATCH_WAIT_MS - (performance.now() - this.lastClaimAt);
      if (wait > 0 && !this.stopping) await sleep(wait);
    }
    if (lead) this.letGo();
  }

  /** The lead loop's connection: the kept one, or a new one from the pool, kept from now on. */
  private async leadConnection(): Promise<pg.PoolClient> {
    if (!this.kept) {
      const client = await this.connections.connect();
      // Out of the pool nobody else hears its errors: pg reports a lost connection as an 'error'
      // event, after the failing query if one runs, or on its own between batches.
      client.on('error', this.onKeptError);
      this.kept = client;
    }
    return this.kept;
  }

  /** Gives the kept connection back to the pool (with an error, to be closed). */
  private letGo(error?: Error): void {
    const client = this.kept;
    if (!client) return;
    this.kept = null;
    client.off('error', this.onKeptError);
    client.release(error);
  }

  private readonly onKeptError = (error: Error): void => {
    this.log.warn({ err: error }, 'the lead loop lost its connection; the next batch takes another');
    this.letGo(error);
  };

  private helperIdle(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.helperWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.helperWaiters.add(done);
    });
  }

  private idle(ms: number): Promise<void> {
    if (this.wakePending || this.stopping) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        this.wakePending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  /** Runs one batch; `handled` counts the events committed or failed. */
  private async processOneBatch(batchSize: number, keep: boolean): Promise<{ handled: number; tooLarge: boolean }> {
    const { config, metrics } = this.options;
    const client = keep ? await this.leadConnection() : await this.connections.connect();
    const started = performance.now();
    let outcome: BatchOutcome;
    try {
      outcome = await runBatch(client, {
        processorId: this.id,
        batchSize,
        maxAttempts: config.PROCESSOR_MAX_ATTEMPTS,
        retryBaseMs: config.PROCESSOR_RETRY_BASE_MS,
        log: this.log,
        onCommitted: this.options.onCommitted,
        handOverRows: this.options.onCommitted ? HAND_OVER_ROWS : 0,
      });
      if (!keep) client.release();
    } catch (error) {
      // A kept connection may have been let go already, by its own 'error' event.
      if (keep) this.letGo(error as Error);
      else client.release(error as Error);
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    let processed = 0;
    for (const batch of outcome.committed) {
      processed += batch.events;
      this.batchesCommitted++;
      metrics?.batchSize.observe(batch.events);
      metrics?.batchDuration.observe(seconds);
      for (const lag of batch.lagsMs) metrics?.lag.observe(lag / 1000);
      this.log.debug({ batchId: batch.batchId, events: batch.events, ms: Math.round(seconds * 1000) }, 'batch committed');
    }
    this.eventsProcessed += processed;
    this.processedWindow.add(processed);
    metrics?.eventsProcessed.inc(processed);
    for (const failure of outcome.failed) metrics?.eventsFailed.inc({ outcome: failure.status === 'dead' ? 'dead' : 'retry' });
    this.eventsFailed += outcome.failed.length;
    this.failedWindow.add(outcome.failed.length);
    return { handled: processed + outcome.failed.length, tooLarge: outcome.tooLarge === true };
  }

  private async heartbeat(): Promise<void> {
    const l = this.listener;
    this.options.metrics?.listenerConnected.set(l.connected ? 1 : 0);
    this.options.metrics?.listenerReconnects.set(l.reconnects);
    await this.options.pool
      .query(
        `INSERT INTO streaming.processors AS p (processor_id, hostname, pid, heartbeat_at, listener_connected,
           listener_reconnects, listener_down_since, last_notification_at, notifications_received,
           events_processed, events_failed, batches_committed, failures_last_minute)
         VALUES ($1, $2, $3, now(), $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (processor_id) DO UPDATE SET heartbeat_at = now(),
           listener_connected = EXCLUDED.listener_connected, listener_reconnects = EXCLUDED.listener_reconnects,
           listener_down_since = EXCLUDED.listener_down_since, last_notification_at = EXCLUDED.last_notification_at,
           notifications_received = EXCLUDED.notifications_received, events_processed = EXCLUDED.events_processed,
           events_failed = EXCLUDED.events_failed, batches_committed = EXCLUDED.batches_committed,
           failures_last_minute = EXCLUDED.failures_last_minute`,
        [
          this.id,
          hostname(),
          process.pid,
          l.connected,
          l.reconnects,
          l.downSince,
          l.lastNotificationAt,
          l.notifications,
          this.eventsProcessed,
          this.eventsFailed,
          this.batchesCommitted,
          this.failedWindow.total(),
        ],
      )
      .catch((error: unknown) => this.log.warn({ err: error }, 'heartbeat failed'));
  }
}
