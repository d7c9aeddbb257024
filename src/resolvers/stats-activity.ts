// When an owner acts: counters of today, this month and this year, the first and latest action of
// each kind, peak days and hours of the week. All read from datamart_action_days and
// datamart_action_hours (per day and per hour of the week, kept by every batch), so each is a
// range read of one owner's rows; the note ids of the first and latest actions come from the
// facts of that one day, through the (owner, action_at) indexes.
import { sql, type SQL } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import type { DayCount } from './activity-calendar.ts';
import { groupBy } from './notes.ts';
import type { ActionCounts } from './stats.ts';
import { scopeKeys, TODAY, type Scope } from './stats-scope.ts';

export type Action = 'opened' | 'commented' | 'closed' | 'reopened' | 'hidden';
export const ACTIONS: readonly Action[] = ['opened', 'commented', 'closed', 'reopened', 'hidden'];

export interface PeriodCounts {
  today: ActionCounts;
  thisMonth: ActionCounts;
  thisYear: ActionCounts;
}

const zeroCounts = (): ActionCounts => ({ opened: 0, commented: 0, closed: 0, closedWithComment: 0, reopened: 0, hidden: 0 });

/** Actions of each kind made today, this calendar month and this calendar year (UTC), per id. */
export async function periodCountsOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<PeriodCounts[]> {
  const rows = await db.rows<{ id: number; action: Action; period: keyof PeriodCounts; actions: number; withText: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    days AS (
      SELECT k.id, a.action, a.day, a.actions, a.with_text
      FROM k JOIN dwh.datamart_action_days a ON a.scope = ${scope} AND a.key = k.key
      WHERE a.day >= date_trunc('year', ${TODAY})::date AND a.day <= ${TODAY}
    )
    SELECT d.id, d.action, p.period, sum(d.actions)::int AS actions, sum(d.with_text)::int AS "withText"
    FROM days d
    CROSS JOIN LATERAL (VALUES ('thisYear', true), ('thisMonth', d.day >= date_trunc('month', ${TODAY})::date),
                               ('today', d.day = ${TODAY})) p(period, inside)
    WHERE p.inside
    GROUP BY d.id, d.action, p.period`);
  return groupBy(ids, rows, (r) => r.id).map((group) => {
    const out: PeriodCounts = { today: zeroCounts(), thisMonth: zeroCounts(), thisYear: zeroCounts() };
    for (const r of group) {
      out[r.period][r.action] = r.actions;
      if (r.action === 'closed') out[r.period].closedWithComment = r.withText;
    }
    return out;
  });
}

export interface ActionMark {
  noteId: number;
  at: Date;
}

export interface ActionMarks {
  action: Action;
  count: number;
  first: ActionMark;
  latest: ActionMark;
}

/** The facts of an owner in `scope`, as a condition on the facts aliased `f` (key in `key`). */
function ownerFacts(scope: Scope, key: SQL): SQL {
  switch (scope) {
    case 'global':
      return sql`true`;
    case 'country':
      return sql`f.dimension_id_country = ${key}`;
    case 'user':
      return sql`f.action_dimension_id_user = ${key}`;
  }
}

/**
 * For each kind of action an owner made: how many, and the first and latest (the earliest and
 * latest action time; ties by note id, lower first for the first and higher for the latest),
 * per id. The day of each comes from datamart_action_days, so only that day's facts are read.
 */
export async function actionMarksOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<ActionMarks[][]> {
  const rows = await db.rows<{
    id: number; action: Action; count: number; firstNote: number; firstAt: Date; latestNote: number; latestAt: Date;
  }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    span AS (
      SELECT a.key, a.action, sum(a.actions)::int AS count, min(a.day) AS first_day, max(a.day) AS last_day
      FROM dwh.datamart_action_days a
      WHERE a.scope = ${scope} AND a.key IN (SELECT k.key FROM k) AND a.actions > 0
      GROUP BY a.key, a.action
    )
    SELECT k.id, s.action, s.count, fst.id_note AS "firstNote", fst.action_at AS "firstAt",
           lst.id_note AS "latestNote", lst.action_at AS "latestAt"
    FROM k JOIN span s ON s.key = k.key
    CROSS JOIN LATERAL (
      SELECT f.id_note, f.action_at FROM dwh.facts f
      WHERE ${ownerFacts(scope, sql`s.key`)} AND f.action_comment = s.action
        AND f.action_at >= s.first_day::timestamp AT TIME ZONE 'UTC'
        AND f.action_at < (s.first_day + 1)::timestamp AT TIME ZONE 'UTC'
      ORDER BY f.action_at, f.id_note LIMIT 1) fst
    CROSS JOIN LATERAL (
      SELECT f.id_note, f.action_at FROM dwh.facts f
      WHERE ${ownerFacts(scope, sql`s.key`)} AND f.action_comment = s.action
        AND f.action_at >= s.last_day::timestamp AT TIME ZONE 'UTC'
        AND f.action_at < (s.last_day + 1)::timestamp AT TIME ZONE 'UTC'
      ORDER BY f.action_at DESC, f.id_note DESC LIMIT 1) lst
    ORDER BY k.id, s.action`);
  return groupBy(ids, rows, (r) => r.id).map((group) =>
    group.map((r) => ({
      action: r.action,
      count: r.count,
      first: { noteId: r.firstNote, at: r.firstAt },
      latest: { noteId: r.latestNote, at: r.latestAt },
    })),
  );
}

/** The days with most actions of `action`, most first (ties: the earlier day first), per id. */
export async function peakDaysOf(
  db: Reader,
  scope: Scope,
  ids: readonly number[],
  args: { action: Action; first: number },
): Promise<DayCount[][]> {
  const rows = await db.rows<DayCount & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT id, day AS date, count FROM (
      SELECT k.id, a.day, a.actions AS count,
             row_number() OVER (PARTITION BY k.id ORDER BY a.actions DESC, a.day) AS rank
      FROM k JOIN dwh.datamart_action_days a ON a.scope = ${scope} AND a.key = k.key AND a.action = ${args.action}
      WHERE a.actions > 0
    ) ranked
    WHERE rank <= ${args.first}
    ORDER BY id, rank`);
  return groupBy(ids, rows, (r) => r.id).map((group) => group.map(({ date, count }) => ({ date, count })));
}

export interface WorkingHours {
  opening: number[];
  commenting: number[];
  closing: number[];
}

/** Hours of the week: 168 slots, Monday 00:00-00:59 UTC first, Sunday 23:00 last. */
export const HOURS_OF_WEEK = 168;

/** Position of an hour-of-week key (ISO day × 100 + hour) in the 168 slots. */
export const hourSlot = (key: number) => (Math.floor(key / 100) - 1) * 24 + (key % 100);

/** Openings, comments and closes per hour of the week, per id. */
export async function workingHoursOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<WorkingHours[]> {
  const rows = await db.rows<{ id: number; action: Action; hour: number; actions: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT k.id, h.action, h.hour_of_week AS hour, h.actions
    FROM k JOIN dwh.datamart_action_hours h ON h.scope = ${scope} AND h.key = k.key
    WHERE h.action IN ('opened', 'commented', 'closed') AND h.actions > 0`);
  const field = { opened: 'opening', commented: 'commenting', closed: 'closing' } as const;
  return groupBy(ids, rows, (r) => r.id).map((group) => {
    const out: WorkingHours = {
      opening: new Array<number>(HOURS_OF_WEEK).fill(0),
      commenting: new Array<number>(HOURS_OF_WEEK).fill(0),
      closing: new Array<number>(HOURS_OF_WEEK).fill(0),
    };
    for (const r of group) out[field[r.action as keyof typeof field]][hourSlot(r.hour)] = r.actions;
    return out;
  });
}
