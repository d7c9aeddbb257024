// The statements of note-writer.ts. Each takes whole columns as array parameters and unnests
// them, so a batch of thousands of notes costs one round trip per statement. All of them are
// index-driven (no statement joins two large sets), which is what lets ingest transactions turn
// hash and merge joins off (see beginIngestTransaction).

/**
 * Run after BEGIN in every ingest transaction. Plans are cached per connection, including
 * those inside the outbox triggers, and are made when a table was small or right after an
 * ANALYZE: the planner then often picks a hash join that scans all of note_comments for every
 * batch, which makes long imports quadratic. With hash and merge joins off these plans stay
 * nested loops over indexes, whose cost does not grow with the tables.
 */
export const INGEST_SETTINGS = `SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off`;

/** Bulk mode: the outbox triggers skip their per-statement NOTIFY (see 0001_outbox_triggers). */
export const BULK_SETTING = `SET LOCAL notes_stream.bulk = 'on'`;

/**
 * users: one row per uid; a new name for a known uid is a rename. Users stored with the same
 * name are filtered out first, so concurrent batches do not wait on each other's row locks.
 */
export const UPSERT_USERS = `
INSERT INTO users (user_id, username)
SELECT i.user_id, i.username FROM unnest($1::int[], $2::text[]) AS i(user_id, username)
WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = i.user_id AND u.username = i.username)
ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username
WHERE users.username IS DISTINCT FROM EXCLUDED.username`;

/** Inserts the notes not stored yet; returns the ids it inserted. */
export const INSERT_NEW_NOTES = `
WITH inserted AS (
  INSERT INTO notes (note_id, latitude, longitude, created_at, status, closed_at, id_country)
  SELECT * FROM unnest($1::int[], $2::float8[], $3::float8[], $4::timestamptz[], $5::note_status_enum[],
                       $6::timestamptz[], $7::int[])
  ON CONFLICT (note_id) DO NOTHING
  RETURNING note_id
)
SELECT coalesce(array_agg(note_id), '{}') AS inserted FROM inserted`;

/**
 * Updates stored notes that changed. A note whose stored history has an action later than the
 * incoming one is left alone, so an older file never rolls a note back.
 */
export const UPDATE_NOTES = `
WITH changed AS (
  UPDATE notes n SET latitude = i.latitude, longitude = i.longitude, created_at = i.created_at,
                     status = i.status, closed_at = i.closed_at, id_country = i.id_country
  FROM unnest($1::int[], $2::float8[], $3::float8[], $4::timestamptz[], $5::note_status_enum[],
              $6::timestamptz[], $7::int[], $8::timestamptz[])
       AS i(note_id, latitude, longitude, created_at, status, closed_at, id_country, last_action_at)
  WHERE n.note_id = i.note_id
    AND (n.latitude, n.longitude, n.created_at, n.status, n.closed_at, n.id_country)
        IS DISTINCT FROM (i.latitude, i.longitude, i.created_at, i.status, i.closed_at, i.id_country)
    AND NOT EXISTS (SELECT 1 FROM note_comments c WHERE c.note_id = i.note_id AND c.created_at > i.last_action_at)
  RETURNING 1
)
SELECT count(*)::int AS updated FROM changed`;

/** What is stored of some notes' comments, with times in the writer's format. */
export const SELECT_STORED_COMMENTS = `
SELECT note_id, sequence_action, event::text AS event, id_user,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at
FROM note_comments WHERE note_id = ANY($1::int[])`;

/** Comments with their sequence_action already decided, and their texts, in one statement. */
export const INSERT_COMMENTS = `
WITH incoming AS MATERIALIZED (
  SELECT * FROM unnest($1::int[], $2::int[], $3::note_event_enum[], $4::timestamptz[], $5::int[], $6::text[])
         AS c(note_id, sequence_action, event, created_at, id_user, body)
),
comments AS (
  INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
  SELECT note_id, sequence_action, event, created_at, id_user FROM incoming
)
INSERT INTO note_comments_text (note_id, sequence_action, body)
SELECT note_id, sequence_action, body FROM incoming`;
