// Badges of OSM-Notes-Analytics (their 62_createBadgeSystem.sql), derived when read from the
// datamarts a batch already keeps: nothing is stored, so a badge is always what the figures say
// now and equal to a rebuild by construction. One statement for many users. docs/parity.md gives
// each definition and where ours differs.
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { groupBy } from './notes.ts';
import { scopeKeys, type Scope } from './stats-scope.ts';

export interface BadgeDefinition {
  id: string;
  name: string;
  description: string;
}

/** Every badge, in the order they are listed. */
export const BADGES: readonly BadgeDefinition[] = [
  { id: 'FIRST_NOTE', name: 'First Note', description: 'Opened a first note.' },
  { id: 'FIRST_CLOSE', name: 'First Close', description: 'Closed a first note.' },
  { id: 'FIRST_COMMENT', name: 'First Comment', description: 'Made a first comment.' },
  { id: 'OPENED_10', name: '10 Notes Opened', description: 'Opened 10 notes.' },
  { id: 'OPENED_50', name: '50 Notes Opened', description: 'Opened 50 notes.' },
  { id: 'OPENED_100', name: '100 Notes Opened', description: 'Opened 100 notes.' },
  { id: 'OPENED_500', name: '500 Notes Opened', description: 'Opened 500 notes.' },
  { id: 'OPENED_1000', name: '1000 Notes Opened', description: 'Opened 1,000 notes.' },
  { id: 'NOTE_MASTER', name: 'Note Master', description: 'Opened 5,000 notes.' },
  { id: 'CLOSED_10', name: '10 Notes Closed', description: 'Closed 10 notes.' },
  { id: 'CLOSED_50', name: '50 Notes Closed', description: 'Closed 50 notes.' },
  { id: 'CLOSED_100', name: '100 Notes Closed', description: 'Closed 100 notes.' },
  { id: 'CLOSED_500', name: '500 Notes Closed', description: 'Closed 500 notes.' },
  { id: 'CLOSED_1000', name: '1000 Notes Closed', description: 'Closed 1,000 notes.' },
  { id: 'RESOLUTION_LEGEND', name: 'Resolution Legend', description: 'Closed 5,000 notes.' },
  { id: 'COMMENTS_100', name: '100 Comments', description: 'Made 100 comments.' },
  { id: 'COMMENTS_500', name: '500 Comments', description: 'Made 500 comments.' },
  { id: 'COMMENTS_1000', name: '1000 Comments', description: 'Made 1,000 comments.' },
  { id: 'COMMENT_LEGEND', name: 'Comment Legend', description: 'Made 5,000 comments.' },
  { id: 'ALL_AROUND_HELPER', name: 'All Around Helper', description: 'Opened, closed and commented 1,000 times each.' },
  { id: 'PROBLEM_SOLVER', name: 'Problem Solver', description: 'Closed 10 notes with a text.' },
  { id: 'COMMUNITY_HELPER', name: 'Community Helper', description: 'Closed 50 notes with a text.' },
  { id: 'RESOLUTION_MASTER', name: 'Resolution Master', description: 'Closed 100 notes with a text.' },
  { id: 'DAILY_CONTRIBUTOR', name: 'Daily Contributor', description: 'Opened or closed notes on 7 consecutive days.' },
  { id: 'PERFECT_WEEK', name: 'Perfect Week', description: 'Opened or closed notes every day of a week (7 consecutive days).' },
  { id: 'PERFECT_MONTH', name: 'Perfect Month', description: 'Opened or closed notes on 30 consecutive days.' },
  { id: 'CONSISTENT_HELPER', name: 'Consistent Helper', description: 'Closed notes on 30 consecutive days.' },
  { id: 'WEEKLY_CONTRIBUTOR', name: 'Weekly Contributor', description: 'Opened or closed notes in 4 consecutive ISO weeks.' },
  { id: 'MONTHLY_CONTRIBUTOR', name: 'Monthly Contributor', description: 'Opened or closed notes in 3 consecutive calendar months.' },
  { id: 'SPEED_DEMON', name: 'Speed Demon', description: 'Closed a note within an hour of its creation.' },
  { id: 'HASHTAG_ENTHUSIAST', name: 'Hashtag Enthusiast', description: 'Used 50 hashtags in action texts.' },
  { id: 'MOBILE_USER', name: 'Mobile User', description: 'Opened 100 notes with mobile applications (android, ios).' },
  { id: 'DESKTOP_POWER_USER', name: 'Desktop Power User', description: 'Opened 100 notes with desktop applications (web, desktop).' },
  { id: 'EARLY_ADOPTER', name: 'Early Adopter', description: 'Opened a note in 2013, the first year of OSM notes.' },
  { id: 'LONG_TIME_HELPER', name: 'Long Time Helper', description: 'First and last action at least 5 years apart.' },
  { id: 'CENTURY_CLUB', name: 'Century Club', description: 'Opened 100 notes in one calendar year.' },
  { id: 'RESOLUTION_CHAMPION', name: 'Resolution Champion', description: 'Closed 100 notes in one calendar year.' },
  { id: 'COMMENT_KING', name: 'Comment King', description: 'Made 100 comments in one calendar year.' },
  { id: 'QUALITY_CONTRIBUTOR', name: 'Quality Contributor', description: 'Mean text length over 50 characters.' },
  { id: 'DETAIL_ORIENTED', name: 'Detail Oriented', description: 'Mean text length over 200 characters.' },
  { id: 'COLLABORATIVE', name: 'Collaborative', description: 'Mentioned someone in 20 action texts.' },
  { id: 'RESOURCEFUL', name: 'Resourceful', description: 'Put a URL in 20 action texts.' },
];

const BY_ID = new Map(BADGES.map((b) => [b.id, b]));

/** The badges each user id has now, in BADGES order; empty for other scopes. */
export async function badgesOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<BadgeDefinition[][]> {
  if (scope !== 'user') return ids.map(() => []);
  const rows = await db.rows<{ id: number; badge: string }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    -- Days, ISO weeks and months with an opening or a close, and days with a close.
    days AS MATERIALIZED (
      SELECT a.key, a.day, bool_or(a.action = 'closed') AS closing
      FROM dwh.datamart_action_days a
      WHERE a.scope = 'user' AND a.key IN (SELECT k.key FROM k) AND a.action IN ('opened', 'closed') AND a.actions > 0
      GROUP BY a.key, a.day
    ),
    -- Runs of consecutive days, ISO weeks and months (gaps and islands: within a run, the
    -- position minus the row number is constant).
    islands AS (
      SELECT key, 'day' AS kind, day - (row_number() OVER (PARTITION BY key ORDER BY day))::int - date '2000-01-01' AS island FROM days
      UNION ALL
      SELECT key, 'close', day - (row_number() OVER (PARTITION BY key ORDER BY day))::int - date '2000-01-01' FROM days WHERE closing
      UNION ALL
      SELECT key, 'week', w - row_number() OVER (PARTITION BY key ORDER BY w)
      FROM (SELECT DISTINCT key, (date_trunc('week', day)::date - date '2000-01-03') / 7 AS w FROM days) weeks
      UNION ALL
      SELECT key, 'month', m - row_number() OVER (PARTITION BY key ORDER BY m)
      FROM (SELECT DISTINCT key, (extract(year FROM day) * 12 + extract(month FROM day))::int AS m FROM days) months
    ),
    runs AS (
      SELECT key, max(n) FILTER (WHERE kind = 'day') AS day_run, max(n) FILTER (WHERE kind = 'close') AS close_run,
             max(n) FILTER (WHERE kind = 'week') AS week_run, max(n) FILTER (WHERE kind = 'month') AS month_run
      FROM (SELECT key, kind, count(*) AS n FROM islands GROUP BY key, kind, island) counted
      GROUP BY key
    ),
    years AS (
      SELECT y.key, max(y.opened) AS opened, max(y.closed) AS closed, max(y.commented) AS commented,
             bool_or(y.year = 2013 AND y.opened > 0) AS in_2013
      FROM dwh.datamart_years y WHERE y.scope = 'user' AND y.key IN (SELECT k.key FROM k) GROUP BY y.key
    ),
    apps AS (
      SELECT a.key, coalesce(sum(a.notes) FILTER (WHERE d.platform IN ('android', 'ios')), 0) AS mobile,
             coalesce(sum(a.notes) FILTER (WHERE d.platform IN ('web', 'desktop')), 0) AS desktop
      FROM dwh.datamart_applications a JOIN dwh.dimension_applications d USING (dimension_application_id)
      WHERE a.scope = 'user' AND a.key IN (SELECT k.key FROM k) GROUP BY a.key
    ),
    tags AS (
      SELECT t.key, sum(t.uses) AS uses FROM dwh.datamart_hashtags t
      WHERE t.scope = 'user' AND t.key IN (SELECT k.key FROM k) GROUP BY t.key
    )
    SELECT k.id, b.badge
    FROM k
    JOIN dwh.datamart_users m ON m.dimension_user_id = k.key
    LEFT JOIN runs r ON r.key = k.key
    LEFT JOIN years y ON y.key = k.key
    LEFT JOIN apps a ON a.key = k.key
    LEFT JOIN tags t ON t.key = k.key
    CROSS JOIN LATERAL (VALUES
      ('FIRST_NOTE', m.history_whole_open >= 1), ('FIRST_CLOSE', m.history_whole_closed >= 1),
      ('FIRST_COMMENT', m.history_whole_commented >= 1),
      ('OPENED_10', m.history_whole_open >= 10), ('OPENED_50', m.history_whole_open >= 50),
      ('OPENED_100', m.history_whole_open >= 100), ('OPENED_500', m.history_whole_open >= 500),
      ('OPENED_1000', m.history_whole_open >= 1000), ('NOTE_MASTER', m.history_whole_open >= 5000),
      ('CLOSED_10', m.history_whole_closed >= 10), ('CLOSED_50', m.history_whole_closed >= 50),
      ('CLOSED_100', m.history_whole_closed >= 100), ('CLOSED_500', m.history_whole_closed >= 500),
      ('CLOSED_1000', m.history_whole_closed >= 1000), ('RESOLUTION_LEGEND', m.history_whole_closed >= 5000),
      ('COMMENTS_100', m.history_whole_commented >= 100), ('COMMENTS_500', m.history_whole_commented >= 500),
      ('COMMENTS_1000', m.history_whole_commented >= 1000), ('COMMENT_LEGEND', m.history_whole_commented >= 5000),
      ('ALL_AROUND_HELPER', m.history_whole_open >= 1000 AND m.history_whole_closed >= 1000 AND m.history_whole_commented >= 1000),
      ('PROBLEM_SOLVER', m.history_whole_closed_with_comment >= 10),
      ('COMMUNITY_HELPER', m.history_whole_closed_with_comment >= 50),
      ('RESOLUTION_MASTER', m.history_whole_closed_with_comment >= 100),
      ('DAILY_CONTRIBUTOR', r.day_run >= 7), ('PERFECT_WEEK', r.day_run >= 7), ('PERFECT_MONTH', r.day_run >= 30),
      ('CONSISTENT_HELPER', r.close_run >= 30), ('WEEKLY_CONTRIBUTOR', r.week_run >= 4), ('MONTHLY_CONTRIBUTOR', r.month_run >= 3),
      ('SPEED_DEMON', m.history_whole_closed > 0 AND EXISTS (
         SELECT 1 FROM dwh.facts f JOIN public.notes n ON n.note_id = f.id_note
         WHERE f.action_dimension_id_user = k.key AND f.action_comment = 'closed' AND f.action_at <= n.created_at + interval '1 hour')),
      ('HASHTAG_ENTHUSIAST', t.uses >= 50),
      ('MOBILE_USER', a.mobile >= 100), ('DESKTOP_POWER_USER', a.desktop >= 100),
      ('EARLY_ADOPTER', y.in_2013),
      ('LONG_TIME_HELPER', m.last_action_date >= m.first_action_date + interval '5 years'),
      ('CENTURY_CLUB', y.opened >= 100), ('RESOLUTION_CHAMPION', y.closed >= 100), ('COMMENT_KING', y.commented >= 100),
      ('QUALITY_CONTRIBUTOR', m.avg_comment_length > 50), ('DETAIL_ORIENTED', m.avg_comment_length > 200),
      ('COLLABORATIVE', m.with_mention >= 20), ('RESOURCEFUL', m.with_url >= 20)
    ) b(badge, earned)
    WHERE b.earned`);
  const order = new Map(BADGES.map((b, i) => [b.id, i]));
  return groupBy(ids, rows, (r) => r.id).map((group) =>
    group.map((r) => BY_ID.get(r.badge)!).sort((a, b) => order.get(a.id)! - order.get(b.id)!),
  );
}
