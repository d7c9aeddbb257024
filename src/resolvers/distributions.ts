// How long notes take to be resolved, and when in the week people act: both over the facts a
// filter selects, each one statement.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { factCondition, type FactFilter, type TimeRange } from './fact-filter.ts';
import { limitSql } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';

export const DEFAULT_PERCENTILES = [10, 25, 50, 75, 90, 95, 99];

/** Decimal places of interpolated days (percentiles, means): 0.01 day is under 15 minutes. */
export const DAYS_DECIMALS = 2;
const roundDays = (days: number) => Math.round(days * 10 ** DAYS_DECIMALS) / 10 ** DAYS_DECIMALS;

/** Histogram edges in days: [0,1) same day, [1,2), [2,8) within a week, … , 366 and more. */
export const RESOLUTION_BUCKET_EDGES = [0, 1, 2, 8, 31, 91, 366];

export interface ResolutionDistribution {
  closes: number;
  minDays: number | null;
  maxDays: number | null;
  meanDays: number | null;
  percentiles: { percentile: number; days: number | null }[];
  histogram: { fromDays: number; toDays: number | null; closes: number }[];
}

/**
 * Days to resolution of the closing actions selected (percentiles are continuous, like the
 * datamarts' median).
 */
export async function resolutionDistribution(
  db: Database,
  args: { filter?: FactFilter | null; range: TimeRange; percentiles?: readonly number[] | null },
  timeoutMs: number,
): Promise<ResolutionDistribution> {
  const percentiles = args.percentiles ?? DEFAULT_PERCENTILES;
  if (percentiles.length === 0 || percentiles.length > 20 || percentiles.some((p) => !(p >= 0 && p <= 100))) {
    throw new UserInputError('percentiles must be 1 to 20 numbers from 0 to 100', 'percentiles', percentiles);
  }
  const condition = await factCondition(db, args.filter, args.range);
  const edges = RESOLUTION_BUCKET_EDGES;
  const buckets = edges.map((from, i) => {
    const to = edges[i + 1];
    return to === undefined
      ? sql`count(*) FILTER (WHERE f.days_to_resolution >= ${from}::int)::int`
      : sql`count(*) FILTER (WHERE f.days_to_resolution >= ${from}::int AND f.days_to_resolution < ${to}::int)::int`;
  });
  const row = await withStatementTimeout(db, timeoutMs, async (tx) => {
    const [figures] = await tx.rows<ResolutionFigures>(sql`
      SELECT count(*)::int AS closes, min(f.days_to_resolution) AS "minDays", max(f.days_to_resolution) AS "maxDays",
             round(avg(f.days_to_resolution), ${sql.raw(String(DAYS_DECIMALS))}) AS "meanDays",
             percentile_cont(${sql.param(percentiles.map((p) => p / 100))}::float8[])
               WITHIN GROUP (ORDER BY f.days_to_resolution) AS values,
             ARRAY[${sql.join(buckets, sql`, `)}] AS histogram
      FROM dwh.facts f
      WHERE ${condition} AND f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL`);
    return figures!; // an aggregate without GROUP BY: always one row
  });
  return {
    closes: row.closes,
    minDays: row.minDays,
    maxDays: row.maxDays,
    meanDays: row.meanDays,
    // percentile_cont interpolates in float8 (1134.6000000000001): rounded like the means.
    percentiles: percentiles.map((percentile, i) => {
      const days = row.values?.[i];
      return { percentile, days: days === undefined || days === null ? null : roundDays(days) };
    }),
    histogram: edges.map((fromDays, i) => ({ fromDays, toDays: edges[i + 1] ?? null, closes: row.histogram[i] ?? 0 })),
  };
}

interface ResolutionFigures {
  closes: number;
  minDays: number | null;
  maxDays: number | null;
  meanDays: number | null;
  values: number[] | null;
  histogram: number[];
}

export interface HourOfWeekRow {
  /** ISO day of week × 100 + hour: Monday 00:00 → 100, Sunday 23:00 → 723. */
  key: number;
  isoDayOfWeek: number;
  dayName: string;
  hour: number;
  actions: number;
  opened: number;
  commented: number;
  closed: number;
}

/** Every hour of the week (UTC) with the actions selected, busiest first (ties by key). */
export async function busiestHours(
  db: Database,
  args: { filter?: FactFilter | null; range: TimeRange; limit: number },
  timeoutMs: number,
): Promise<HourOfWeekRow[]> {
  if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > 168) {
    throw new UserInputError(`limit must be between 1 and 168, got ${args.limit}`, 'limit', args.limit);
  }
  const condition = await factCondition(db, args.filter, args.range);
  return withStatementTimeout(db, timeoutMs, (tx) =>
    tx.rows<HourOfWeekRow>(sql`
      SELECT t.dimension_tow_id AS key, t.iso_dow AS "isoDayOfWeek", t.day_name AS "dayName", t.hour_of_day AS hour,
             coalesce(c.actions, 0)::int AS actions, coalesce(c.opened, 0)::int AS opened,
             coalesce(c.commented, 0)::int AS commented, coalesce(c.closed, 0)::int AS closed
      FROM dwh.dimension_time_of_week t
      LEFT JOIN (
        SELECT f.action_dimension_id_hour_of_week AS key, count(*) AS actions,
               count(*) FILTER (WHERE f.action_comment = 'opened') AS opened,
               count(*) FILTER (WHERE f.action_comment = 'commented') AS commented,
               count(*) FILTER (WHERE f.action_comment = 'closed') AS closed
        FROM dwh.facts f WHERE ${condition} GROUP BY 1
      ) c ON c.key = t.dimension_tow_id
      ORDER BY actions DESC, t.dimension_tow_id
      ${limitSql(args.limit)}`),
  );
}
