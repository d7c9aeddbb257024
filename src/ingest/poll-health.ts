// How the OSM API poller fares, kept in the database (streaming.sync_state, row
// 'osm_api_poll_health') so that the API servers' /metrics and alert rules see it, wherever the
// `poll` command runs: every outcome by class since the poller first ran, the outcomes of the
// last day with their times, the last success, and when the running poller means to poll next.
import type pg from 'pg';
import { inTransaction } from '../db/transaction.ts';
import type { PollOutcome } from './api-poller.ts';

export const POLL_HEALTH_NAME = 'osm_api_poll_health';

export const POLL_OUTCOME_CLASSES = [
  'ok',
  'server_error',
  'rate_limited',
  'client_error',
  'network',
  'malformed',
  'database',
] as const;
export type PollOutcomeClass = (typeof POLL_OUTCOME_CLASSES)[number];

/** Outcomes kept with their times: a day's worth, and no more than this many. */
const RECENT_SECONDS = 24 * 3600;
const RECENT_LIMIT = 2_000;

export interface PollHealth {
  lastAttemptAt: string;
  lastSuccessAt: string | null;
  /** When the running poller will try again; null once it stopped (or after a one-off poll). */
  nextPollAt: string | null;
  totals: Partial<Record<PollOutcomeClass, number>>;
  /** [unix seconds, class] of the outcomes of the last day, oldest first. */
  recent: [number, PollOutcomeClass][];
}

/**
 * 429 Too Many Requests and 509 Bandwidth Limit Exceeded (what the OSM API answers a client over
 * its download quota) are rate limits; other 5xx are the server's errors, other 4xx ours.
 */
export function classifyOutcome(outcome: PollOutcome): PollOutcomeClass {
  if (outcome.ok) return 'ok';
  if (outcome.kind !== 'http') return outcome.kind;
  const status = outcome.status ?? 0;
  if (status === 429 || status === 509) return 'rate_limited';
  return status >= 500 ? 'server_error' : 'client_error';
}

/** Adds one outcome; the row is locked for the update, so two pollers never lose a count. */
export async function recordPoll(pool: pg.Pool, outcome: PollOutcome, nextPollAt: Date | null, now = new Date()): Promise<void> {
  const kind = classifyOutcome(outcome);
  await updateHealth(pool, (health) => {
    const seconds = Math.floor(now.getTime() / 1000);
    const recent = health.recent.filter(([at]) => at > seconds - RECENT_SECONDS);
    recent.push([seconds, kind]);
    return {
      lastAttemptAt: now.toISOString(),
      lastSuccessAt: outcome.ok ? now.toISOString() : health.lastSuccessAt,
      nextPollAt: nextPollAt?.toISOString() ?? null,
      totals: { ...health.totals, [kind]: (health.totals[kind] ?? 0) + 1 },
      recent: recent.slice(-RECENT_LIMIT),
    };
  });
}

/** Says that no poll is coming (the poller stopped). */
export async function recordPollerStopped(pool: pg.Pool): Promise<void> {
  await updateHealth(pool, (health) => ({ ...health, nextPollAt: null }));
}

export async function readPollHealth(db: Pick<pg.Pool, 'query'>): Promise<PollHealth | undefined> {
  const { rows } = await db.query<{ value: PollHealth }>('SELECT value FROM streaming.sync_state WHERE name = $1', [POLL_HEALTH_NAME]);
  return rows[0]?.value;
}

const EMPTY: PollHealth = { lastAttemptAt: '', lastSuccessAt: null, nextPollAt: null, totals: {}, recent: [] };

async function updateHealth(pool: pg.Pool, change: (health: PollHealth) => PollHealth): Promise<void> {
  await inTransaction(pool, async (client) => {
    // Creates the row if needed, so that the lock below always has a row to take.
    await client.query(
      `INSERT INTO streaming.sync_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [POLL_HEALTH_NAME, JSON.stringify(EMPTY)],
    );
    const { rows } = await client.query<{ value: PollHealth }>(
      'SELECT value FROM streaming.sync_state WHERE name = $1 FOR UPDATE',
      [POLL_HEALTH_NAME],
    );
    const next = change({ ...EMPTY, ...rows[0]!.value });
    await client.query('UPDATE streaming.sync_state SET value = $2, updated_at = now() WHERE name = $1', [
      POLL_HEALTH_NAME,
      JSON.stringify(next),
    ]);
  });
}
