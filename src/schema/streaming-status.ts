import { integrityReport, type IntegrityReport } from '../streaming/processor/admin.ts';
import { streamingStatus, type ProcessorStatus, type StreamingStatus } from '../streaming/processor/status.ts';
import { builder } from './builder.ts';

const HealthStatus = builder.enumType('HealthStatus', {
  description: 'Overall health of the streaming pipeline.',
  values: {
    OK: { value: 'ok', description: 'Processors run and no alert condition holds.' },
    DEGRADED: { value: 'degraded', description: 'Processors run but an alert condition holds (see reasons).' },
    DOWN: { value: 'down', description: 'No processor is running: nothing turns the outbox into facts.' },
  } as const,
});

const ProcessorInfo = builder.objectRef<ProcessorStatus>('ProcessorInfo').implement({
  description: 'A running streaming processor, as its last heartbeat reported it.',
  fields: (t) => ({
    processorId: t.exposeString('processorId', { description: 'hostname:pid:random, unique per start.' }),
    hostname: t.exposeString('hostname', { description: 'The host it runs on.' }),
    pid: t.exposeInt('pid', { description: 'Its process id on that host.' }),
    startedAt: t.field({ type: 'DateTime', description: 'When it started.', resolve: (p) => p.startedAt }),
    heartbeatAt: t.field({ type: 'DateTime', description: 'Its last heartbeat (every 2 s).', resolve: (p) => p.heartbeatAt }),
    listenerConnected: t.exposeBoolean('listenerConnected', { description: 'Its LISTEN connection is up.' }),
    listenerReconnects: t.exposeInt('listenerReconnects', { description: 'Times its LISTEN connection was re-established.' }),
    listenerDownSince: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Since when its LISTEN connection is down; null while up.',
      resolve: (p) => p.listenerDownSince,
    }),
    lastNotificationAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When it last received a notification; null before the first. While events keep coming it claims on a pace and stops hearing note_inserted, so under steady load this stays behind the stream.',
      resolve: (p) => p.lastNotificationAt,
    }),
    notificationsReceived: t.exposeFloat('notificationsReceived', { description: 'Notifications received since it started.' }),
    eventsProcessed: t.exposeFloat('eventsProcessed', { description: 'Outbox events it processed since it started.' }),
    eventsFailed: t.exposeFloat('eventsFailed', { description: 'Failed attempts at events since it started.' }),
  }),
});

type S = StreamingStatus;

const ListenerHealth = builder.objectRef<S['listener']>('ListenerHealth').implement({
  description: "The running processors' LISTEN connections, together.",
  fields: (t) => ({
    connected: t.exposeBoolean('connected', { description: 'Every running processor has its LISTEN connection.' }),
    reconnects: t.exposeInt('reconnects', { description: 'Reconnections since the processors started.' }),
    lastNotificationAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The latest notification any processor received; null before the first.',
      resolve: (l) => l.lastNotificationAt,
    }),
  }),
});

const QueueHealth = builder.objectRef<S['queue']>('QueueHealth').implement({
  description: 'The outbox (streaming.events).',
  fields: (t) => ({
    pending: t.exposeInt('pending', { description: 'Events waiting to be processed (retries not yet due included).' }),
    inProgress: t.exposeInt('inProgress', { description: 'Claimed by a batch that has not committed yet.' }),
    dead: t.exposeInt('dead', { description: 'Dead-lettered after too many failures (see deadLetters).' }),
    oldestPendingAgeSeconds: t.exposeFloat('oldestPendingAgeSeconds', {
      nullable: true,
      description: 'Age of the oldest waiting event; null when none waits.',
    }),
  }),
});

const Throughput = builder.objectRef<S['throughput']>('Throughput').implement({
  description: 'Events in and out of the outbox over the last minute.',
  fields: (t) => ({
    receivedPerMinute: t.exposeInt('receivedPerMinute', { description: 'Events written to the outbox in the last minute.' }),
    processedPerMinute: t.exposeInt('processedPerMinute', { description: 'Events processed in the last minute.' }),
  }),
});

const Lag = builder.objectRef<S['lag']>('Lag').implement({
  description: 'Comment commit to fact commit, over the events processed in the last minute.',
  fields: (t) => ({
    p50Ms: t.exposeFloat('p50Ms', { nullable: true, description: 'Median, in ms; null without events.' }),
    p95Ms: t.exposeFloat('p95Ms', { nullable: true, description: '95th percentile, in ms; null without events.' }),
    p99Ms: t.exposeFloat('p99Ms', { nullable: true, description: '99th percentile, in ms; null without events.' }),
  }),
});

const BatchStats = builder.objectRef<S['batches']>('BatchStats').implement({
  description: 'Batches committed in the last minute.',
  fields: (t) => ({
    lastMinute: t.exposeInt('lastMinute', { description: 'Batches committed.' }),
    meanSize: t.exposeFloat('meanSize', { nullable: true, description: 'Mean events per batch; null without batches.' }),
    meanDurationMs: t.exposeFloat('meanDurationMs', { nullable: true, description: 'Mean time from claim to commit, in ms; null without batches.' }),
  }),
});

export const StreamingStatusType = builder.objectRef<S>('StreamingStatus').implement({
  description:
    'Health of the streaming pipeline. status is DOWN without a running processor, DEGRADED when a condition of ' +
    'the streaming plan\'s alert rules holds right now (defaults: LISTEN connection lost over 1 min, error rate ' +
    'over 5 %, lag over 1 min, over 100 events waiting; ALERT_* variables). The alerts query adds hold times.',
  fields: (t) => ({
    status: t.field({ type: HealthStatus, description: 'OK, DEGRADED or DOWN.', resolve: (s) => s.status }),
    reasons: t.exposeStringList('reasons', { description: 'Each alert condition that holds, in words; empty when OK.' }),
    checkedAt: t.field({ type: 'DateTime', description: 'When these figures were read.', resolve: (s) => s.checkedAt }),
    processors: t.field({
      type: [ProcessorInfo],
      description: 'The processors with a heartbeat in the last 15 s, oldest first.',
      resolve: (s) => s.processors,
    }),
    listener: t.field({ type: ListenerHealth, description: "The processors' LISTEN connections.", resolve: (s) => s.listener }),
    queue: t.field({ type: QueueHealth, description: 'The outbox.', resolve: (s) => s.queue }),
    throughput: t.field({ type: Throughput, description: 'Events in and out over the last minute.', resolve: (s) => s.throughput }),
    lag: t.field({ type: Lag, description: 'Comment commit to fact commit over the last minute.', resolve: (s) => s.lag }),
    errorRate: t.exposeFloat('errorRate', { description: 'Failed / (failed + processed) over the last minute.' }),
    batches: t.field({ type: BatchStats, description: 'Batches committed in the last minute.', resolve: (s) => s.batches }),
    notificationQueueUsage: t.exposeFloat('notificationQueueUsage', {
      description: "pg_notification_queue_usage(): the fraction of PostgreSQL's NOTIFY queue in use.",
    }),
  }),
});

builder.queryField('streamingStatus', (t) =>
  t.field({
    type: StreamingStatusType,
    description: 'Health of the streaming pipeline, read now.',
    resolve: (_root, _args, ctx) => streamingStatus(ctx.db.pool, ctx.config),
  }),
);

const EtlIntegrity = builder.objectRef<IntegrityReport>('EtlIntegrity').implement({
  description: 'Base tables against facts: every comment must have exactly one fact and every fact its comment.',
  fields: (t) => ({
    commentsWithoutFact: t.exposeInt('commentsWithoutFact', { description: 'Comments that have no fact.' }),
    factsWithoutComment: t.exposeInt('factsWithoutComment', { description: 'Facts whose comment is gone.' }),
    notesAffected: t.exposeInt('notesAffected', { description: 'Notes with either kind of difference.' }),
    notesInFlight: t.exposeInt('notesInFlight', {
      description: 'Notes among notesAffected that have events waiting: work in progress, not damage.',
    }),
    healthy: t.boolean({
      description: 'Every difference is work in progress (notesAffected = notesInFlight).',
      resolve: (r) => r.notesAffected === r.notesInFlight,
    }),
  }),
});

builder.queryField('etlIntegrity', (t) =>
  t.field({
    type: EtlIntegrity,
    description: 'Compares the base tables with the facts (the whole tables: seconds on a large warehouse).',
    resolve: (_root, _args, ctx) => integrityReport(ctx.db.pool),
  }),
);
