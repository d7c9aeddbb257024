// The alert rules, defined once: the API server evaluates them (evaluator.ts, GraphQL `alerts`)
// and `npm run ops:rules` writes them as Prometheus rules (prometheus-rules.ts), both with the
// thresholds of the configuration (ALERT_* variables). Every rule compares one gauge that
// /metrics serves (metrics.ts) with its threshold, so the two can never disagree.
// Sources: the alerting list of the OSM streaming plan (seed 000) and the ingestion rules of
// OSM-Notes-Monitoring; docs/alerts.md says what each means and what to do.
import type { Config } from '../config.ts';
import type { HealthFigures } from './figures.ts';

export type Severity = 'warning' | 'critical';
/** How a value reads: Prometheus humanizes it the same way in its summaries. */
export type ValueFormat = 'count' | 'seconds' | 'ratio';

/** What the rules compare: the figures of one evaluation, with the growth the evaluator tracks. */
export interface AlertFigures extends HealthFigures {
  /** Events dead-lettered within the alert window, as this process saw them. */
  deadLettersAdded: number;
}

export interface AlertRule {
  /** The Prometheus alert name. */
  name: string;
  component: 'streaming' | 'ingestion';
  severity: Severity;
  /** The gauge compared, with its label matchers (e.g. notes_stream_x{class="y"}). */
  series: string;
  comparison: '>' | '<';
  threshold: number;
  forSeconds: number;
  format: ValueFormat;
  /** A second condition: PromQL joined with `and`, and the same test on the figures. */
  onlyWhen?: { promql: string; holds: (figures: AlertFigures) => boolean };
  /** The series' value in this process; null when unknown (the rule then never fires). */
  value: (figures: AlertFigures) => number | null;
  /** One line; `value` is the formatted value (or a Prometheus template). */
  summary: (value: string, threshold: string) => string;
  description: string;
  /** The environment variables that set the threshold and the hold time. */
  settings: [threshold: keyof Config, hold: keyof Config];
}

export type AlertConfig = Pick<Config, Extract<keyof Config, `ALERT_${string}`>>;

export function alertRules(c: AlertConfig): AlertRule[] {
  const window = `${c.ALERT_WINDOW_MINUTES} min`;
  return [
    {
      name: 'StreamingProcessorMissing',
      component: 'streaming',
      severity: 'critical',
      series: 'notes_stream_processors_live',
      comparison: '<',
      threshold: c.ALERT_PROCESSORS_MIN,
      forSeconds: c.ALERT_PROCESSORS_FOR_SECONDS,
      format: 'count',
      value: (f) => f.processorsLive,
      summary: (v, t) => `${v} streaming processors run (at least ${t} expected)`,
      description: 'No processor heartbeat: note actions wait in the outbox and reach no fact, datamart or subscriber.',
      settings: ['ALERT_PROCESSORS_MIN', 'ALERT_PROCESSORS_FOR_SECONDS'],
    },
    {
      name: 'StreamingListenerDown',
      component: 'streaming',
      severity: 'critical',
      series: 'notes_stream_listener_down_seconds',
      comparison: '>',
      threshold: c.ALERT_LISTENER_DOWN_SECONDS,
      forSeconds: c.ALERT_LISTENER_DOWN_FOR_SECONDS,
      format: 'seconds',
      value: (f) => Math.max(f.processorListenerDownSeconds, f.pubsubListenerDownSeconds ?? 0),
      summary: (v, t) => `a LISTEN connection has been lost for ${v} (threshold ${t})`,
      description:
        'A processor or API LISTEN connection is down and reconnecting: the processor then only polls the outbox ' +
        'every second, and an API process delivers no live events until it is back.',
      settings: ['ALERT_LISTENER_DOWN_SECONDS', 'ALERT_LISTENER_DOWN_FOR_SECONDS'],
    },
    {
      name: 'StreamingErrorRateHigh',
      component: 'streaming',
      severity: 'warning',
      series: 'notes_stream_processing_error_ratio',
      comparison: '>',
      threshold: c.ALERT_ERROR_RATE_PERCENT / 100,
      forSeconds: c.ALERT_ERROR_RATE_FOR_SECONDS,
      format: 'ratio',
      value: (f) => f.errorRatio,
      summary: (v, t) => `${v} of event processing attempts failed in the last minute (threshold ${t})`,
      description: 'Events fail in the micro-ETL and are retried with backoff; after PROCESSOR_MAX_ATTEMPTS they are dead-lettered.',
      settings: ['ALERT_ERROR_RATE_PERCENT', 'ALERT_ERROR_RATE_FOR_SECONDS'],
    },
    {
      name: 'StreamingLagHigh',
      component: 'streaming',
      severity: 'warning',
      series: 'notes_stream_outbox_oldest_pending_seconds',
      comparison: '>',
      threshold: c.ALERT_LAG_SECONDS,
      forSeconds: c.ALERT_LAG_FOR_SECONDS,
      format: 'seconds',
      value: (f) => f.oldestPendingSeconds,
      summary: (v, t) => `the oldest unprocessed note action has waited ${v} (threshold ${t})`,
      description: 'Processing lag: facts, datamarts and subscribers are behind the base tables by at least this long.',
      settings: ['ALERT_LAG_SECONDS', 'ALERT_LAG_FOR_SECONDS'],
    },
    {
      name: 'StreamingLagCritical',
      component: 'streaming',
      severity: 'critical',
      series: 'notes_stream_outbox_oldest_pending_seconds',
      comparison: '>',
      threshold: c.ALERT_LAG_CRITICAL_SECONDS,
      forSeconds: c.ALERT_LAG_CRITICAL_FOR_SECONDS,
      format: 'seconds',
      value: (f) => f.oldestPendingSeconds,
      summary: (v, t) => `the oldest unprocessed note action has waited ${v} (threshold ${t})`,
      description: "Processing latency past OSM-Notes-Monitoring's limit: the warehouse is minutes behind.",
      settings: ['ALERT_LAG_CRITICAL_SECONDS', 'ALERT_LAG_CRITICAL_FOR_SECONDS'],
    },
    {
      name: 'StreamingBacklogHigh',
      component: 'streaming',
      severity: 'warning',
      series: 'notes_stream_outbox_pending_events',
      comparison: '>',
      threshold: c.ALERT_BACKLOG_EVENTS,
      forSeconds: c.ALERT_BACKLOG_FOR_SECONDS,
      format: 'count',
      value: (f) => f.pendingEvents,
      summary: (v, t) => `${v} events wait in the outbox (threshold ${t})`,
      description: 'Events arrive faster than the processors commit them, or nothing processes them.',
      settings: ['ALERT_BACKLOG_EVENTS', 'ALERT_BACKLOG_FOR_SECONDS'],
    },
    {
      name: 'DeadLettersGrowing',
      component: 'streaming',
      severity: 'warning',
      series: 'notes_stream_dead_letters_added',
      comparison: '>',
      threshold: c.ALERT_DEAD_LETTERS_ADDED,
      forSeconds: c.ALERT_DEAD_LETTERS_FOR_SECONDS,
      format: 'count',
      value: (f) => f.deadLettersAdded,
      summary: (v, t) => `${v} events were dead-lettered in the last ${window} (threshold ${t})`,
      description: 'Events failed PROCESSOR_MAX_ATTEMPTS times; their facts are missing until they are retried.',
      settings: ['ALERT_DEAD_LETTERS_ADDED', 'ALERT_DEAD_LETTERS_FOR_SECONDS'],
    },
    {
      name: 'NotesStale',
      component: 'ingestion',
      severity: 'warning',
      series: 'notes_stream_newest_note_action_age_seconds',
      comparison: '>',
      threshold: c.ALERT_NOTES_STALE_SECONDS,
      forSeconds: c.ALERT_NOTES_STALE_FOR_SECONDS,
      format: 'seconds',
      onlyWhen: { promql: 'notes_stream_poller_running == 1', holds: (f) => f.poller?.running === true },
      value: (f) => f.newestActionAgeSeconds,
      summary: (v, t) => `the newest note action is ${v} old while the OSM API poller runs (threshold ${t})`,
      description: 'The poller runs but stores nothing new: OSM notes get actions every few minutes worldwide.',
      settings: ['ALERT_NOTES_STALE_SECONDS', 'ALERT_NOTES_STALE_FOR_SECONDS'],
    },
    {
      name: 'PollerSuccessLow',
      component: 'ingestion',
      severity: 'warning',
      series: 'notes_stream_poller_success_ratio',
      comparison: '<',
      threshold: c.ALERT_POLL_SUCCESS_PERCENT / 100,
      forSeconds: c.ALERT_POLL_SUCCESS_FOR_SECONDS,
      format: 'ratio',
      value: (f) => (f.poller && f.poller.windowPolls > 0 ? f.poller.windowOk / f.poller.windowPolls : null),
      summary: (v, t) => `${v} of OSM API polls succeeded in the last ${window} (threshold ${t})`,
      description: 'Polls fail (network, HTTP errors, malformed answers, database): notes arrive late or not at all.',
      settings: ['ALERT_POLL_SUCCESS_PERCENT', 'ALERT_POLL_SUCCESS_FOR_SECONDS'],
    },
    {
      name: 'OsmApiServerErrors',
      component: 'ingestion',
      severity: 'warning',
      series: 'notes_stream_osm_api_error_answers{class="server_error"}',
      comparison: '>',
      threshold: c.ALERT_OSM_API_SERVER_ERRORS,
      forSeconds: c.ALERT_OSM_API_SERVER_ERRORS_FOR_SECONDS,
      format: 'count',
      value: (f) => f.poller?.windowServerErrors ?? null,
      summary: (v, t) => `the OSM API answered ${v} polls with a 5xx error in the last ${window} (threshold ${t})`,
      description: 'The OSM API has trouble; the poller retries with backoff.',
      settings: ['ALERT_OSM_API_SERVER_ERRORS', 'ALERT_OSM_API_SERVER_ERRORS_FOR_SECONDS'],
    },
    {
      name: 'OsmApiRateLimited',
      component: 'ingestion',
      severity: 'warning',
      series: 'notes_stream_osm_api_error_answers{class="rate_limited"}',
      comparison: '>',
      threshold: c.ALERT_OSM_API_RATE_LIMITED,
      forSeconds: c.ALERT_OSM_API_RATE_LIMITED_FOR_SECONDS,
      format: 'count',
      value: (f) => f.poller?.windowRateLimited ?? null,
      summary: (v, t) => `the OSM API rate-limited ${v} polls (429 or 509) in the last ${window} (threshold ${t})`,
      description: 'This host asks the OSM API too much; the poller follows Retry-After.',
      settings: ['ALERT_OSM_API_RATE_LIMITED', 'ALERT_OSM_API_RATE_LIMITED_FOR_SECONDS'],
    },
  ];
}

/** True when the rule's condition holds for these figures (before its hold time). */
export function conditionHolds(rule: AlertRule, figures: AlertFigures): { value: number | null; holds: boolean } {
  const value = rule.value(figures);
  if (value === null || Number.isNaN(value)) return { value: null, holds: false };
  const beyond = rule.comparison === '>' ? value > rule.threshold : value < rule.threshold;
  return { value, holds: beyond && (rule.onlyWhen?.holds(figures) ?? true) };
}

/** A value as the summaries show it (Prometheus' humanize filters read about the same). */
export function formatValue(value: number, format: ValueFormat): string {
  if (format === 'ratio') return `${Number((value * 100).toFixed(2))} %`;
  if (format === 'seconds') return value >= 120 ? `${Number((value / 60).toFixed(1))} min` : `${Number(value.toFixed(1))} s`;
  return String(Number(value.toFixed(2)));
}
