// Whole-history datamart figures of countries, users and the world, plus the two figures that
// depend on today's date and are therefore computed when read: backlog and last-year activity.
import type { Reader } from '../db/client.ts';
import { sql, type SQL } from 'drizzle-orm';
import { UserInputError } from '../errors.ts';
import { datamartTable, scopeKeys, TODAY, type Scope } from './stats-scope.ts';

/** Notes still open that were opened more than this many days before today (UTC) are backlog. */
export const DEFAULT_BACKLOG_DAYS = 30;

/** Days in lastYearActivity, ending today. */
export const ACTIVITY_DAYS = 371;

/** Actions of each kind, as every datamart figure set counts them. */
export interface ActionCounts {
  opened: number;
  commented: number;
  closed: number;
  closedWithComment: number;
  reopened: number;
  hidden: number;
}

export interface StatsRow extends ActionCounts {
  stillOpen: number;
  resolved: number;
  resolutionRate: number | null;
  avgDaysToResolution: number | null;
  medianDaysToResolution: number | null;
  avgCommentLength: number | null;
  commentsWithUrlPct: number | null;
  commentsWithMentionPct: number | null;
  applicationsUsed: number;
  firstActionDate: string | null;
  lastActionDate: string | null;
  /** Backlog with DEFAULT_BACKLOG_DAYS, read with the row because most clients ask for it. */
  backlog: number;
}

export const EMPTY_STATS: StatsRow = {
  opened: 0, commented: 0, closed: 0, closedWithComment: 0, reopened: 0, hidden: 0, stillOpen: 0, resolved: 0,
  resolutionRate: null, avgDaysToResolution: null, medianDaysToResolution: null, avgCommentLength: null,
  commentsWithUrlPct: null, commentsWithMentionPct: null, applicationsUsed: 0, firstActionDate: null,
  lastActionDate: null, backlog: 0,
};

/** The datamart columns as StatsRow fields, from a datamart table aliased `m`. */
export const STATS_COLUMNS = sql`
  coalesce(m.history_whole_open, 0) AS opened, coalesce(m.history_whole_commented, 0) AS commented,
  coalesce(m.history_whole_closed, 0) AS closed,
  coalesce(m.history_whole_closed_with_comment, 0) AS "closedWithComment",
  coalesce(m.history_whole_reopened, 0) AS reopened, coalesce(m.history_whole_hidden, 0) AS hidden,
  coalesce(m.notes_still_open, 0) AS "stillOpen", coalesce(m.notes_resolved, 0) AS resolved,
  m.resolution_rate AS "resolutionRate", m.avg_days_to_resolution AS "avgDaysToResolution",
  m.median_days_to_resolution AS "medianDaysToResolution", m.avg_comment_length AS "avgCommentLength",
  m.comments_with_url_pct AS "commentsWithUrlPct", m.comments_with_mention_pct AS "commentsWithMentionPct",
  coalesce(m.applications_used, 0) AS "applicationsUsed", m.first_action_date AS "firstActionDate",
  m.last_action_date AS "lastActionDate"`;

/**
 * SQL for the backlog of warehouse key `key` in `scope`: the notes still open (`stillOpen`, the
 * datamart counter) less those opened in the last `days` days. Reading the recent days only
 * touches at most days + 1 rows of datamart_note_states, where summing the old ones would read
 * one row per day of the whole history.
 */
export function backlogSql(scope: Scope, key: SQL, days: number, stillOpen: SQL) {
  return sql`(${stillOpen} - (SELECT coalesce(sum(s.notes), 0) FROM dwh.datamart_note_states s
              WHERE s.scope = ${scope} AND s.key = ${key} AND s.state = 'open'
                AND s.opened_day >= ${TODAY} - ${days}::int))::int`;
}

/** Figures for each id of the scope (zeros and nulls where there is no data), in `ids` order. */
export async function statsOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<StatsRow[]> {
  const { table, column } = datamartTable(scope);
  const result = await db.rows<StatsRow & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT k.id, ${STATS_COLUMNS},
           ${backlogSql(scope, sql`k.key`, DEFAULT_BACKLOG_DAYS, sql`coalesce(m.notes_still_open, 0)`)} AS backlog
    FROM k LEFT JOIN ${table} m ON m.${column} = k.key`);
  const byId = new Map(result.map(({ id, ...row }) => [id, row]));
  return ids.map((id) => byId.get(id) ?? EMPTY_STATS);
}

export function checkBacklogDays(days: number, argument = 'olderThanDays'): void {
  if (!Number.isInteger(days) || days < 0 || days > 36_600) {
    throw new UserInputError(`${argument} must be a number of days from 0 to 36600, got ${days}`, argument, days);
  }
}

/** Still-open notes opened more than `days` days before today (UTC), per id. */
export async function backlogOf(db: Reader, scope: Scope, ids: readonly number[], days: number): Promise<number[]> {
  checkBacklogDays(days);
  const { table, column } = datamartTable(scope);
  const result = await db.rows<{ id: number; backlog: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT k.id, ${backlogSql(scope, sql`k.key`, days, sql`coalesce(m.notes_still_open, 0)`)} AS backlog
    FROM k LEFT JOIN ${table} m ON m.${column} = k.key`);
  const byId = new Map(result.map((r) => [r.id, r.backlog]));
  return ids.map((id) => byId.get(id) ?? 0);
}

/**
 * One digit per day for the ACTIVITY_DAYS days ending today (UTC), oldest first: 0 for a day
 * without actions, else min(9, ceil(log2(n + 1))) for n actions, which is the bit length of n
 * (1 → 1, 2–3 → 2, 4–7 → 3, …, 256 or more → 9). Integer arithmetic, so no rounding surprises.
 */
export async function lastYearActivityOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<string[]> {
  const result = await db.rows<{ id: number; activity: string }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    digits AS (
      SELECT a.key, a.day, least(9, length(ltrim(a.actions::bit(32)::text, '0')))::text AS digit
      FROM dwh.datamart_activity_days a
      WHERE a.scope = ${scope} AND a.key IN (SELECT k.key FROM k) AND a.actions > 0
        AND a.day > ${TODAY} - ${ACTIVITY_DAYS}::int AND a.day <= ${TODAY}
    )
    SELECT k.id, string_agg(coalesce(d.digit, '0'), '' ORDER BY g.ago DESC) AS activity
    FROM k
    CROSS JOIN generate_series(0, ${ACTIVITY_DAYS - 1}::int) g(ago)
    LEFT JOIN digits d ON d.key = k.key AND d.day = ${TODAY} - g.ago
    GROUP BY k.id`);
  const byId = new Map(result.map((r) => [r.id, r.activity]));
  return ids.map((id) => byId.get(id) ?? '0'.repeat(ACTIVITY_DAYS));
}
