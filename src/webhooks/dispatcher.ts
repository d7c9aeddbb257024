// The webhooks side of an API process: it takes the leases of active webhooks (one process
// delivers a given webhook at a time, and a process that dies lets its leases run out), runs a
// worker per held webhook, writes their progress to PostgreSQL in one statement per flush, and
// bounds the requests in flight. Created by the server when the process has a stream hub; a
// change made by any process (create, pause, resume, delete) is announced on the
// webhooks_changed channel and picked up at once.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parse, type GraphQLError, type GraphQLSchema } from 'graphql';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { PgPubSub } from '../streaming/realtime/pubsub.ts';
import { Limiter } from './limiter.ts';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.ts';
import { claimWebhooks, pauseWebhook, releaseLeases, saveProgress, type WebhookRow } from './store.ts';
import { openSource, withCursorArgument } from './subscription-source.ts';
import { TargetGuard } from './target-guard.ts';
import { WebhookWorker } from './worker.ts';

export interface DispatcherDeps {
  pool: pg.Pool;
  pubsub: PgPubSub;
  schema: GraphQLSchema;
  /** A context for running webhook subscriptions (subscriber access, no tokens). */
  context: () => object;
  config: Config;
  log: Logger;
  registry: Registry;
  maskError: (error: GraphQLError) => GraphQLError;
}

/** How often delivery progress is written: a crash repeats at most this much of it. */
const FLUSH_MS = 250;

export class WebhookDispatcher {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly guard: TargetGuard;
  readonly limiter: Limiter;
  private readonly workers = new Map<string, WebhookWorker>();
  /** Workers stopped since the last flush, whose last progress is still to be written. */
  private readonly retired = new Set<WebhookWorker>();
  private readonly metrics: WebhookMetrics;
  private readonly log: Logger;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: DispatcherDeps) {
    this.guard = new TargetGuard(deps.config.WEBHOOK_ALLOWED_HOSTS);
    this.limiter = new Limiter(deps.config.WEBHOOK_MAX_IN_FLIGHT);
    this.log = deps.log.child({ component: 'webhooks' });
    this.metrics = createWebhookMetrics(deps.registry, () => ({
      lags: () => [...this.workers].map(([id, worker]) => [id, worker.lagSeconds]),
      inFlight: () => this.limiter.inFlight,
      delivering: () => this.workers.size,
    }));
  }

  async start(): Promise<void> {
    this.unsubscribe = this.deps.pubsub.subscribe('webhooks_changed', () => this.poke());
    await this.poke();
    // Leases are renewed three times per lease period; a missed notification costs at most that.
    const renewMs = (this.deps.config.WEBHOOK_LEASE_SECONDS * 1000) / 3;
    this.timers.push(
      setInterval(() => void this.poke(), renewMs).unref(),
      setInterval(() => void this.flush(), FLUSH_MS).unref(),
    );
  }

  /** Stops every worker, writes their progress and gives up the leases, so another process resumes at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe?.();
    await this.refreshing;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop(true)));
    await this.flush();
    this.workers.clear();
    await releaseLeases(this.deps.pool, this.holder).catch((error: unknown) => this.log.warn({ err: error }, 'releasing webhook leases failed'));
  }

  /** Claims and renews leases now, and starts or stops workers to match (coalesced). */
  poke(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.refresh()
      .catch((error: unknown) => this.log.error({ err: error }, 'claiming webhooks failed'))
      .finally(() => {
        this.refreshing = null;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          void this.poke();
        }
      });
    return this.refreshing;
  }

  /** Writes the progress of every worker (one statement); flushes run one after another. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const workers = [...this.workers.values(), ...this.retired];
      this.retired.clear();
      const progress = workers.map((worker) => worker.takeProgress()).filter((p) => p !== null);
      await saveProgress(this.deps.pool, this.holder, progress).catch((error: unknown) =>
        this.log.warn({ err: error, webhooks: progress.length }, 'saving webhook progress failed; those events will be delivered again'),
      );
    });
    return this.flushing;
  }

  /** The seconds a webhook delivered here is behind, if this process delivers it. */
  lagOf(id: string): number | null {
    return this.workers.get(id)?.lagSeconds ?? null;
  }

  private async refresh(): Promise<void> {
    const rows = await claimWebhooks(this.deps.pool, this.holder, this.deps.config.WEBHOOK_LEASE_SECONDS, 100_000);
    if (this.stopped) return;
    const held = new Map(rows.map((row) => [row.id, row]));
    const stopping: Promise<void>[] = [];
    /** Where a restarted webhook's previous worker had got to. */
    const reached = new Map<string, number>();
    for (const [id, worker] of this.workers) {
      const row = held.get(id);
      // Gone, paused, taken over, changed by a resume, or stopped by an error (a lost database
      // connection): stop, write what it delivered, and start again from there.
      if (!row || row.revision !== worker.row.revision || worker.crashed) {
        this.workers.delete(id);
        this.metrics.forget(id);
        this.retired.add(worker);
        reached.set(id, worker.position);
        stopping.push(worker.stop());
      }
    }
    await Promise.all(stopping);
    if (stopping.length > 0) await this.flush();
    for (const row of rows) {
      if (this.workers.has(row.id)) continue;
      // The stored cursor, or the old worker's when its last flush was refused (a pause by another
      // process) or is not in `row` yet; a resume with skipMissed moved the stored one past both.
      const start = { ...row, cursor: Math.max(row.cursor, reached.get(row.id) ?? 0) };
      const worker = new WebhookWorker(start, {
        pool: this.deps.pool,
        holder: this.holder,
        config: this.deps.config,
        log: this.log,
        guard: this.guard,
        limiter: this.limiter,
        metrics: this.metrics,
        open: (webhook, after) => this.open(webhook, after),
        pause: (webhookId, reason) => this.pause(webhookId, reason),
      });
      this.workers.set(row.id, worker);
      worker.start();
    }
  }

  private async open(row: WebhookRow, after: number) {
    const source = await openSource({
      schema: this.deps.schema,
      document: withCursorArgument(parse(row.query), row.operationName),
      query: row.query,
      operationName: row.operationName,
      variables: row.variables,
      context: this.deps.context(),
      after,
      maskError: this.deps.maskError,
    });
    return Array.isArray(source) ? source.map((e) => e.message).join('; ') : (source as Exclude<typeof source, readonly GraphQLError[]>);
  }

  /** Pauses a webhook its worker gave up on, after writing the progress it made before. */
  private async pause(id: string, reason: string): Promise<void> {
    await this.flush();
    const worker = this.workers.get(id);
    this.workers.delete(id);
    this.metrics.forget(id);
    // Not awaited: the worker calling this ends right after it.
    worker?.stop().catch(() => {});
    this.log.warn({ webhook: id, reason }, 'webhook paused');
    await pauseWebhook(this.deps.pool, id, null, reason);
  }
}
