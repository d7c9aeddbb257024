-- Micro-ETL, step 2: what the recomputed facts change. The stored facts, hashtags and note
-- states of the batch's notes are compared with the recomputed ones (EXCEPT ALL): a row only on
-- the stored side is a delta with sign -1, a row only on the computed side one with sign +1, and
-- rows that did not change cancel out, so a replay produces no delta and writes nothing.
CREATE OR REPLACE FUNCTION dwh.build_deltas(p_notes integer[])
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO pg_temp.etl_fact_delta
  WITH stored AS (
    SELECT id_note, sequence_action, dimension_id_country, action_at, action_comment,
           action_dimension_id_user, opened_dimension_id_user, dimension_application_creation,
           days_to_resolution, comment_length, has_url, has_mention
    FROM unnest(p_notes) AS x(note_id) JOIN dwh.facts f ON f.id_note = x.note_id
  ), computed AS (
    SELECT id_note, sequence_action, dimension_id_country, action_at, action_comment,
           action_dimension_id_user, opened_dimension_id_user, dimension_application_creation,
           days_to_resolution, comment_length, has_url, has_mention
    FROM pg_temp.etl_facts
  )
  SELECT -1, * FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM computed) gone
  UNION ALL
  SELECT 1, * FROM (SELECT * FROM computed EXCEPT ALL SELECT * FROM stored) came;

  INSERT INTO pg_temp.etl_hashtag_delta
  WITH stored AS (
    SELECT h.id_note, h.sequence_action, h.dimension_hashtag_id, f.dimension_id_country,
           f.action_dimension_id_user, extract(year FROM dwh.utc_date(f.action_at))::smallint, f.action_comment
    FROM unnest(p_notes) AS x(note_id)
    JOIN dwh.fact_hashtags h ON h.id_note = x.note_id
    JOIN dwh.facts f ON f.id_note = h.id_note AND f.sequence_action = h.sequence_action
  ), computed AS (
    SELECT t.note_id, t.sequence_action, t.dimension_hashtag_id, f.dimension_id_country,
           f.action_dimension_id_user, extract(year FROM dwh.utc_date(f.action_at))::smallint, f.action_comment
    FROM pg_temp.etl_tags t
    JOIN pg_temp.etl_facts f ON f.id_note = t.note_id AND f.sequence_action = t.sequence_action
  )
  SELECT -1, * FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM computed) gone
  UNION ALL
  SELECT 1, * FROM (SELECT * FROM computed EXCEPT ALL SELECT * FROM stored) came;

  -- A note is open when its latest opened/closed/reopened/hidden action is an opening or a
  -- reopening, resolved when it is a close; a hidden note is neither (it has no state row).
  INSERT INTO pg_temp.etl_states
  SELECT l.id_note, l.dimension_id_country, l.opened_dimension_id_user,
         dwh.key_date(l.opened_dimension_id_date),
         CASE l.action_comment WHEN 'closed' THEN 'resolved' ELSE 'open' END::dwh.note_state
  FROM (SELECT DISTINCT ON (f.id_note) f.* FROM pg_temp.etl_facts f
        WHERE f.action_comment IN ('opened', 'closed', 'reopened', 'hidden')
        ORDER BY f.id_note, f.sequence_action DESC) l
  WHERE l.action_comment <> 'hidden';

  INSERT INTO pg_temp.etl_state_delta
  WITH stored AS (
    SELECT s.* FROM unnest(p_notes) AS x(note_id) JOIN dwh.note_current_state s ON s.id_note = x.note_id
  )
  SELECT -1, * FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM pg_temp.etl_states) gone
  UNION ALL
  SELECT 1, * FROM (SELECT * FROM pg_temp.etl_states EXCEPT ALL SELECT * FROM stored) came;
END $$;
