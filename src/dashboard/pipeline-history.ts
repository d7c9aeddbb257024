// A short history of the pipeline's figures, so that a page opened now draws charts at once:
// a ring buffer of samples taken after each alert evaluation (every ALERT_EVALUATION_SECONDS,
// from the figures the evaluator has just read), covering the last hour. It lives in this
// process (each API instance keeps its own, empty after a restart), like the alert states.
import type pg from 'pg';
import type { AlertEvaluator } from '../alerts/evaluator.ts';
import type { Logger } from '../log.ts';
import { pushStream, type PushStream } from '../streaming/realtime/push-stream.ts';

export const HISTORY_SECONDS = 3600;

export interface PipelineSample {
  /** The database's clock when the figures were read. */
  at: Date;
  /** Outbox events written per second since the previous sample; null for the first sample. */
  receivedPerSecond: number | null;
  /** Events processed (in committed batches) per second since the previous sample; null for the first. */
  processedPerSecond: number | null;
  /** Age of the oldest event waiting: how far the warehouse is behind (0: not at all). */
  lagSeconds: number;
  /** Events waiting in the outbox. */
  backlog: number;
  /** Dead-lettered events in the outbox. */
  deadLetters: number;
  processorsLive: number;
  /** Longest time a LISTEN connection (a processor's, this server's) has been down; 0 when all are up. */
  listenerDownSeconds: number;
  /** Open subscriptions of this API process (note and fact events, datamart updates). */
  subscribers: number;
}

export interface PipelineHistoryOptions {
  evaluator: AlertEvaluator;
  pool: pg.Pool;
  log: Logger;
  /** Seconds between samples (the alert evaluation interval). */
  intervalSeconds: number;
  subscribers: () => number;
}

export class PipelineHistory {
  private readonly ring: PipelineSample[] = [];
  private readonly capacity: number;
  private readonly streams = new Set<PushStream<PipelineSample>>();
  private previous: { at: Date; written: number } | null = null;
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: PipelineHistoryOptions) {
    this.capacity = Math.max(2, Math.ceil(HISTORY_SECONDS / options.intervalSeconds));
  }

  get intervalSeconds(): number {
    return this.options.intervalSeconds;
  }

  start(): void {
    // One sample after each evaluation, in order (a slow one delays the next, never reorders).
    this.unsubscribe = this.options.evaluator.subscribe(() => {
      this.chain = this.chain.then(() => this.sample());
    });
    this.chain = this.chain.then(() => this.sample());
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.chain;
    for (const stream of this.streams) void stream.return();
  }

  /** The samples of the last `seconds`, oldest first. */
  samples(seconds = HISTORY_SECONDS): PipelineSample[] {
    const from = Date.now() - seconds * 1000;
    return this.ring.filter((s) => s.at.getTime() >= from);
  }

  /** Each new sample, from now on. */
  stream(): AsyncIterableIterator<PipelineSample> {
    const stream = pushStream<PipelineSample>({ keep: 100, onClose: () => this.streams.delete(stream) });
    this.streams.add(stream);
    return stream;
  }

  private async sample(): Promise<void> {
    const figures = this.options.evaluator.latestFigures();
    if (!figures || (this.previous && figures.at.getTime() <= this.previous.at.getTime())) return;
    const previous = this.previous;
    let processed: number | null = null;
    if (previous) {
      try {
        // Batches that committed between the two readings (batches_committed_at_idx).
        const { rows } = await this.options.pool.query<{ events: number }>(
          `SELECT coalesce(sum(events), 0)::float8 AS events FROM streaming.batches
           WHERE committed_at > $1 AND committed_at <= $2`,
          [previous.at, figures.at],
        );
        processed = rows[0]!.events;
      } catch (error) {
        this.options.log.debug({ err: error }, 'pipeline sample: processed count not read');
      }
    }
    const seconds = previous ? (figures.at.getTime() - previous.at.getTime()) / 1000 : 0;
    const sample: PipelineSample = {
      at: figures.at,
      receivedPerSecond: previous && seconds > 0 ? Math.max(0, figures.eventsWritten - previous.written) / seconds : null,
      processedPerSecond: processed !== null && seconds > 0 ? processed / seconds : null,
      lagSeconds: figures.oldestPendingSeconds,
      backlog: figures.pendingEvents,
      deadLetters: figures.deadEvents,
      processorsLive: figures.processorsLive,
      listenerDownSeconds: Math.max(figures.processorListenerDownSeconds, figures.pubsubListenerDownSeconds ?? 0),
      subscribers: this.options.subscribers(),
    };
    this.previous = { at: figures.at, written: figures.eventsWritten };
    this.ring.push(sample);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const stream of this.streams) stream.push(sample);
  }
}
