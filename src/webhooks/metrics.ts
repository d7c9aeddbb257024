// Webhook figures on /metrics, per webhook this process delivers (label `webhook`, its id):
// deliveries, failed attempts and retries as counters, lag as a gauge; plus the requests in
// flight and the time a delivery takes from the event's commit to the receiver's 2xx.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WebhookMetrics {
  deliveries: Counter<'webhook'>;
  failures: Counter<'webhook'>;
  retries: Counter<'webhook'>;
  /** From the event's commit to the receiver's 2xx. */
  latency: Histogram;
  /** Delivery loops stopped by an error (started again at the next lease renewal). */
  loopErrors: Counter;
  /** Stops reporting a webhook this process no longer delivers. */
  forget(id: string): void;
}

export interface WebhookFigures {
  /** Seconds behind, per webhook delivered here (0 when nothing waits). */
  lags(): Iterable<[string, number]>;
  inFlight(): number;
  delivering(): number;
}

export function createWebhookMetrics(registry: Registry, figures: () => WebhookFigures | null): WebhookMetrics {
  const deliveries = new Counter({
    name: 'notes_stream_webhook_deliveries_total',
    help: 'Events delivered (answered 2xx) per webhook, by this process.',
    labelNames: ['webhook'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'notes_stream_webhook_failures_total',
    help: 'Failed delivery attempts per webhook (network error, timeout, non-2xx answer, refused target).',
    labelNames: ['webhook'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'notes_stream_webhook_retries_total',
    help: 'Delivery attempts scheduled again after a failure, per webhook.',
    labelNames: ['webhook'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'notes_stream_webhook_delivery_seconds',
    help: "From an event's commit to the receiver's 2xx answer (retries included).",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [registry],
  });
  const loopErrors = new Counter({
    name: 'notes_stream_webhook_loop_errors_total',
    help: 'Webhook delivery loops stopped by an error, such as a lost database connection (each starts again at the next lease renewal).',
    registers: [registry],
  });
  new Gauge({
    name: 'notes_stream_webhook_lag_seconds',
    help: 'Age of the oldest event a webhook has yet to deliver (0 when it is caught up), per webhook delivered here.',
    labelNames: ['webhook'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [id, lag] of figures()?.lags() ?? []) this.set({ webhook: id }, lag);
    },
  });
  new Gauge({
    name: 'notes_stream_webhook_requests_in_flight',
    help: 'Webhook requests waiting for an answer (at most WEBHOOK_MAX_IN_FLIGHT).',
    registers: [registry],
    collect() {
      this.set(figures()?.inFlight() ?? 0);
    },
  });
  new Gauge({
    name: 'notes_stream_webhooks_delivering',
    help: 'Active webhooks this process holds the lease of and delivers.',
    registers: [registry],
    collect() {
      this.set(figures()?.delivering() ?? 0);
    },
  });
  return {
    deliveries,
    failures,
    retries,
    latency,
    loopErrors,
    forget(id) {
      for (const counter of [deliveries, failures, retries]) counter.remove({ webhook: id });
    },
  };
}
