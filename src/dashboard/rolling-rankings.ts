// Rolling-window rankings: the countries, hashtags, applications and users with the most note
// actions in the last 10 minutes or the last hour, by action time. Set-based SQL over the facts
// (facts_action_at_idx gives the window's rows by a range scan; the window's few hundred or
// thousand rows are then grouped four ways in one statement), so every API instance, a fresh
// one included, answers the same from the warehouse, reprocessed notes count as they are now,
// and nothing has to be warmed up from a stream (docs/dashboard.md).
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { UserInputError } from '../errors.ts';

export const ROLLING_WINDOWS = { LAST_10_MINUTES: 600, LAST_HOUR: 3600 } as const;
export type RollingWindow = keyof typeof ROLLING_WINDOWS;
export const MAX_RANKING_LIMIT = 50;

export type RankingKind = 'country' | 'hashtag' | 'application' | 'user';

export interface RankedItem {
  rank: number;
  /** Country code, hashtag name, application name or OSM user id. */
  key: string;
  /** Country name, hashtag, application name or username. */
  label: string;
  actions: number;
}

export interface RollingRankings {
  window: RollingWindow;
  from: Date;
  to: Date;
  /** Actions in the window, all countries and users (anonymous ones included). */
  actions: number;
  countries: RankedItem[];
  hashtags: RankedItem[];
  applications: RankedItem[];
  users: RankedItem[];
}

export function checkRankingLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RANKING_LIMIT) {
    throw new UserInputError(`limit must be between 1 and ${MAX_RANKING_LIMIT}, got ${limit}`, 'limit', limit);
  }
}

/** The rankings of the window ending now (the database's clock), `limit` places each. One statement. */
export async function rollingRankings(db: Reader, window: RollingWindow, limit: number): Promise<RollingRankings> {
  checkRankingLimit(limit);
  const seconds = ROLLING_WINDOWS[window];
  const rows = await db.rows<{ kind: RankingKind | 'total'; key: string; label: string; actions: number; rank: number; from: Date; to: Date }>(sql`
    WITH bounds AS (SELECT now() - make_interval(secs => ${seconds}) AS "from", now() AS "to"),
    w AS MATERIALIZED (
      -- Bounds written out (now() is fixed in a statement): a join with the CTE would hide them
      -- from the planner, which then scans every fact instead of the index range.
      SELECT f.id_note, f.sequence_action, f.dimension_id_country, f.action_dimension_id_user, f.dimension_application_creation
      FROM dwh.facts f
      WHERE f.action_at > now() - make_interval(secs => ${seconds}) AND f.action_at <= now()
    ),
    counted AS (
      SELECT 'country' AS kind, c.iso_a2 AS key, c.country_name AS label, count(*)::int AS actions
      FROM w JOIN dwh.dimension_countries c ON c.dimension_country_id = w.dimension_id_country
      GROUP BY c.iso_a2, c.country_name
      UNION ALL
      SELECT 'user', u.user_id::text, u.username, count(*)::int
      FROM w JOIN dwh.dimension_users u ON u.dimension_user_id = w.action_dimension_id_user
      GROUP BY u.user_id, u.username
      UNION ALL
      SELECT 'application', a.application_name, a.application_name, count(*)::int
      FROM w JOIN dwh.dimension_applications a ON a.dimension_application_id = w.dimension_application_creation
      GROUP BY a.application_name
      UNION ALL
      SELECT 'hashtag', h.description, h.description, count(*)::int
      FROM w
      -- A lookup by primary key per action of the window (OFFSET 0 keeps the subquery apart):
      -- joined as a whole, the planner hashes every row of fact_hashtags once the window holds
      -- a thousand actions, which costs as much as the warehouse is large.
      CROSS JOIN LATERAL (
        SELECT fh.dimension_hashtag_id FROM dwh.fact_hashtags fh
        WHERE fh.id_note = w.id_note AND fh.sequence_action = w.sequence_action OFFSET 0
      ) fh
      JOIN dwh.dimension_hashtags h ON h.dimension_hashtag_id = fh.dimension_hashtag_id
      GROUP BY h.description
    ),
    ranked AS (
      SELECT *, row_number() OVER (PARTITION BY kind ORDER BY actions DESC, key)::int AS rank FROM counted
    )
    SELECT r.kind, r.key, r.label, r.actions, r.rank, b."from", b."to"
    FROM ranked r, bounds b WHERE r.rank <= ${limit}
    UNION ALL
    SELECT 'total', '', '', (SELECT count(*)::int FROM w), 0, b."from", b."to" FROM bounds b
    ORDER BY 1, 5`);
  const total = rows.find((r) => r.kind === 'total')!;
  const of = (kind: RankingKind): RankedItem[] =>
    rows.filter((r) => r.kind === kind).map(({ rank, key, label, actions }) => ({ rank, key, label, actions }));
  return {
    window,
    from: total.from,
    to: total.to,
    actions: total.actions,
    countries: of('country'),
    hashtags: of('hashtag'),
    applications: of('application'),
    users: of('user'),
  };
}
