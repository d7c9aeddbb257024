// The durable outbox and the processor's bookkeeping (schema `streaming`).
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { noteEventEnum } from './base.ts';

export const streaming = pgSchema('streaming');

/** Stream positions and batch ids; given out under a lock at commit time (DESIGN rule 5). */
export const positionSeq = streaming.sequence('position_seq');
export const batchSeq = streaming.sequence('batch_seq');

export const eventStatusEnum = streaming.enum('event_status', ['pending', 'done', 'dead']);

/**
 * One row per change to process, written by triggers in the same transaction as the change.
 * `position` is the commit-ordered stream position, given when the event is processed.
 */
export const events = streaming.table(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull().default('comment'),
    noteId: integer('note_id').notNull(),
    sequenceAction: integer('sequence_action'),
    event: noteEventEnum('event'),
    payload: jsonb('payload'),
    status: eventStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
    availableAt: timestamp('available_at', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    position: bigint('position', { mode: 'number' }),
  },
  (t) => [
    index('events_pending_idx').on(t.id).where(sql`${t.status} = 'pending'`),
    index('events_dead_idx').on(t.id).where(sql`${t.status} = 'dead'`),
    uniqueIndex('events_position_key').on(t.position),
    index('events_note_idx').on(t.noteId),
    // Append-only and time-correlated: a BRIN index answers "created in the last minute" for
    // almost nothing per insert.
    index('events_created_at_brin').using('brin', t.createdAt),
  ],
);

/** One row per committed processing batch, in commit order; subscriptions tail it. */
export const batches = streaming.table(
  'batches',
  {
    batchId: bigint('batch_id', { mode: 'number' }).primaryKey(),
    processorId: text('processor_id').notNull(),
    events: integer('events').notNull(),
    firstPosition: bigint('first_position', { mode: 'number' }),
    lastPosition: bigint('last_position', { mode: 'number' }),
    countries: integer('countries').array().notNull(),
    users: integer('users').array().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('batches_committed_at_idx').on(t.committedAt)],
);

/** Live processors and their counters, refreshed by a heartbeat. */
export const processors = streaming.table('processors', {
  processorId: text('processor_id').primaryKey(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  listenerConnected: boolean('listener_connected').notNull().default(false),
  listenerReconnects: integer('listener_reconnects').notNull().default(0),
  listenerDownSince: timestamp('listener_down_since', { withTimezone: true }),
  lastNotificationAt: timestamp('last_notification_at', { withTimezone: true }),
  notificationsReceived: bigint('notifications_received', { mode: 'number' }).notNull().default(0),
  eventsProcessed: bigint('events_processed', { mode: 'number' }).notNull().default(0),
  eventsFailed: bigint('events_failed', { mode: 'number' }).notNull().default(0),
  batchesCommitted: bigint('batches_committed', { mode: 'number' }).notNull().default(0),
  failuresLastMinute: integer('failures_last_minute').notNull().default(0),
});

/** Small named values that must survive restarts (e.g. the OSM API poller's high-water mark). */
export const syncState = streaming.table('sync_state', {
  name: text('name').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

