// Orderings of countries and users by a datamart figure. Each sort value is a number that is
// never null (missing averages and rates sort as -1, below every real value), so keyset cursors
// can hold it.
import { sql, type SQL } from 'drizzle-orm';
import { backlogSql, DEFAULT_BACKLOG_DAYS } from './stats.ts';
import type { Scope } from './stats-scope.ts';

export const FIGURE_ORDER_FIELDS = [
  'OPENED', 'COMMENTED', 'CLOSED', 'REOPENED', 'ACTIONS', 'STILL_OPEN', 'RESOLVED', 'BACKLOG',
  'RESOLUTION_RATE', 'AVG_DAYS_TO_RESOLUTION', 'MEDIAN_DAYS_TO_RESOLUTION', 'LAST_ACTION',
] as const;

export type FigureOrderField = (typeof FIGURE_ORDER_FIELDS)[number];

/** The sort value over a datamart row aliased `m` whose warehouse key is `key`. */
export function figureSort(field: FigureOrderField, scope: Scope, key: SQL): SQL {
  switch (field) {
    case 'OPENED':
      return sql`m.history_whole_open`;
    case 'COMMENTED':
      return sql`m.history_whole_commented`;
    case 'CLOSED':
      return sql`m.history_whole_closed`;
    case 'REOPENED':
      return sql`m.history_whole_reopened`;
    case 'ACTIONS':
      return sql`(m.history_whole_open + m.history_whole_commented + m.history_whole_closed
                  + m.history_whole_reopened + m.history_whole_hidden)`;
    case 'STILL_OPEN':
      return sql`m.notes_still_open`;
    case 'RESOLVED':
      return sql`m.notes_resolved`;
    case 'BACKLOG':
      return backlogSql(scope, key, DEFAULT_BACKLOG_DAYS, sql`m.notes_still_open`);
    case 'RESOLUTION_RATE':
      return sql`coalesce(m.resolution_rate, -1)`;
    case 'AVG_DAYS_TO_RESOLUTION':
      return sql`coalesce(m.avg_days_to_resolution, -1)`;
    case 'MEDIAN_DAYS_TO_RESOLUTION':
      return sql`coalesce(m.median_days_to_resolution, -1)`;
    case 'LAST_ACTION':
      return sql`coalesce(m.last_action_date - date '1970-01-01', -1)`;
  }
}
