// Per-month resolution figures of datamart owners (the reference's resolution_by_month), one
// statement for many owners of a scope: openings and closes from datamart_action_days, the
// days to resolution of the month's closes from the per-month histogram datamart_resolution_months.
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { groupBy } from './notes.ts';
import { scopeKeys, type Scope } from './stats-scope.ts';

export interface MonthRow {
  year: number;
  month: number;
  opened: number;
  closed: number;
  resolvedCloses: number;
  avgDaysToResolution: number | null;
  medianDaysToResolution: number | null;
  resolutionRate: number | null;
}

/** The months with an opening or a close of each id, oldest first. */
export async function monthsOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<MonthRow[][]> {
  const result = await db.rows<MonthRow & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    acts AS MATERIALIZED (
      SELECT d.key, extract(year FROM d.day)::int AS year, extract(month FROM d.day)::int AS month,
             sum(d.actions) FILTER (WHERE d.action = 'opened')::int AS opened,
             sum(d.actions) FILTER (WHERE d.action = 'closed')::int AS closed
      FROM dwh.datamart_action_days d
      WHERE d.scope = ${scope} AND d.key IN (SELECT k.key FROM k) AND d.action IN ('opened', 'closed') AND d.actions > 0
      GROUP BY 1, 2, 3
    ),
    hist AS (
      SELECT r.key, r.year, r.month, r.days, r.closes,
             sum(r.closes) OVER (PARTITION BY r.key, r.year, r.month ORDER BY r.days) AS upto,
             sum(r.closes) OVER (PARTITION BY r.key, r.year, r.month) AS total
      FROM dwh.datamart_resolution_months r
      WHERE r.scope = ${scope} AND r.key IN (SELECT k.key FROM k) AND r.closes > 0
    ),
    -- Mean and continuous median of the month's closes, as the whole-history figures.
    res AS MATERIALIZED (
      SELECT key, year::int AS year, month::int AS month, sum(closes)::int AS closes,
             round(sum(closes::numeric * days) / sum(closes), 2) AS avg,
             (min(days) FILTER (WHERE upto > floor((total - 1) / 2.0))
              + min(days) FILTER (WHERE upto > ceil((total - 1) / 2.0))) / 2.0 AS median
      FROM hist GROUP BY key, year, month
    )
    SELECT k.id, a.year, a.month, coalesce(a.opened, 0) AS opened, coalesce(a.closed, 0) AS closed,
           coalesce(res.closes, 0) AS "resolvedCloses", res.avg AS "avgDaysToResolution",
           res.median AS "medianDaysToResolution",
           round(100.0 * coalesce(a.closed, 0) / nullif(a.opened, 0), 2) AS "resolutionRate"
    FROM k
    JOIN acts a ON a.key = k.key
    LEFT JOIN res ON res.key = a.key AND res.year = a.year AND res.month = a.month
    WHERE coalesce(a.opened, 0) > 0 OR coalesce(a.closed, 0) > 0
    ORDER BY k.id, a.year, a.month`);
  return groupBy(ids, result, (r) => r.id);
}
