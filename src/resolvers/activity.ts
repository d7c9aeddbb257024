// Time series of actions: SQL counts the actions of each non-empty bucket, this file adds the
// empty buckets between the ends (so charts need no gap handling) after checking their number.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { factCondition, type FactFilter, type TimeRange } from './fact-filter.ts';
import { limitSql } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';

export type Granularity = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

/** Most buckets one series may have. */
export const MAX_BUCKETS = 10_000;

export interface ActivityBucket {
  /** Start of the bucket (UTC); weeks start on Monday. */
  start: Date;
  opened: number;
  commented: number;
  closed: number;
  reopened: number;
  hidden: number;
  total: number;
}

const UNIT: Record<Granularity, string> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month', YEAR: 'year' };

export async function activity(
  db: Database,
  args: { groupBy: Granularity; filter?: FactFilter | null; range: TimeRange },
  timeoutMs: number,
): Promise<ActivityBucket[]> {
  const condition = await factCondition(db, args.filter, args.range);
  const unit = UNIT[args.groupBy];
  const rows = await withStatementTimeout(db, timeoutMs, async (tx) => {
    const result = await tx.rows<Omit<ActivityBucket, 'start'> & { start: number }>(sql`
      SELECT (extract(epoch FROM date_trunc(${unit}, f.action_at AT TIME ZONE 'UTC')) * 1000)::float8 AS start,
             count(*) FILTER (WHERE f.action_comment = 'opened')::int AS opened,
             count(*) FILTER (WHERE f.action_comment = 'commented')::int AS commented,
             count(*) FILTER (WHERE f.action_comment = 'closed')::int AS closed,
             count(*) FILTER (WHERE f.action_comment = 'reopened')::int AS reopened,
             count(*) FILTER (WHERE f.action_comment = 'hidden')::int AS hidden,
             count(*)::int AS total
      FROM dwh.facts f
      WHERE ${condition}
      GROUP BY 1 ORDER BY 1
      ${limitSql(MAX_BUCKETS + 1)}`);
    return result.map((r) => ({ ...r, start: new Date(r.start) }));
  });
  const first = args.range.from ? truncate(args.range.from, args.groupBy) : rows[0]?.start;
  // `to` is exclusive: the last bucket is the one holding the instant just before it.
  const last = args.range.to ? truncate(new Date(args.range.to.getTime() - 1), args.groupBy) : rows.at(-1)?.start;
  if (rows.length > MAX_BUCKETS || (first && last && bucketCount(first, last, args.groupBy) > MAX_BUCKETS)) {
    throw tooManyBuckets(args.groupBy);
  }
  if (!first || !last || first.getTime() > last.getTime()) return rows;
  const byStart = new Map(rows.map((r) => [r.start.getTime(), r]));
  const series: ActivityBucket[] = [];
  for (let t = first; t.getTime() <= last.getTime(); t = step(t, args.groupBy)) {
    series.push(byStart.get(t.getTime()) ?? { start: t, opened: 0, commented: 0, closed: 0, reopened: 0, hidden: 0, total: 0 });
  }
  return series;
}

function tooManyBuckets(groupBy: Granularity): UserInputError {
  return new UserInputError(
    `the time range holds more than ${MAX_BUCKETS} ${groupBy} buckets; narrow from/to or group by a longer period`,
    'groupBy',
    groupBy,
  );
}

/** Start of the UTC bucket holding `at` (what date_trunc does on UTC wall time). */
export function truncate(at: Date, groupBy: Granularity): Date {
  const d = new Date(at.getTime());
  switch (groupBy) {
    case 'YEAR':
      return new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
    case 'MONTH':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    case 'WEEK': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return new Date(day - ((d.getUTCDay() + 6) % 7) * 86_400_000);
    }
    case 'DAY':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    case 'HOUR':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
  }
}

function step(at: Date, groupBy: Granularity): Date {
  switch (groupBy) {
    case 'YEAR':
      return new Date(Date.UTC(at.getUTCFullYear() + 1, 0, 1));
    case 'MONTH':
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
    case 'WEEK':
      return new Date(at.getTime() + 7 * 86_400_000);
    case 'DAY':
      return new Date(at.getTime() + 86_400_000);
    case 'HOUR':
      return new Date(at.getTime() + 3_600_000);
  }
}

function bucketCount(first: Date, last: Date, groupBy: Granularity): number {
  const months = (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth();
  const ms = last.getTime() - first.getTime();
  switch (groupBy) {
    case 'YEAR':
      return last.getUTCFullYear() - first.getUTCFullYear() + 1;
    case 'MONTH':
      return months + 1;
    case 'WEEK':
      return Math.round(ms / (7 * 86_400_000)) + 1;
    case 'DAY':
      return Math.round(ms / 86_400_000) + 1;
    case 'HOUR':
      return Math.round(ms / 3_600_000) + 1;
  }
}
