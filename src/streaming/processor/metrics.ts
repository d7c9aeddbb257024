import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the streaming processor (exposed on /metrics). */
export function createProcessorMetrics(registry: Registry) {
  return {
    eventsProcessed: new Counter({
      name: 'notes_stream_events_processed_total',
      help: 'Outbox events turned into facts and datamart updates.',
      registers: [registry],
    }),
    eventsFailed: new Counter({
      name: 'notes_stream_events_failed_total',
      help: 'Event processing failures (each counts against the event; dead after the limit).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: 'notes_stream_batch_duration_seconds',
      help: 'Time from claiming a batch to its commit.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'notes_stream_batch_events',
      help: 'Events per committed batch.',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    }),
    lag: new Histogram({
      name: 'notes_stream_lag_seconds',
      help: 'End-to-end lag: comment commit (outbox row written) to fact commit.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60, 300],
      registers: [registry],
    }),
    listenerConnected: new Gauge({
      name: 'notes_stream_processor_listener_connected',
      help: '1 while the processor LISTEN connection is up.',
      registers: [registry],
    }),
    listenerReconnects: new Gauge({
      name: 'notes_stream_processor_listener_reconnects',
      help: 'Reconnections of the processor LISTEN connection since start.',
      registers: [registry],
    }),
    notifications: new Counter({
      name: 'notes_stream_processor_notifications_total',
      help: 'Notifications received by the processor (note_inserted is not listened to while it claims on a pace under a steady stream).',
      registers: [registry],
    }),
  };
}

export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>;
