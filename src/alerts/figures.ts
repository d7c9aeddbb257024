// The figures the alert rules compare, read in one round trip: processors' heartbeats, the
// outbox, the batches of the last minute, the newest note action and the poller's record.
// The API server reads them every ALERT_EVALUATION_SECONDS (evaluator.ts) and serves them on
// /metrics (metrics.ts), so Prometheus and the GraphQL `alerts` see the same numbers.
import type pg from 'pg';
import { POLL_HEALTH_NAME, type PollHealth, type PollOutcomeClass } from '../ingest/poll-health.ts';

/** A processor counts as alive while its heartbeat is this recent (as in streamingStatus). */
const LIVE_SECONDS = 15;
/** A poller that said when it would poll next counts as running until this long after that. */
export const POLLER_GRACE_SECONDS = 300;

export interface PollerFigures {
  running: boolean;
  lastSuccessAt: Date | null;
  totals: Partial<Record<PollOutcomeClass, number>>;
  /** Polls in the alert window, and those answered with each class. */
  windowPolls: number;
  windowOk: number;
  windowServerErrors: number;
  windowRateLimited: number;
}

export interface HealthFigures {
  /** The database's clock when read. */
  at: Date;
  processorsLive: number;
  /** Longest time a live processor has been without its LISTEN connection (0: all connected). */
  processorListenerDownSeconds: number;
  /** This process's subscription LISTEN connection; null in a process without one. */
  pubsubListenerDownSeconds: number | null;
  /** Outbox ids given out so far: events written (and the few of rolled-back inserts). */
  eventsWritten: number;
  processedLastMinute: number;
  failedLastMinute: number;
  /** failed / (failed + processed) over the last minute; 0 without failures. */
  errorRatio: number;
  batchesLastMinute: number;
  batchMeanSeconds: number | null;
  pendingEvents: number;
  /** Age of the oldest event not processed yet: how far the warehouse is behind (0: not at all). */
  oldestPendingSeconds: number;
  deadEvents: number;
  newestActionAt: Date | null;
  newestActionAgeSeconds: number | null;
  /** null until a poller has recorded an outcome in this database. */
  poller: PollerFigures | null;
}

export interface FigureSources {
  pool: pg.Pool;
  windowMinutes: number;
  /** This process's pubsub connection, when it has one. */
  pubsub?: { readonly downSince: Date | null } | null;
}

export async function readHealthFigures(sources: FigureSources): Promise<HealthFigures> {
  const { rows } = await sources.pool.query(
    `WITH live AS (
       SELECT * FROM streaming.processors WHERE heartbeat_at > now() - make_interval(secs => $1)
     ), recent AS (
       SELECT coalesce(sum(events), 0)::int AS processed, count(*)::int AS batches,
              avg(extract(epoch FROM committed_at - started_at))::float8 AS mean_seconds
       FROM streaming.batches WHERE committed_at > now() - interval '1 minute'
     )
     SELECT now() AS at,
            (SELECT count(*)::int FROM live) AS processors,
            (SELECT coalesce(max(extract(epoch FROM now() - coalesce(listener_down_since, heartbeat_at))), 0)::float8
             FROM live WHERE NOT listener_connected) AS listener_down,
            (SELECT coalesce(sum(failures_last_minute), 0)::int FROM live) AS failed,
            recent.processed, recent.batches, recent.mean_seconds,
            -- The id sequence, not a count: counting the last minute's events scans the outbox.
            coalesce(pg_sequence_last_value('streaming.events_id_seq'), 0)::float8 AS written,
            (SELECT count(*)::int FROM streaming.events WHERE status = 'pending') AS pending,
            (SELECT extract(epoch FROM now() - created_at)::float8 FROM streaming.events
             WHERE status = 'pending' ORDER BY id LIMIT 1) AS oldest,
            (SELECT count(*)::int FROM streaming.events WHERE status = 'dead') AS dead,
            (SELECT max(created_at) FROM note_comments) AS newest_action,
            (SELECT value FROM streaming.sync_state WHERE name = $2) AS poll_health
     FROM recent`,
    [LIVE_SECONDS, POLL_HEALTH_NAME],
  );
  const r = rows[0];
  const at: Date = r.at;
  const failed: number = r.failed;
  const newest: Date | null = r.newest_action;
  const downSince = sources.pubsub?.downSince;
  return {
    at,
    processorsLive: r.processors,
    processorListenerDownSeconds: r.listener_down,
    pubsubListenerDownSeconds: sources.pubsub ? (downSince ? Math.max(0, (Date.now() - downSince.getTime()) / 1000) : 0) : null,
    eventsWritten: r.written,
    processedLastMinute: r.processed,
    failedLastMinute: failed,
    errorRatio: failed === 0 ? 0 : failed / (failed + r.processed),
    batchesLastMinute: r.batches,
    batchMeanSeconds: r.mean_seconds,
    pendingEvents: r.pending,
    oldestPendingSeconds: Math.max(0, r.oldest ?? 0),
    deadEvents: r.dead,
    newestActionAt: newest,
    newestActionAgeSeconds: newest ? Math.max(0, (at.getTime() - newest.getTime()) / 1000) : null,
    poller: r.poll_health ? pollerFigures(r.poll_health, at, sources.windowMinutes) : null,
  };
}

function pollerFigures(health: PollHealth, at: Date, windowMinutes: number): PollerFigures {
  const from = at.getTime() / 1000 - windowMinutes * 60;
  const inWindow = (health.recent ?? []).filter(([seconds]) => seconds > from);
  const count = (kind: PollOutcomeClass) => inWindow.filter(([, k]) => k === kind).length;
  const next = health.nextPollAt ? Date.parse(health.nextPollAt) : null;
  return {
    running: next !== null && at.getTime() <= next + POLLER_GRACE_SECONDS * 1000,
    lastSuccessAt: health.lastSuccessAt ? new Date(health.lastSuccessAt) : null,
    totals: health.totals ?? {},
    windowPolls: inWindow.length,
    windowOk: count('ok'),
    windowServerErrors: count('server_error'),
    windowRateLimited: count('rate_limited'),
  };
}
