// Rankings of countries, users, applications or hashtags by a measure of their facts in a period.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { factCondition, type FactFilter, type TimeRange } from './fact-filter.ts';
import { limitSql, type SortDirection } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';

export type TopDimension = 'COUNTRY' | 'USER' | 'APPLICATION' | 'HASHTAG';
export type TopMetric =
  | 'ACTIONS' | 'NOTES' | 'OPENED' | 'COMMENTED' | 'CLOSED' | 'REOPENED' | 'HIDDEN'
  | 'AVG_DAYS_TO_RESOLUTION' | 'MEDIAN_DAYS_TO_RESOLUTION';

export interface TopRow {
  rank: number;
  value: number;
  /** Country code, OSM user id, application name or lower-case hashtag. */
  key: string;
  /** Country name, username, application name or hashtag as first seen. */
  label: string;
  /** public.countries id, OSM user id, application id or hashtag id. */
  id: number;
}

export interface Period {
  year?: number | null;
  from?: Date | null;
  to?: Date | null;
}

/** A period as a time range: a calendar year (UTC), or from/to. */
export function periodRange(period: Period | null | undefined): TimeRange {
  if (!period) return {};
  if (period.year != null) {
    if (period.from || period.to) throw new UserInputError('give either year or from/to in period, not both', 'period.year');
    if (!Number.isInteger(period.year) || period.year < 1900 || period.year > 9999) {
      throw new UserInputError(`period.year must be a year from 1900 to 9999, got ${period.year}`, 'period.year', period.year);
    }
    return { from: new Date(Date.UTC(period.year, 0, 1)), to: new Date(Date.UTC(period.year + 1, 0, 1)) };
  }
  return { from: period.from ?? null, to: period.to ?? null };
}

const DIMENSIONS: Record<TopDimension, { key: SQL; join: SQL; id: SQL; sortKey: SQL; label: SQL }> = {
  COUNTRY: {
    key: sql`f.dimension_id_country`,
    join: sql`JOIN dwh.dimension_countries d ON d.dimension_country_id = g.key`,
    id: sql`d.country_id`,
    sortKey: sql`d.iso_a2`,
    label: sql`d.country_name`,
  },
  USER: {
    key: sql`f.action_dimension_id_user`,
    join: sql`JOIN dwh.dimension_users d ON d.dimension_user_id = g.key`,
    id: sql`d.user_id`,
    sortKey: sql`d.user_id::text`,
    label: sql`d.username`,
  },
  APPLICATION: {
    key: sql`f.dimension_application_creation`,
    join: sql`JOIN dwh.dimension_applications d ON d.dimension_application_id = g.key`,
    id: sql`d.dimension_application_id`,
    sortKey: sql`d.application_name`,
    label: sql`d.application_name`,
  },
  HASHTAG: {
    key: sql`b.dimension_hashtag_id`,
    join: sql`JOIN dwh.dimension_hashtags d ON d.dimension_hashtag_id = g.key`,
    id: sql`d.dimension_hashtag_id`,
    sortKey: sql`d.description_lower`,
    label: sql`d.description`,
  },
};

const CLOSES = sql`f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL`;

const METRICS: Record<TopMetric, SQL> = {
  ACTIONS: sql`count(*)`,
  NOTES: sql`count(DISTINCT f.id_note)`,
  OPENED: sql`count(*) FILTER (WHERE f.action_comment = 'opened')`,
  COMMENTED: sql`count(*) FILTER (WHERE f.action_comment = 'commented')`,
  CLOSED: sql`count(*) FILTER (WHERE f.action_comment = 'closed')`,
  REOPENED: sql`count(*) FILTER (WHERE f.action_comment = 'reopened')`,
  HIDDEN: sql`count(*) FILTER (WHERE f.action_comment = 'hidden')`,
  AVG_DAYS_TO_RESOLUTION: sql`round(avg(f.days_to_resolution) FILTER (WHERE ${CLOSES}), 2)`,
  MEDIAN_DAYS_TO_RESOLUTION: sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY f.days_to_resolution) FILTER (WHERE ${CLOSES})`,
};

export interface TopArgs {
  dimension: TopDimension;
  metric: TopMetric;
  period?: Period | null;
  filter?: FactFilter | null;
  limit: number;
  direction?: SortDirection | null;
}

/**
 * The first `limit` entries by the metric (largest first unless direction is ASC), ties by
 * country code / user id / application name / hashtag in code-point order. Entries whose metric is zero or
 * undefined (no closes for an average) are left out. With HASHTAG, a fact counts once per use.
 */
export async function top(db: Database, args: TopArgs, limits: { maxPageSize: number; timeoutMs: number }): Promise<TopRow[]> {
  if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > limits.maxPageSize) {
    throw new UserInputError(`limit must be between 1 and ${limits.maxPageSize}, got ${args.limit}`, 'limit', args.limit);
  }
  const condition = await factCondition(db, args.filter, periodRange(args.period));
  const dimension = DIMENSIONS[args.dimension];
  const metric = METRICS[args.metric];
  const isCount = !args.metric.includes('DAYS_TO_RESOLUTION');
  const direction = sql.raw(args.direction === 'ASC' ? 'ASC' : 'DESC');
  const hashtags =
    args.dimension === 'HASHTAG'
      ? sql`JOIN dwh.fact_hashtags b ON b.id_note = f.id_note AND b.sequence_action = f.sequence_action`
      : sql``;
  return withStatementTimeout(db, limits.timeoutMs, (tx) =>
    tx.rows<TopRow>(sql`
      WITH g AS (
        SELECT ${dimension.key} AS key, (${metric})::float8 AS value
        FROM dwh.facts f ${hashtags}
        WHERE ${condition} AND ${dimension.key} IS NOT NULL
        GROUP BY 1
      )
      SELECT (row_number() OVER (ORDER BY g.value ${direction}, ${dimension.sortKey} COLLATE "C"))::int AS rank, g.value,
             ${dimension.sortKey} AS key, ${dimension.label} AS label, ${dimension.id} AS id
      FROM g ${dimension.join}
      WHERE g.value IS NOT NULL ${isCount ? sql`AND g.value > 0` : sql``}
      ORDER BY rank
      ${limitSql(args.limit)}`),
  );
}
