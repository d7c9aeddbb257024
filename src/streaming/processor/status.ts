import type pg from 'pg';
import type { Config } from '../../config.ts';

/** A processor counts as alive while its heartbeat is this recent. */
const LIVE_SECONDS = 15;

export interface ProcessorStatus {
  processorId: string;
  hostname: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
  listenerConnected: boolean;
  listenerReconnects: number;
  listenerDownSince: Date | null;
  lastNotificationAt: Date | null;
  notificationsReceived: number;
  eventsProcessed: number;
  eventsFailed: number;
}

export interface StreamingStatus {
  status: 'ok' | 'degraded' | 'down';
  reasons: string[];
  checkedAt: Date;
  processors: ProcessorStatus[];
  listener: { connected: boolean; reconnects: number; lastNotificationAt: Date | null };
  queue: { pending: number; inProgress: number; dead: number; oldestPendingAgeSeconds: number | null };
  throughput: { receivedPerMinute: number; processedPerMinute: number };
  lag: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };
  errorRate: number;
  batches: { lastMinute: number; meanSize: number | null; meanDurationMs: number | null };
  notificationQueueUsage: number;
}

/** The thresholds of the seed 000 alert rules (src/alerts/rules.ts uses the same variables). */
export type StatusThresholds = Pick<
  Config,
  'ALERT_LISTENER_DOWN_SECONDS' | 'ALERT_ERROR_RATE_PERCENT' | 'ALERT_LAG_SECONDS' | 'ALERT_BACKLOG_EVENTS'
>;

/**
 * Queue, throughput, lag and processor health across every processor of the database; the
 * reasons name each seed 000 alert condition that holds right now (before any hold time).
 */
export async function streamingStatus(pool: pg.Pool, limits: StatusThresholds): Promise<StreamingStatus> {
  const [processors, figures] = await Promise.all([
    pool.query(
      `SELECT processor_id AS "processorId", hostname, pid, started_at AS "startedAt", heartbeat_at AS "heartbeatAt",
              listener_connected AS "listenerConnected", listener_reconnects AS "listenerReconnects",
              listener_down_since AS "listenerDownSince", last_notification_at AS "lastNotificationAt",
              notifications_received AS "notificationsReceived", events_processed AS "eventsProcessed",
              events_failed AS "eventsFailed", failures_last_minute AS "failuresLastMinute"
       FROM streaming.processors WHERE heartbeat_at > now() - make_interval(secs => $1)
       ORDER BY started_at`,
      [LIVE_SECONDS],
    ),
    pool.query(`
      WITH recent AS (
        SELECT coalesce(sum(events), 0)::int AS processed, count(*)::int AS batches,
               avg(events)::float8 AS mean_size,
               avg(1000 * extract(epoch FROM committed_at - started_at))::float8 AS mean_ms,
               min(first_position) AS from_position
        FROM streaming.batches WHERE committed_at > now() - interval '1 minute'
      ), lag AS (
        SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (
                 ORDER BY 1000 * extract(epoch FROM e.processed_at - e.created_at)) AS p
        FROM streaming.events e, recent r WHERE e.position >= r.from_position
      )
      SELECT (SELECT count(*)::int FROM streaming.events WHERE status = 'pending') AS pending,
             (SELECT count(*)::int FROM streaming.events WHERE status = 'dead') AS dead,
             (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM streaming.events WHERE status = 'pending') AS oldest,
             (SELECT count(*)::int FROM streaming.events WHERE created_at > now() - interval '1 minute') AS received,
             r.processed, r.batches, r.mean_size, r.mean_ms, lag.p,
             pg_notification_queue_usage()::float8 AS queue_usage,
             -- Events of the notes whose advisory lock a batch holds right now (claim_events).
             (SELECT count(*)::int FROM streaming.events e
              WHERE e.status = 'pending' AND e.note_id IN (
                SELECT l.objid::bigint FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.classid = 7335002 AND l.objsubid = 2 AND l.granted)) AS in_progress
      FROM recent r, lag`),
  ]);
  const f = figures.rows[0];
  const live = processors.rows as (ProcessorStatus & { failuresLastMinute: number })[];
  const failures = live.reduce((n, p) => n + p.failuresLastMinute, 0);
  const errorRate = failures === 0 ? 0 : failures / (failures + f.processed);
  const [p50, p95, p99] = (f.p as number[] | null) ?? [null, null, null];
  const reasons: string[] = [];
  const now = Date.now();
  if (live.length === 0) reasons.push('no processor is running');
  const downSeconds = limits.ALERT_LISTENER_DOWN_SECONDS;
  for (const p of live) {
    if (p.listenerDownSince && now - p.listenerDownSince.getTime() > downSeconds * 1000) {
      reasons.push(`processor ${p.processorId} has had no LISTEN connection for over ${downSeconds} s`);
    }
  }
  if (errorRate * 100 > limits.ALERT_ERROR_RATE_PERCENT) {
    reasons.push(`error rate ${(errorRate * 100).toFixed(1)} % is over ${limits.ALERT_ERROR_RATE_PERCENT} %`);
  }
  const lagMs = limits.ALERT_LAG_SECONDS * 1000;
  if ((p99 ?? 0) > lagMs || (f.oldest ?? 0) * 1000 > lagMs) reasons.push(`lag is over ${limits.ALERT_LAG_SECONDS} s`);
  if (f.pending > limits.ALERT_BACKLOG_EVENTS) {
    reasons.push(`${f.pending} events wait in the outbox (over ${limits.ALERT_BACKLOG_EVENTS})`);
  }
  return {
    status: live.length === 0 ? 'down' : reasons.length > 0 ? 'degraded' : 'ok',
    reasons,
    checkedAt: new Date(),
    processors: live.map(({ failuresLastMinute: _f, ...p }) => p),
    listener: {
      connected: live.length > 0 && live.every((p) => p.listenerConnected),
      reconnects: live.reduce((n, p) => n + p.listenerReconnects, 0),
      lastNotificationAt: live.reduce<Date | null>(
        (last, p) => (p.lastNotificationAt && (!last || p.lastNotificationAt > last) ? p.lastNotificationAt : last),
        null,
      ),
    },
    queue: {
      pending: f.pending,
      inProgress: f.in_progress,
      dead: f.dead,
      oldestPendingAgeSeconds: f.oldest,
    },
    throughput: { receivedPerMinute: f.received, processedPerMinute: f.processed },
    lag: { p50Ms: p50 ?? null, p95Ms: p95 ?? null, p99Ms: p99 ?? null },
    errorRate,
    batches: { lastMinute: f.batches, meanSize: f.mean_size, meanDurationMs: f.mean_ms },
    notificationQueueUsage: f.queue_usage,
  };
}

/**
 * streamingStatus at most once per `maxAgeMs`: the streamingStatus subscriptions of one server
 * share each reading, so their number does not multiply the queries.
 */
export function sharedStreamingStatus(pool: pg.Pool, limits: StatusThresholds, maxAgeMs = 1_000): () => Promise<StreamingStatus> {
  let last: { at: number; status: Promise<StreamingStatus> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > maxAgeMs) last = { at: Date.now(), status: streamingStatus(pool, limits) };
    return last.status;
  };
}
