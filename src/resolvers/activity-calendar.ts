// Actions per UTC day for the days ending today, every day present (0 for a day without
// actions), from the per-day datamart `dwh.datamart_activity_days`: the structured successor of
// lastYearActivity's digit string, for calendar heatmaps.
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { scopeKeys, TODAY, type Scope } from './stats-scope.ts';

/** Days in activityCalendar unless asked otherwise: as many as lastYearActivity (53 weeks). */
export const CALENDAR_DAYS = 371;
export const MAX_CALENDAR_DAYS = 3660;

export interface DayCount {
  /** yyyy-mm-dd (UTC). */
  date: string;
  count: number;
}

export function checkCalendarDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_CALENDAR_DAYS) {
    throw new UserInputError(`days must be between 1 and ${MAX_CALENDAR_DAYS}, got ${days}`, 'days', days);
  }
}

/** For each id of the scope, `days` entries oldest first, ending today (UTC). One statement. */
export async function activityCalendarOf(db: Reader, scope: Scope, ids: readonly number[], days: number): Promise<DayCount[][]> {
  checkCalendarDays(days);
  const result = await db.rows<{ id: number; date: string; count: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    counted AS (
      SELECT a.key, a.day, a.actions
      FROM dwh.datamart_activity_days a
      WHERE a.scope = ${scope} AND a.key IN (SELECT k.key FROM k)
        AND a.day > ${TODAY} - ${days}::int AND a.day <= ${TODAY}
    )
    SELECT k.id, to_char(${TODAY} - g.ago, 'YYYY-MM-DD') AS date, coalesce(c.actions, 0)::int AS count
    FROM k
    CROSS JOIN generate_series(${days - 1}::int, 0, -1) g(ago)
    LEFT JOIN counted c ON c.key = k.key AND c.day = ${TODAY} - g.ago
    ORDER BY k.id, g.ago DESC`);
  const byId = new Map<number, DayCount[]>();
  for (const { id, date, count } of result) {
    let list = byId.get(id);
    if (!list) byId.set(id, (list = []));
    list.push({ date, count });
  }
  return ids.map((id) => byId.get(id) ?? []);
}
