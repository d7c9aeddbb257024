import type pg from 'pg';
import { inBox, inPolygon, type AreaPolygon, type BoundingBox } from '../../geo/area.ts';

/**
 * One processed outbox event with what subscriptions filter on and deliver: the comment as
 * written in the base tables and the fact the micro-ETL made of it. Loaded once per API process
 * and shared by every subscriber (never one query per subscriber per event).
 */
export interface StreamEvent {
  position: number;
  kind: 'comment' | 'text' | 'reprocess';
  noteId: number;
  sequenceAction: number | null;
  /** When the change was written (outbox row), and when its fact committed. */
  enqueuedAt: Date;
  processedAt: Date;
  action: 'opened' | 'commented' | 'closed' | 'reopened' | 'hidden' | null;
  actionAt: Date | null;
  userId: number | null;
  username: string | null;
  text: string | null;
  latitude: number | null;
  longitude: number | null;
  noteStatus: 'open' | 'close' | 'hidden' | null;
  countryCode: string | null;
  application: string | null;
  applicationVersion: string | null;
  /** Lower-case, as filters compare them. */
  hashtags: string[];
  daysToResolution: number | null;
  daysToResolutionActive: number | null;
  daysToResolutionFromReopen: number | null;
  commentLength: number | null;
  hasUrl: boolean | null;
  hasMention: boolean | null;
  totalActionsOnNote: number | null;
}

export interface StreamFilter {
  countries?: string[] | null;
  users?: number[] | null;
  actions?: string[] | null;
  applications?: string[] | null;
  hashtags?: string[] | null;
  /** The note's position in this box / polygon (src/geo/area.ts); the note one of these. */
  bbox?: BoundingBox | null;
  polygon?: AreaPolygon | null;
  noteIds?: ReadonlySet<number> | null;
}

/** Events with positions in (after, upTo], in position (commit) order, at most `limit`. */
export async function loadEvents(
  pool: pg.Pool | pg.PoolClient,
  after: number,
  upTo: number,
  limit: number,
  filter: StreamFilter = {},
): Promise<StreamEvent[]> {
  // Functions planned once per connection (drizzle/functions/streaming/stream_tail.sql and
  // stream_events.sql): sent as a parameterised statement, the nine-table join was planned again
  // on most reads, ~7 ms each. The unfiltered read (the hub's live tail) has one of its own.
  if (isUnfiltered(filter)) {
    const { rows } = await pool.query<StreamEvent>({
      name: 'notes-stream:stream-tail',
      text: 'SELECT * FROM streaming.stream_tail($1, $2, $3)',
      values: [after, upTo, limit],
    });
    return rows;
  }
  const { rows } = await pool.query<StreamEvent>({
    name: 'notes-stream:stream-events',
    text: 'SELECT * FROM streaming.stream_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
    values: [
      after,
      upTo,
      limit,
      filter.countries ?? null,
      filter.users ?? null,
      filter.actions ?? null,
      filter.applications ?? null,
      filter.hashtags?.map((h) => h.toLowerCase()) ?? null,
      filter.noteIds ? [...filter.noteIds] : null,
      // A polygon is narrowed to its bounds in SQL, then tested exactly by matches().
      boxArray(filter.bbox ?? filter.polygon?.bounds),
    ],
  });
  return rows;
}

/** Does the event pass the filter? (The same rules as the SQL of loadEvents.) */
export function matches(event: StreamEvent, filter: StreamFilter): boolean {
  if (filter.countries && !(event.countryCode !== null && filter.countries.includes(event.countryCode))) return false;
  if (filter.users && !(event.userId !== null && filter.users.includes(event.userId))) return false;
  if (filter.actions && !(event.action !== null && filter.actions.includes(event.action))) return false;
  if (filter.applications && !(event.application !== null && filter.applications.includes(event.application))) {
    return false;
  }
  if (filter.hashtags) {
    const wanted = filter.hashtags.map((h) => h.toLowerCase());
    if (!event.hashtags.some((h) => wanted.includes(h))) return false;
  }
  if (filter.noteIds && !filter.noteIds.has(event.noteId)) return false;
  if (filter.bbox || filter.polygon) {
    const { latitude, longitude } = event;
    if (latitude === null || longitude === null) return false;
    if (filter.bbox && !inBox(latitude, longitude, filter.bbox)) return false;
    if (filter.polygon && !inPolygon(latitude, longitude, filter.polygon)) return false;
  }
  return true;
}

function isUnfiltered(filter: StreamFilter): boolean {
  return !filter.countries && !filter.users && !filter.actions && !filter.applications && !filter.hashtags && !filter.noteIds && !filter.bbox && !filter.polygon;
}

/** A box as stream_events takes it: {south, west, north, east}. */
function boxArray(box: BoundingBox | null | undefined): number[] | null {
  return box ? [box.south, box.west, box.north, box.east] : null;
}

export interface BatchRow {
  batchId: number;
  firstPosition: number | null;
  lastPosition: number | null;
  countries: string[];
  users: number[];
  committedAt: Date;
}

/** A batch with its events, as streaming.process_events hands them to a hub in its own process. */
export interface HandedBatch {
  batch: BatchRow;
  events: StreamEvent[];
}

type AsJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/**
 * process_events' `stream` column (JSON, so dates come as text) as loadBatches and loadEvents
 * would give it; null when the batch came without one.
 */
export function parseHandedBatch(json: unknown): HandedBatch | null {
  if (!json) return null;
  const { batch, events } = json as { batch: AsJson<BatchRow>; events: AsJson<StreamEvent>[] };
  return {
    batch: { ...batch, committedAt: new Date(batch.committedAt) },
    events: events.map((event) => ({
      ...event,
      enqueuedAt: new Date(event.enqueuedAt),
      processedAt: new Date(event.processedAt),
      actionAt: event.actionAt === null ? null : new Date(event.actionAt),
    })),
  };
}

/** Batches after `afterBatch`, in commit order, with their touched countries and users as codes and OSM ids. */
export async function loadBatches(pool: pg.Pool | pg.PoolClient, afterBatch: number, limit: number): Promise<BatchRow[]> {
  const { rows } = await pool.query<BatchRow>({
    name: 'notes-stream:stream-batches',
    text: 'SELECT * FROM streaming.stream_batches($1, $2)',
    values: [afterBatch, limit],
  });
  return rows;
}

/** Where the stream stands now: the last committed batch and position. */
export async function streamHead(
  pool: pg.Pool,
): Promise<{ batchId: number; position: number; oldestPosition: number; committedAt: Date | null }> {
  const { rows } = await pool.query(
    `SELECT coalesce(last.batch_id, 0) AS "batchId", coalesce(last.last_position, 0) AS position,
            coalesce(first.first_position, 1) AS "oldestPosition", last.committed_at AS "committedAt"
     FROM (SELECT 1) one
     LEFT JOIN (SELECT batch_id, last_position, committed_at FROM streaming.batches ORDER BY batch_id DESC LIMIT 1) last ON true
     LEFT JOIN (SELECT first_position FROM streaming.batches ORDER BY batch_id LIMIT 1) first ON true`,
  );
  return rows[0];
}
