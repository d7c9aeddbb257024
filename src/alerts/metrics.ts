// The figures of the alert rules on /metrics, from the evaluator's last evaluation (a scrape
// runs no query). They describe the whole pipeline as the database holds it, so they are
// right whichever process serves them, also when processors and the poller run elsewhere.
// A figure that is unknown is NaN: Prometheus compares NaN with nothing, as the evaluator does.
import { Counter, Gauge, type Registry } from 'prom-client';
import { POLL_OUTCOME_CLASSES } from '../ingest/poll-health.ts';
import type { AlertEvaluator } from './evaluator.ts';
import type { AlertFigures } from './rules.ts';

const seconds = (date: Date | null | undefined) => (date ? date.getTime() / 1000 : NaN);

export function registerAlertMetrics(registry: Registry, evaluator: AlertEvaluator): void {
  const gauge = (name: string, help: string, read: (f: AlertFigures) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const figures = evaluator.latestFigures();
        if (figures) this.set(read(figures) ?? NaN);
      },
    });

  gauge('notes_stream_processors_live', 'Streaming processors with a recent heartbeat.', (f) => f.processorsLive);
  gauge('notes_stream_outbox_pending_events', 'Outbox events not processed yet (backlog).', (f) => f.pendingEvents);
  gauge(
    'notes_stream_outbox_oldest_pending_seconds',
    'Age of the oldest outbox event not processed yet (0 when none waits): the processing lag.',
    (f) => f.oldestPendingSeconds,
  );
  gauge('notes_stream_outbox_dead_events', 'Dead-lettered outbox events.', (f) => f.deadEvents);
  gauge(
    'notes_stream_dead_letters_added',
    'Events dead-lettered within ALERT_WINDOW_MINUTES, as this process saw the count grow.',
    (f) => f.deadLettersAdded,
  );
  gauge('notes_stream_events_processed_per_minute', 'Events processed by every processor in the last minute.', (f) => f.processedLastMinute);
  gauge(
    'notes_stream_processing_error_ratio',
    'Failed / (failed + processed) event processing attempts over the last minute, every processor.',
    (f) => f.errorRatio,
  );
  gauge('notes_stream_batches_per_minute', 'Batches committed by every processor in the last minute.', (f) => f.batchesLastMinute);
  gauge(
    'notes_stream_batch_mean_duration_seconds',
    'Mean claim-to-commit time of the batches of the last minute, every processor (NaN without batches).',
    (f) => f.batchMeanSeconds,
  );
  gauge('notes_stream_newest_note_action_timestamp_seconds', 'Time of the newest note action stored.', (f) => seconds(f.newestActionAt));
  gauge('notes_stream_newest_note_action_age_seconds', 'Age of the newest note action stored.', (f) => f.newestActionAgeSeconds);
  gauge('notes_stream_poller_running', '1 while an OSM API poller runs (it polled and said when it polls next).', (f) =>
    f.poller?.running ? 1 : 0,
  );
  gauge('notes_stream_poller_last_success_timestamp_seconds', 'Time of the last successful OSM API poll.', (f) =>
    seconds(f.poller?.lastSuccessAt),
  );
  gauge('notes_stream_poller_success_ratio', 'Successful OSM API polls / polls within ALERT_WINDOW_MINUTES (NaN without polls).', (f) =>
    f.poller && f.poller.windowPolls > 0 ? f.poller.windowOk / f.poller.windowPolls : NaN,
  );

  const listener = (f: AlertFigures, which: string) =>
    which === 'processor' ? f.processorListenerDownSeconds : f.pubsubListenerDownSeconds;
  new Gauge({
    name: 'notes_stream_listener_down_seconds',
    help: 'How long a LISTEN connection has been lost (0 while up): the longest among processors, and this API process.',
    labelNames: ['listener'] as const,
    registers: [registry],
    collect() {
      const figures = evaluator.latestFigures();
      if (!figures) return;
      for (const which of ['processor', 'pubsub']) {
        const down = listener(figures, which);
        if (down !== null) this.set({ listener: which }, down);
      }
    },
  });
  new Gauge({
    name: 'notes_stream_listener_connected',
    help: '1 while the LISTEN connection is up: every live processor has its own (0 without any), and this API process.',
    labelNames: ['listener'] as const,
    registers: [registry],
    collect() {
      const figures = evaluator.latestFigures();
      if (!figures) return;
      this.set({ listener: 'processor' }, figures.processorsLive > 0 && figures.processorListenerDownSeconds === 0 ? 1 : 0);
      if (figures.pubsubListenerDownSeconds !== null) this.set({ listener: 'pubsub' }, figures.pubsubListenerDownSeconds === 0 ? 1 : 0);
    },
  });
  new Gauge({
    name: 'notes_stream_osm_api_error_answers',
    help: 'OSM API polls answered with a server error (5xx) or a rate limit (429, 509) within ALERT_WINDOW_MINUTES.',
    labelNames: ['class'] as const,
    registers: [registry],
    collect() {
      const poller = evaluator.latestFigures()?.poller;
      this.set({ class: 'server_error' }, poller?.windowServerErrors ?? 0);
      this.set({ class: 'rate_limited' }, poller?.windowRateLimited ?? 0);
    },
  });
  new Counter({
    name: 'notes_stream_outbox_events_total',
    help: 'Outbox events written (ids given out; inserts rolled back count too): its rate is the arrival rate.',
    registers: [registry],
    collect() {
      const figures = evaluator.latestFigures();
      if (!figures) return;
      this.reset();
      this.inc(figures.eventsWritten);
    },
  });
  new Counter({
    name: 'notes_stream_poller_polls_total',
    help: 'OSM API polls by outcome since the poller first ran against this database.',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      const totals = evaluator.latestFigures()?.poller?.totals ?? {};
      // The count lives in the database: the counter is set to it (reset, then raised).
      this.reset();
      for (const outcome of POLL_OUTCOME_CLASSES) this.inc({ outcome }, totals[outcome] ?? 0);
    },
  });
  new Gauge({
    name: 'notes_stream_alert_firing',
    help: '1 while an alert rule fires in this server (GraphQL `alerts`), by rule and severity.',
    labelNames: ['rule', 'severity'] as const,
    registers: [registry],
    collect() {
      for (const state of evaluator.current()) {
        this.set({ rule: state.rule.name, severity: state.rule.severity }, state.status === 'firing' ? 1 : 0);
      }
    },
  });
}
