import { integrityReport, type IntegrityReport } from '../streaming/processor/admin.ts';
import { streamingStatus, type ProcessorStatus, type StreamingStatus } from '../streaming/processor/status.ts';
import { builder } from './builder.ts';

const HealthStatus = builder.enumType('HealthStatus', {
  values: { OK: { value: 'ok' }, DEGRADED: { value: 'degraded' }, DOWN: { value: 'down' } } as const,
});

const ProcessorInfo = builder.objectRef<ProcessorStatus>('ProcessorInfo').implement({
  description: 'A running streaming processor, as its last heartbeat reported it.',
  fields: (t) => ({
    processorId: t.exposeString('processorId'),
    hostname: t.exposeString('hostname'),
    pid: t.exposeInt('pid'),
    startedAt: t.field({ type: 'DateTime', resolve: (p) => p.startedAt }),
    heartbeatAt: t.field({ type: 'DateTime', resolve: (p) => p.heartbeatAt }),
    listenerConnected: t.exposeBoolean('listenerConnected'),
    listenerReconnects: t.exposeInt('listenerReconnects'),
    listenerDownSince: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.listenerDownSince }),
    lastNotificationAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.lastNotificationAt }),
    notificationsReceived: t.exposeFloat('notificationsReceived'),
    eventsProcessed: t.exposeFloat('eventsProcessed'),
    eventsFailed: t.exposeFloat('eventsFailed'),
  }),
});

type S = StreamingStatus;

const ListenerHealth = builder.objectRef<S['listener']>('ListenerHealth').implement({
  fields: (t) => ({
    connected: t.exposeBoolean('connected', { description: 'Every running processor has its LISTEN connection.' }),
    reconnects: t.exposeInt('reconnects', { description: 'Reconnections since the processors started.' }),
    lastNotificationAt: t.field({ type: 'DateTime', nullable: true, resolve: (l) => l.lastNotificationAt }),
  }),
});

const QueueHealth = builder.objectRef<S['queue']>('QueueHealth').implement({
  description: 'The outbox (streaming.events).',
  fields: (t) => ({
    pending: t.exposeInt('pending'),
    inProgress: t.exposeInt('inProgress', { description: 'Claimed by a batch that has not committed yet.' }),
    dead: t.exposeInt('dead', { description: 'Dead-lettered after too many failures (see deadLetters).' }),
    oldestPendingAgeSeconds: t.exposeFloat('oldestPendingAgeSeconds', { nullable: true }),
  }),
});

const Throughput = builder.objectRef<S['throughput']>('Throughput').implement({
  fields: (t) => ({
    receivedPerMinute: t.exposeInt('receivedPerMinute', { description: 'Events written to the outbox in the last minute.' }),
    processedPerMinute: t.exposeInt('processedPerMinute', { description: 'Events processed in the last minute.' }),
  }),
});

const Lag = builder.objectRef<S['lag']>('Lag').implement({
  description: 'Comment commit to fact commit, over the events processed in the last minute.',
  fields: (t) => ({
    p50Ms: t.exposeFloat('p50Ms', { nullable: true }),
    p95Ms: t.exposeFloat('p95Ms', { nullable: true }),
    p99Ms: t.exposeFloat('p99Ms', { nullable: true }),
  }),
});

const BatchStats = builder.objectRef<S['batches']>('BatchStats').implement({
  description: 'Batches committed in the last minute.',
  fields: (t) => ({
    lastMinute: t.exposeInt('lastMinute'),
    meanSize: t.exposeFloat('meanSize', { nullable: true }),
    meanDurationMs: t.exposeFloat('meanDurationMs', { nullable: true }),
  }),
});

export const StreamingStatusType = builder.objectRef<S>('StreamingStatus').implement({
  description:
    'Health of the streaming pipeline. status is DOWN without a running processor, DEGRADED when a condition of ' +
    'the streaming plan\'s alert rules holds right now (defaults: LISTEN connection lost over 1 min, error rate ' +
    'over 5 %, lag over 1 min, over 100 events waiting; ALERT_* variables). The alerts query adds hold times.',
  fields: (t) => ({
    status: t.field({ type: HealthStatus, resolve: (s) => s.status }),
    reasons: t.exposeStringList('reasons'),
    checkedAt: t.field({ type: 'DateTime', resolve: (s) => s.checkedAt }),
    processors: t.field({ type: [ProcessorInfo], resolve: (s) => s.processors }),
    listener: t.field({ type: ListenerHealth, resolve: (s) => s.listener }),
    queue: t.field({ type: QueueHealth, resolve: (s) => s.queue }),
    throughput: t.field({ type: Throughput, resolve: (s) => s.throughput }),
    lag: t.field({ type: Lag, resolve: (s) => s.lag }),
    errorRate: t.exposeFloat('errorRate', { description: 'Failed / (failed + processed) over the last minute.' }),
    batches: t.field({ type: BatchStats, resolve: (s) => s.batches }),
    notificationQueueUsage: t.exposeFloat('notificationQueueUsage', {
      description: "pg_notification_queue_usage(): the fraction of PostgreSQL's NOTIFY queue in use.",
    }),
  }),
});

builder.queryField('streamingStatus', (t) =>
  t.field({ type: StreamingStatusType, resolve: (_root, _args, ctx) => streamingStatus(ctx.db.pool, ctx.config) }),
);

const EtlIntegrity = builder.objectRef<IntegrityReport>('EtlIntegrity').implement({
  description: 'Base tables against facts: every comment must have exactly one fact and every fact its comment.',
  fields: (t) => ({
    commentsWithoutFact: t.exposeInt('commentsWithoutFact'),
    factsWithoutComment: t.exposeInt('factsWithoutComment'),
    notesAffected: t.exposeInt('notesAffected'),
    notesInFlight: t.exposeInt('notesInFlight', {
      description: 'Notes among notesAffected that have events waiting: work in progress, not damage.',
    }),
    healthy: t.boolean({ resolve: (r) => r.notesAffected === r.notesInFlight }),
  }),
});

builder.queryField('etlIntegrity', (t) =>
  t.field({ type: EtlIntegrity, resolve: (_root, _args, ctx) => integrityReport(ctx.db.pool) }),
);
