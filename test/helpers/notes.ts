// Notes as plain objects: the shape of hand-written fixtures and of parsed dumps, and the input
// of the reference warehouse model (test/helpers/warehouse-model.ts).
import type pg from 'pg';
import { countryCodeAt } from '../../src/ingest/country-lookup.ts';

export type Action = 'opened' | 'commented' | 'closed' | 'reopened' | 'hidden';

export interface FixtureComment {
  action: Action;
  at: string;
  uid?: number;
  user?: string;
  text?: string;
}

export interface FixtureNote {
  id: number;
  lat: number;
  lon: number;
  comments: FixtureComment[];
}

/** Writes notes, users, comments and texts in one transaction, as an ingester would. */
export async function insertNotes(pool: pg.Pool, notes: FixtureNote[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const users = new Map<number, string>();
    for (const note of notes) for (const c of note.comments) if (c.uid !== undefined) users.set(c.uid, c.user ?? '');
    await client.query(
      `INSERT INTO users (user_id, username) SELECT * FROM unnest($1::int[], $2::text[])
       ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username`,
      [[...users.keys()], [...users.values()]],
    );
    await client.query(
      `INSERT INTO notes (note_id, latitude, longitude, created_at, status, closed_at, id_country)
       SELECT n.id, n.lat, n.lon, n.created, n.status::note_status_enum, n.closed, c.country_id
       FROM unnest($1::int[], $2::float8[], $3::float8[], $4::timestamptz[], $5::text[], $6::timestamptz[], $7::text[])
         AS n(id, lat, lon, created, status, closed, iso)
       JOIN countries c ON c.iso_a2 = n.iso
       ON CONFLICT (note_id) DO UPDATE SET status = EXCLUDED.status, closed_at = EXCLUDED.closed_at`,
      [
        notes.map((n) => n.id),
        notes.map((n) => n.lat),
        notes.map((n) => n.lon),
        notes.map((n) => n.comments[0]!.at),
        notes.map((n) => noteStatus(n)),
        notes.map((n) => (noteStatus(n) === 'close' ? n.comments.findLast((c) => c.action === 'closed')!.at : null)),
        notes.map((n) => countryCodeAt(n.lon, n.lat)),
      ],
    );
    const rows = notes.flatMap((n) => n.comments.map((c, i) => ({ note: n.id, seq: i + 1, ...c })));
    await client.query(
      `INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
       SELECT * FROM unnest($1::int[], $2::int[], $3::note_event_enum[], $4::timestamptz[], $5::int[])
       ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.note), rows.map((r) => r.seq), rows.map((r) => r.action), rows.map((r) => r.at), rows.map((r) => r.uid ?? null)],
    );
    const texts = rows.filter((r) => r.text !== undefined);
    await client.query(
      `INSERT INTO note_comments_text (note_id, sequence_action, body)
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[]) ON CONFLICT DO NOTHING`,
      [texts.map((r) => r.note), texts.map((r) => r.seq), texts.map((r) => r.text)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** The status the base table keeps: the last open/close/hide action decides. */
export function noteStatus(note: FixtureNote): 'open' | 'close' | 'hidden' {
  const last = note.comments.findLast((c) => c.action !== 'commented');
  if (last?.action === 'closed') return 'close';
  if (last?.action === 'hidden') return 'hidden';
  return 'open';
}

/**
 * The notes' actions in stream order. The processor runs two batches at once, so actions of
 * different notes reach the stream in the order their batches commit, not the order inserted.
 */
export async function streamOrder(pool: pg.Pool, notes: FixtureNote[]): Promise<[number, number][]> {
  const { rows } = await pool.query<{ note_id: number; sequence_action: number }>(
    `SELECT note_id, sequence_action FROM streaming.events WHERE kind = 'comment' AND note_id = ANY($1) ORDER BY position`,
    [notes.map((n) => n.id)],
  );
  return rows.map((r) => [r.note_id, r.sequence_action]);
}
