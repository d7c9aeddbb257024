// Synthetic notes for the read-API benchmark, written with a few set-based statements: 20,000
// notes (most in 15 busy countries), 1 to 5 actions each (60,000 in all), 3,000 users, a fifth
// of the actions anonymous, opening texts naming applications and hashtags. Deterministic:
// note i always gets the same actions; only random() (seeded) picks countries and users.
import type pg from 'pg';

export const BENCH_NOTES = 20_000;
export const BENCH_USERS = 3_000;

const BUSY = ['FR', 'DE', 'US', 'JP', 'GB', 'IT', 'ES', 'BR', 'IN', 'PL', 'NL', 'RU', 'CA', 'AU', 'ZZ'];

export async function writeBenchNotes(client: pg.Client): Promise<{ notes: number; comments: number }> {
  await client.query('BEGIN');
  await client.query('SELECT setseed(0.4242)');
  await client.query(
    `INSERT INTO users (user_id, username) SELECT g, 'mapper_' || g FROM generate_series(1, $1::int) g`,
    [BENCH_USERS],
  );
  // Created 80 to 2,280 days ago; later actions come 1 to 15 days apart, so none is in the future.
  await client.query(
    `WITH busy AS (SELECT array_agg(country_id) AS ids FROM countries WHERE iso_a2 = ANY ($2::text[])),
          every AS (SELECT array_agg(country_id) AS ids FROM countries)
     INSERT INTO notes (note_id, latitude, longitude, created_at, status, id_country)
     SELECT g, random() * 160 - 80, random() * 360 - 180,
            date_trunc('second', now() - (80 + random() * 2200) * interval '1 day'), 'open',
            CASE WHEN random() < 0.85 THEN busy.ids[1 + floor(random() * cardinality(busy.ids))::int]
                 ELSE every.ids[1 + floor(random() * cardinality(every.ids))::int] END
     FROM generate_series(1, $1::int) g, busy, every`,
    [BENCH_NOTES, BUSY],
  );
  // Actions of note n: 1 + n*7 % 5 of them, in the pattern opened, commented, closed,
  // reopened, closed (so about 3 per note).
  await client.query(`
    CREATE TEMP TABLE bench_actions ON COMMIT DROP AS
    SELECT n.note_id, i AS seq,
           (ARRAY['opened', 'commented', 'closed', 'reopened', 'closed'])[i]::note_event_enum AS event,
           n.created_at + (i - 1) * (1 + n.note_id % 15) * interval '1 day' + i * interval '7 minutes' AS at,
           CASE WHEN random() < 0.2 THEN NULL ELSE 1 + floor(random() * ${BENCH_USERS})::int END AS user_id
    FROM notes n CROSS JOIN LATERAL generate_series(1, 1 + n.note_id * 7 % 5) i`);
  await client.query(`
    INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
    SELECT note_id, seq, event, at, user_id FROM bench_actions ORDER BY note_id, seq`);
  await client.query(`
    INSERT INTO note_comments_text (note_id, sequence_action, body)
    SELECT note_id, seq,
           CASE event
             WHEN 'opened' THEN 'Note ' || note_id || (ARRAY[' via StreetComplete 58.' || note_id % 4, ' #mapsme',
               ' #OsmAnd #survey', ' #organicmaps android', ' with iD #fixme', ' shop closed', ' #EveryDoor entrance'])[1 + note_id % 7]
             WHEN 'commented' THEN (ARRAY['still there', 'see https://osm.org/node/' || note_id, '@mapper_' || note_id % 50 || ' can you check?',
               '#survey done'])[1 + note_id % 4]
             WHEN 'closed' THEN (ARRAY['fixed', '', 'Resolved #fixme'])[1 + note_id % 3]
             ELSE ''
           END
    FROM bench_actions WHERE event <> 'reopened'`);
  await client.query(`
    UPDATE notes n SET status = CASE WHEN l.event = 'closed' THEN 'close' ELSE 'open' END::note_status_enum,
                       closed_at = CASE WHEN l.event = 'closed' THEN l.at END
    FROM (SELECT DISTINCT ON (note_id) note_id, event, at FROM bench_actions ORDER BY note_id, seq DESC) l
    WHERE l.note_id = n.note_id`);
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_actions');
  await client.query('COMMIT');
  return { notes: BENCH_NOTES, comments: rows[0]!.n };
}
