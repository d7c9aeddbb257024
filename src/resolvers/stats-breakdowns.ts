// Per-year figures, applications and hashtags of datamart owners, each one statement for many
// owners of a scope (loaders call them with every owner a query asks about).
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { groupBy } from './notes.ts';
import type { ActionCounts } from './stats.ts';
import { scopeKeys, type Scope } from './stats-scope.ts';

export interface YearRow extends ActionCounts {
  year: number;
  commentsWithText: number;
  avgCommentLength: number | null;
  commentsWithUrlPct: number | null;
  commentsWithMentionPct: number | null;
  resolvedCloses: number;
  avgDaysToResolution: number | null;
  medianDaysToResolution: number | null;
  applicationsUsed: number;
  firstActionDate: string | null;
  lastActionDate: string | null;
}

/** The years with data of each id, oldest first; the same definitions as the whole-history figures. */
export async function yearsOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<YearRow[][]> {
  // Each per-year input is read once for all keys and grouped (MATERIALIZED: computed once, not
  // once per year row), rather than per year and key.
  const result = await db.rows<YearRow & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    hist AS (
      SELECT r.key, r.year, r.days, sum(r.closes) OVER (PARTITION BY r.key, r.year ORDER BY r.days) AS upto,
             sum(r.closes) OVER (PARTITION BY r.key, r.year) AS total
      FROM dwh.datamart_resolution_days r
      WHERE r.scope = ${scope} AND r.key IN (SELECT k.key FROM k) AND r.closes > 0
    ),
    -- Continuous median from the histogram of the year's closes (as the datamart's median is).
    med AS MATERIALIZED (
      SELECT key, year, (min(days) FILTER (WHERE upto > floor((total - 1) / 2.0))
                       + min(days) FILTER (WHERE upto > ceil((total - 1) / 2.0))) / 2.0 AS median
      FROM hist GROUP BY key, year
    ),
    apps AS MATERIALIZED (
      SELECT a.key, a.year, count(*)::int AS used FROM dwh.datamart_applications a
      WHERE a.scope = ${scope} AND a.key IN (SELECT k.key FROM k) AND a.notes > 0
      GROUP BY a.key, a.year
    ),
    act AS MATERIALIZED (
      SELECT d.key, extract(year FROM d.day)::smallint AS year, min(d.day) AS first_day, max(d.day) AS last_day
      FROM dwh.datamart_activity_days d
      WHERE d.scope = ${scope} AND d.key IN (SELECT k.key FROM k) AND d.actions > 0
      GROUP BY d.key, extract(year FROM d.day)
    )
    SELECT k.id, y.year, y.opened, y.commented, y.closed, y.closed_with_comment AS "closedWithComment",
           y.reopened, y.hidden, y.with_text AS "commentsWithText",
           round(y.sum_comment_length::numeric / nullif(y.with_text, 0), 2) AS "avgCommentLength",
           round(100.0 * y.with_url / nullif(y.with_text, 0), 2) AS "commentsWithUrlPct",
           round(100.0 * y.with_mention / nullif(y.with_text, 0), 2) AS "commentsWithMentionPct",
           y.resolved_closes AS "resolvedCloses",
           round(y.sum_days_to_resolution::numeric / nullif(y.resolved_closes, 0), 2) AS "avgDaysToResolution",
           med.median AS "medianDaysToResolution", coalesce(apps.used, 0) AS "applicationsUsed",
           act.first_day AS "firstActionDate", act.last_day AS "lastActionDate"
    FROM k
    JOIN dwh.datamart_years y ON y.scope = ${scope} AND y.key = k.key
    LEFT JOIN med ON med.key = y.key AND med.year = y.year
    LEFT JOIN apps ON apps.key = y.key AND apps.year = y.year
    LEFT JOIN act ON act.key = y.key AND act.year = y.year
    ORDER BY k.id, y.year`);
  return groupBy(ids, result, (r) => r.id);
}

export interface ApplicationCountRow {
  applicationId: number;
  notes: number;
}

export interface HashtagCountRow {
  id: number;
  name: string;
  uses: number;
}

export interface BreakdownArgs {
  year?: number | null;
  first: number;
}

export function checkBreakdown(args: BreakdownArgs, max: number): void {
  if (!Number.isInteger(args.first) || args.first < 0 || args.first > max) {
    throw new UserInputError(`first must be between 0 and ${max}, got ${args.first}`, 'first', args.first);
  }
}

/** Notes opened with each application, most first (ties by application priority), per id. */
export async function applicationsOf(
  db: Reader,
  scope: Scope,
  ids: readonly number[],
  args: BreakdownArgs,
): Promise<ApplicationCountRow[][]> {
  const result = await db.rows<ApplicationCountRow & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT id, "applicationId", notes FROM (
      SELECT k.id, a.dimension_application_id AS "applicationId", sum(a.notes)::int AS notes,
             row_number() OVER (PARTITION BY k.id ORDER BY sum(a.notes) DESC, min(d.priority)) AS rank
      FROM k
      JOIN dwh.datamart_applications a ON a.scope = ${scope} AND a.key = k.key
      JOIN dwh.dimension_applications d ON d.dimension_application_id = a.dimension_application_id
      WHERE ${args.year == null ? sql`true` : sql`a.year = ${args.year}`}
      GROUP BY k.id, a.dimension_application_id
      HAVING sum(a.notes) > 0
    ) ranked
    WHERE rank <= ${args.first}
    ORDER BY id, rank`);
  return groupBy(ids, result, (r) => r.id);
}

/** Hashtag uses (in actions of one kind, when given), most first (ties by lower-case text), per id. */
export async function hashtagsOfOwners(
  db: Reader,
  scope: Scope,
  ids: readonly number[],
  args: BreakdownArgs & { action?: string | null },
): Promise<HashtagCountRow[][]> {
  const rows = await db.rows<HashtagCountRow & { owner: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT owner, id, name, uses FROM (
      SELECT k.id AS owner, h.dimension_hashtag_id AS id, min(h.description) AS name, sum(t.uses)::int AS uses,
             row_number() OVER (PARTITION BY k.id ORDER BY sum(t.uses) DESC, min(h.description_lower)) AS rank
      FROM k
      JOIN dwh.datamart_hashtags t ON t.scope = ${scope} AND t.key = k.key
      JOIN dwh.dimension_hashtags h ON h.dimension_hashtag_id = t.dimension_hashtag_id
      WHERE ${args.year == null ? sql`true` : sql`t.year = ${args.year}`}
        AND ${args.action == null ? sql`true` : sql`t.action = ${args.action}`}
      GROUP BY k.id, h.dimension_hashtag_id
      HAVING sum(t.uses) > 0
    ) ranked
    WHERE rank <= ${args.first}
    ORDER BY owner, rank`);
  return groupBy(ids, rows, (r) => r.owner).map((group) => group.map(({ id, name, uses }) => ({ id, name, uses })));
}
