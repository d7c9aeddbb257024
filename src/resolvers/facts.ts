import { sql, type SQL } from 'drizzle-orm';
import type { Database, Reader } from '../db/client.ts';
import { factCondition, type FactFilter, type NoteEvent, type TimeRange } from './fact-filter.ts';
import { groupBy } from './notes.ts';
import { cursorValues, encodeCursor, keysetAfter, orderBy, pageSize, toConnection, type PageArgs, type SortDirection, limitSql } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';

export interface FactRow {
  noteId: number;
  sequenceAction: number;
  action: NoteEvent;
  actionAt: Date;
  /** Microseconds since the epoch: the exact sort key behind cursors. */
  actionMicros: number;
  actionDayKey: number;
  hourOfWeek: number;
  dimensionCountryId: number;
  actionUserKey: number | null;
  /** Who made the action, read with the fact: the user asked for most often, saving a statement. */
  actionUser: { userId: number; username: string } | null;
  openedDayKey: number;
  openedHourOfWeek: number;
  openedUserKey: number | null;
  closedDayKey: number | null;
  closedUserKey: number | null;
  applicationId: number | null;
  applicationVersion: string | null;
  recentOpenedDayKey: number;
  daysToResolution: number | null;
  daysToResolutionActive: number | null;
  daysToResolutionFromReopen: number | null;
  commentLength: number | null;
  hasUrl: boolean;
  hasMention: boolean;
  hashtagCount: number;
  totalCommentsOnNote: number;
  totalReopeningsOnNote: number;
  totalActionsOnNote: number;
}

const FACT_COLUMNS = sql`
  f.id_note AS "noteId", f.sequence_action AS "sequenceAction", f.action_comment AS action,
  (extract(epoch FROM f.action_at) * 1000000)::bigint AS "actionMicros",
  f.action_dimension_id_date AS "actionDayKey", f.action_dimension_id_hour_of_week AS "hourOfWeek",
  f.dimension_id_country AS "dimensionCountryId", f.action_dimension_id_user AS "actionUserKey",
  f.opened_dimension_id_date AS "openedDayKey", f.opened_dimension_id_hour_of_week AS "openedHourOfWeek",
  f.opened_dimension_id_user AS "openedUserKey", f.closed_dimension_id_date AS "closedDayKey",
  f.closed_dimension_id_user AS "closedUserKey", f.dimension_application_creation AS "applicationId",
  (SELECT v.version FROM dwh.dimension_application_versions v
   WHERE v.dimension_application_version_id = f.dimension_application_version) AS "applicationVersion",
  f.recent_opened_dimension_id_date AS "recentOpenedDayKey", f.days_to_resolution AS "daysToResolution",
  f.days_to_resolution_active AS "daysToResolutionActive",
  f.days_to_resolution_from_reopen AS "daysToResolutionFromReopen", f.comment_length AS "commentLength",
  f.has_url AS "hasUrl", f.has_mention AS "hasMention", f.hashtag_number AS "hashtagCount",
  f.total_comments_on_note AS "totalCommentsOnNote", f.total_reopenings_count AS "totalReopeningsOnNote",
  f.total_actions_on_note AS "totalActionsOnNote", au.user_id AS "actionUserId", au.username AS "actionUsername"`;

/** A fact as FACT_COLUMNS reads it, before factRow completes it. */
type FactColumns = Omit<FactRow, 'actionAt' | 'actionUser'> & { actionUserId: number | null; actionUsername: string };

/** FROM clause of fact reads: the facts (aliased f) and the acting user's dimension row. */
const FACT_FROM = sql`dwh.facts f LEFT JOIN dwh.dimension_users au ON au.dimension_user_id = f.action_dimension_id_user`;

const SORT = [sql`f.action_at`, sql`f.id_note`, sql`f.sequence_action`];

export interface ListFactsArgs extends PageArgs {
  filter?: FactFilter | null;
  range?: TimeRange;
  direction?: SortDirection | null;
}

export interface ReadLimits {
  maxPageSize: number;
  timeoutMs: number;
}

/** A page of facts ordered by action time (then note and sequence), under the statement timeout. */
export async function listFacts(db: Database, args: ListFactsArgs, limits: ReadLimits) {
  const limit = pageSize(args, limits.maxPageSize);
  const direction = args.direction ?? 'ASC';
  const where: SQL[] = [await factCondition(db, args.filter, args.range)];
  if (args.after) {
    const [micros, note, seq] = cursorValues('fact', args.after, ['number', 'number', 'number']);
    where.push(keysetAfter(SORT, [sql`timestamptz 'epoch' + ${micros} * interval '1 microsecond'`, note, seq], direction));
  }
  const rows = await withStatementTimeout(db, limits.timeoutMs, async (tx) => {
    const result = await tx.rows<FactColumns>(sql`
      SELECT ${FACT_COLUMNS} FROM ${FACT_FROM}
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY ${orderBy(SORT, direction)}
      ${limitSql(limit + 1)}`);
    return result.map(factRow);
  });
  return toConnection(rows, limit, (r) => encodeCursor('fact', [r.actionMicros, r.noteId, r.sequenceAction]));
}

/** Every fact of each note, in sequence order, in one query. */
export async function factsOfNotes(db: Reader, noteIds: readonly number[]): Promise<FactRow[][]> {
  const result = await db.rows<FactColumns>(sql`
    SELECT ${FACT_COLUMNS} FROM ${FACT_FROM}
    WHERE f.id_note = ANY (${sql.param([...noteIds])}::int[])
    ORDER BY f.id_note, f.sequence_action`);
  return groupBy(noteIds, result.map(factRow), (r) => r.noteId);
}

/** Hashtags of facts (in text order), by "note:sequence" key. */
export async function hashtagsOfFacts(db: Reader, keys: readonly string[]) {
  const pairs = keys.map((k) => k.split(':').map(Number) as [number, number]);
  const rows = await db.rows<{ noteId: number; sequenceAction: number; id: number; name: string }>(sql`
    SELECT b.id_note AS "noteId", b.sequence_action AS "sequenceAction", h.dimension_hashtag_id AS id,
           h.description AS name
    FROM unnest(${sql.param(pairs.map((p) => p[0]))}::int[], ${sql.param(pairs.map((p) => p[1]))}::int[]) k(note, seq)
    JOIN dwh.fact_hashtags b ON b.id_note = k.note AND b.sequence_action = k.seq
    JOIN dwh.dimension_hashtags h ON h.dimension_hashtag_id = b.dimension_hashtag_id
    ORDER BY b.id_note, b.sequence_action, b.position`);
  return groupBy(keys, rows, (r) => `${r.noteId}:${r.sequenceAction}`).map((group) =>
    group.map(({ id, name }) => ({ id, name })),
  );
}

/**
 * Completes a row pg made for us, in place: copying 30 properties per row (rest and spread)
 * cost more than the rest of a page's mapping together.
 */
function factRow(row: FactColumns): FactRow {
  const fact = row as FactColumns & Partial<FactRow>;
  fact.actionAt = new Date(Math.floor(fact.actionMicros / 1000));
  fact.actionUser = fact.actionUserId === null ? null : { userId: fact.actionUserId, username: fact.actionUsername };
  return fact as FactRow;
}

/** 20240301 → '2024-03-01'. */
export function dayKeyToDate(key: number): string {
  const s = String(key);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}
