// The poller's high-water mark in streaming.sync_state: the OSM "updated" time up to which every
// note is stored. It is written in the same transaction as the notes it covers, so a crash can
// never move it past data that is not there.
import type pg from 'pg';

export const POLL_STATE_NAME = 'osm_api_poll';

export interface PollState {
  /** Ask the API for notes updated at or after this time ('YYYY-MM-DDTHH:MM:SSZ'). */
  since: string;
  lastSuccessAt: string;
  /** Totals over the poller's life, for operators. */
  notes: number;
  comments: number;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function readPollState(db: Queryable, name = POLL_STATE_NAME): Promise<PollState | undefined> {
  const { rows } = await db.query<{ value: PollState }>('SELECT value FROM streaming.sync_state WHERE name = $1', [name]);
  return rows[0]?.value;
}

export async function writePollState(db: Queryable, state: PollState, name = POLL_STATE_NAME): Promise<void> {
  await db.query(
    `INSERT INTO streaming.sync_state (name, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [name, JSON.stringify(state)],
  );
}

/** Where a poller without a mark starts: the newest comment stored, else a day ago. */
export async function defaultSince(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ since: string }>(
    `SELECT to_char(coalesce(max(created_at), now() - interval '1 day') AT TIME ZONE 'UTC',
                    'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
     FROM note_comments`,
  );
  return rows[0]!.since;
}
