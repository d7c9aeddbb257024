// Backlog health, application platforms, hashtag uses by role and a user's behaviour, computed
// when read: from the datamarts (note states by opening day, actions per day, applications,
// hashtags), and for a user's behaviour from that user's facts through the (user, action_at)
// index. docs/parity.md lists which OSM-Notes-Analytics figure each answers.
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import type { Action } from './stats-activity.ts';
import type { StatsRow } from './stats.ts';
import { scopeKeys, TODAY, type Scope } from './stats-scope.ts';

export interface RecentHealth {
  openAge0To7: number;
  openAge8To30: number;
  openAge31To90: number;
  openAgeOver90: number;
  createdLast30Days: number;
  resolvedLast30Days: number;
}

const EMPTY_HEALTH: RecentHealth = {
  openAge0To7: 0, openAge8To30: 0, openAge31To90: 0, openAgeOver90: 0, createdLast30Days: 0, resolvedLast30Days: 0,
};

/**
 * Open notes by age (days from their opening day to today: 0-7, 8-30, 31-90, over 90) and
 * openings and closes of the last 30 days (today and the 29 before), per id. Only the last 91
 * days of note states are read; the notes open for longer are the still-open counter less them.
 */
export async function recentHealthOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<RecentHealth[]> {
  const rows = await db.rows<RecentHealth & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT k.id,
      coalesce(s.age0, 0)::int AS "openAge0To7", coalesce(s.age8, 0)::int AS "openAge8To30",
      coalesce(s.age31, 0)::int AS "openAge31To90",
      (coalesce(t.still_open, 0) - coalesce(s.age0, 0) - coalesce(s.age8, 0) - coalesce(s.age31, 0))::int AS "openAgeOver90",
      coalesce(a.created, 0)::int AS "createdLast30Days", coalesce(a.resolved, 0)::int AS "resolvedLast30Days"
    FROM k
    LEFT JOIN LATERAL (
      SELECT sum(n.notes) FILTER (WHERE ${TODAY} - n.opened_day <= 7) AS age0,
             sum(n.notes) FILTER (WHERE ${TODAY} - n.opened_day BETWEEN 8 AND 30) AS age8,
             sum(n.notes) FILTER (WHERE ${TODAY} - n.opened_day BETWEEN 31 AND 90) AS age31
      FROM dwh.datamart_note_states n
      WHERE n.scope = ${scope} AND n.key = k.key AND n.state = 'open' AND n.opened_day >= ${TODAY} - 90
    ) s ON true
    LEFT JOIN LATERAL (
      SELECT sum(d.actions) FILTER (WHERE d.action = 'opened') AS created,
             sum(d.actions) FILTER (WHERE d.action = 'closed') AS resolved
      FROM dwh.datamart_action_days d
      WHERE d.scope = ${scope} AND d.key = k.key AND d.action IN ('opened', 'closed')
        AND d.day > ${TODAY} - 30 AND d.day <= ${TODAY}
    ) a ON true
    LEFT JOIN LATERAL (
      SELECT sum(n.notes) AS still_open FROM dwh.datamart_note_states n
      WHERE n.scope = ${scope} AND n.key = k.key AND n.state = 'open'
    ) t ON true`);
  const byId = new Map(rows.map(({ id, ...row }) => [id, row]));
  return ids.map((id) => byId.get(id) ?? EMPTY_HEALTH);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Openings per close over the last 30 days, 2 decimals; null without closes. */
export const newVsResolvedRatio = (h: RecentHealth) =>
  h.resolvedLast30Days === 0 ? null : round2(h.createdLast30Days / h.resolvedLast30Days);

/**
 * OSM-Notes-Analytics' notes health score, 0-100: 40 % resolution rate, 30 % the share of
 * openings no longer open (100 - still open / opened × 100, floored at 0), 30 % recent activity
 * (100 when the last 30 days closed at least as many as they opened, or opened none and nothing
 * is open; closes / openings × 100 when fewer; 0 when none opened but some are open).
 */
export function healthScore(row: StatsRow, h: RecentHealth): number {
  const backlogShare = row.opened > 0 ? Math.min(100, (100 * row.stillOpen) / row.opened) : 0;
  let recent: number;
  if (h.createdLast30Days > 0) recent = h.resolvedLast30Days >= h.createdLast30Days ? 100 : (100 * h.resolvedLast30Days) / h.createdLast30Days;
  else recent = row.stillOpen === 0 ? 100 : 0;
  return round2((row.resolutionRate ?? 0) * 0.4 + (100 - backlogShare) * 0.3 + recent * 0.3);
}

export interface Platforms {
  mobileApplications: number;
  desktopApplications: number;
  notesOpenedOnMobile: number;
  notesOpenedOnDesktop: number;
}

/** Applications used and notes opened on mobile (android, ios) and desktop (web, desktop) platforms, per id. */
export async function platformsOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<Platforms[]> {
  const rows = await db.rows<Platforms & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    used AS (
      SELECT k.id, d.platform, sum(a.notes) AS notes
      FROM k JOIN dwh.datamart_applications a ON a.scope = ${scope} AND a.key = k.key
      JOIN dwh.dimension_applications d ON d.dimension_application_id = a.dimension_application_id
      GROUP BY k.id, a.dimension_application_id, d.platform HAVING sum(a.notes) > 0
    )
    SELECT id,
      count(*) FILTER (WHERE platform IN ('android', 'ios'))::int AS "mobileApplications",
      count(*) FILTER (WHERE platform IN ('web', 'desktop'))::int AS "desktopApplications",
      coalesce(sum(notes) FILTER (WHERE platform IN ('android', 'ios')), 0)::int AS "notesOpenedOnMobile",
      coalesce(sum(notes) FILTER (WHERE platform IN ('web', 'desktop')), 0)::int AS "notesOpenedOnDesktop"
    FROM used GROUP BY id`);
  const byId = new Map(rows.map(({ id, ...row }) => [id, row]));
  return ids.map((id) => byId.get(id) ?? { mobileApplications: 0, desktopApplications: 0, notesOpenedOnMobile: 0, notesOpenedOnDesktop: 0 });
}

/** Hashtag uses in actions of one kind, whole history, per id. */
export async function hashtagUsesOf(db: Reader, scope: Scope, ids: readonly number[], action: Action): Promise<number[]> {
  const rows = await db.rows<{ id: number; uses: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT k.id, coalesce(sum(t.uses), 0)::int AS uses
    FROM k JOIN dwh.datamart_hashtags t ON t.scope = ${scope} AND t.key = k.key AND t.action = ${action}
    GROUP BY k.id`);
  const byId = new Map(rows.map((r) => [r.id, r.uses]));
  return ids.map((id) => byId.get(id) ?? 0);
}

export interface Behaviour {
  notesOpenedNotClosedByUser: number;
  responseTimeDays: number | null;
  mentionsGiven: number;
  mentionsReceived: number;
  replies: number;
}

/**
 * A user's behaviour, from the user's facts: notes they opened and did not close themselves;
 * mean days from a note's creation to their first comment on it, over notes others opened;
 * their actions with a mention; actions with a mention by others on notes they opened; notes
 * where they commented after someone else had. Per id; null for ids of other scopes.
 */
export async function behaviourOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<(Behaviour | null)[]> {
  if (scope !== 'user') return ids.map(() => null);
  const rows = await db.rows<Behaviour & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    mine AS MATERIALIZED (
      SELECT f.action_dimension_id_user AS key, f.id_note, f.sequence_action, f.action_comment, f.action_at,
             f.opened_dimension_id_user, f.has_mention
      FROM dwh.facts f WHERE f.action_dimension_id_user IN (SELECT k.key FROM k)
    ),
    opened AS (SELECT DISTINCT m.key, m.id_note FROM mine m WHERE m.action_comment = 'opened'),
    first_comment AS (
      SELECT m.key, m.id_note, min(m.action_at) AS first_at FROM mine m
      WHERE m.action_comment = 'commented' AND m.opened_dimension_id_user IS DISTINCT FROM m.key
      GROUP BY m.key, m.id_note
    )
    SELECT k.id,
      (SELECT count(*) FROM opened o WHERE o.key = k.key AND NOT EXISTS (
         SELECT 1 FROM dwh.facts c WHERE c.id_note = o.id_note AND c.action_comment = 'closed' AND c.action_dimension_id_user = k.key))::int
        AS "notesOpenedNotClosedByUser",
      (SELECT round(avg(extract(epoch FROM c.first_at - n.created_at) / 86400)::numeric, 2)
       FROM first_comment c JOIN public.notes n ON n.note_id = c.id_note WHERE c.key = k.key) AS "responseTimeDays",
      (SELECT count(*) FROM mine m WHERE m.key = k.key AND m.has_mention)::int AS "mentionsGiven",
      (SELECT count(*) FROM opened o JOIN dwh.facts f ON f.id_note = o.id_note
       WHERE o.key = k.key AND f.has_mention AND f.action_dimension_id_user IS DISTINCT FROM k.key)::int AS "mentionsReceived",
      (SELECT count(DISTINCT m.id_note) FROM mine m WHERE m.key = k.key AND m.action_comment = 'commented' AND EXISTS (
         SELECT 1 FROM dwh.facts p WHERE p.id_note = m.id_note AND p.sequence_action < m.sequence_action
           AND p.action_comment = 'commented' AND p.action_dimension_id_user IS DISTINCT FROM k.key))::int AS replies
    FROM k WHERE k.key IS NOT NULL`);
  const byId = new Map(rows.map(({ id, ...row }) => [id, row]));
  return ids.map((id) => byId.get(id) ?? { notesOpenedNotClosedByUser: 0, responseTimeDays: null, mentionsGiven: 0, mentionsReceived: 0, replies: 0 });
}

export type ContributorType =
  | 'JUST_STARTING' | 'NEWBIE' | 'ALL_TIME' | 'HIT_AND_RUN' | 'JUNIOR' | 'FORGOTTEN' | 'RETIRED' | 'INACTIVE'
  | 'SPORADIC' | 'START_CLOSING' | 'CASUAL' | 'HEAVY_CLOSING' | 'HEAVY' | 'CRAZY_CLOSING' | 'CRAZY'
  | 'ADDICTED_CLOSING' | 'ADDICTED' | 'EPIC_CLOSING' | 'EPIC' | 'BOT_CLOSING' | 'ROBOT' | 'OOM_EXCEPTION';

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/**
 * OSM-Notes-Analytics' contributor type from a user's figures, first match in this order (their
 * get_contributor_type, with its defects fixed: see docs/parity.md). Null without actions.
 */
export function contributorType(row: StatsRow, today: string): ContributorType | null {
  if (row.firstActionDate == null || row.lastActionDate == null) return null;
  const first = String(row.firstActionDate);
  const last = String(row.lastActionDate);
  const now = dayNumber(today);
  const sinceFirst = now - dayNumber(first);
  const sinceLast = now - dayNumber(last);
  const firstYear = Number(first.slice(0, 4));
  const year = Number(today.slice(0, 4));
  const actions = row.opened + row.commented + row.closed + row.reopened + row.hidden;
  const closing = row.closed / (row.opened + 1) > 1;
  if (sinceFirst < 30) return 'JUST_STARTING';
  if (sinceFirst < 90) return 'NEWBIE';
  if (firstYear === 2013 && Number(last.slice(0, 4)) === year) return 'ALL_TIME';
  if (first === last) return 'HIT_AND_RUN';
  if (firstYear >= year - 1) return 'JUNIOR';
  if (sinceLast > 2000) return 'FORGOTTEN';
  if (sinceLast > 1800) return 'RETIRED';
  if (sinceLast > 720) return 'INACTIVE';
  if (actions < 25) return 'SPORADIC';
  const tiers: [number, ContributorType, ContributorType][] = [
    [100, 'START_CLOSING', 'CASUAL'], [400, 'HEAVY_CLOSING', 'HEAVY'], [1600, 'CRAZY_CLOSING', 'CRAZY'],
    [6400, 'ADDICTED_CLOSING', 'ADDICTED'], [25600, 'EPIC_CLOSING', 'EPIC'], [102400, 'BOT_CLOSING', 'ROBOT'],
  ];
  for (const [limit, closer, other] of tiers) {
    if (closing && row.closed < limit) return closer;
    if (actions < limit) return other;
  }
  return 'OOM_EXCEPTION';
}
