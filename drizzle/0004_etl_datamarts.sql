-- Micro-ETL, part 2: store the recomputed facts and move the datamarts by exactly what changed.
-- Each fact contributes to additive tables; the stored facts of the batch's notes are
-- subtracted and the recomputed ones added, after cancelling the rows that did not change
-- (EXCEPT ALL), so a replay writes nothing. A rebuild is the same code with every fact added to
-- empty tables, which is why incremental results equal a rebuild.

CREATE FUNCTION dwh.build_deltas(p_notes integer[]) RETURNS void LANGUAGE plpgsql AS $$
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

  INSERT INTO pg_temp.etl_tag_delta
  WITH stored AS (
    SELECT h.id_note, h.sequence_action, h.dimension_hashtag_id, f.dimension_id_country,
           f.action_dimension_id_user, extract(year FROM dwh.utc_date(f.action_at))::smallint
    FROM unnest(p_notes) AS x(note_id)
    JOIN dwh.fact_hashtags h ON h.id_note = x.note_id
    JOIN dwh.facts f ON f.id_note = h.id_note AND f.sequence_action = h.sequence_action
  ), computed AS (
    SELECT t.note_id, t.sequence_action, t.dimension_hashtag_id, f.dimension_id_country,
           f.action_dimension_id_user, extract(year FROM dwh.utc_date(f.action_at))::smallint
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
--> statement-breakpoint
CREATE FUNCTION dwh.write_facts(p_notes integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dwh.fact_hashtags h
  USING unnest(p_notes) AS x(note_id)
  WHERE h.id_note = x.note_id
    AND NOT EXISTS (SELECT 1 FROM pg_temp.etl_tags t
                    WHERE t.note_id = h.id_note AND t.sequence_action = h.sequence_action
                      AND t.position = h.position AND t.dimension_hashtag_id = h.dimension_hashtag_id);

  DELETE FROM dwh.facts f
  USING unnest(p_notes) AS x(note_id)
  WHERE f.id_note = x.note_id
    AND NOT EXISTS (SELECT 1 FROM pg_temp.etl_facts e
                    WHERE e.id_note = f.id_note AND e.sequence_action = f.sequence_action);

  INSERT INTO dwh.facts AS f (
    id_note, sequence_action, dimension_id_country, action_at, action_comment,
    action_dimension_id_date, action_dimension_id_hour_of_week, action_dimension_id_user,
    opened_dimension_id_date, opened_dimension_id_hour_of_week, opened_dimension_id_user,
    closed_dimension_id_date, closed_dimension_id_hour_of_week, closed_dimension_id_user,
    dimension_application_creation, dimension_application_version, recent_opened_dimension_id_date,
    days_to_resolution, days_to_resolution_active, days_to_resolution_from_reopen,
    comment_length, has_url, has_mention, hashtag_number,
    total_comments_on_note, total_reopenings_count, total_actions_on_note)
  SELECT * FROM pg_temp.etl_facts ORDER BY id_note, sequence_action
  ON CONFLICT (id_note, sequence_action) DO UPDATE SET
    dimension_id_country = EXCLUDED.dimension_id_country, action_at = EXCLUDED.action_at,
    action_comment = EXCLUDED.action_comment,
    action_dimension_id_date = EXCLUDED.action_dimension_id_date,
    action_dimension_id_hour_of_week = EXCLUDED.action_dimension_id_hour_of_week,
    action_dimension_id_user = EXCLUDED.action_dimension_id_user,
    opened_dimension_id_date = EXCLUDED.opened_dimension_id_date,
    opened_dimension_id_hour_of_week = EXCLUDED.opened_dimension_id_hour_of_week,
    opened_dimension_id_user = EXCLUDED.opened_dimension_id_user,
    closed_dimension_id_date = EXCLUDED.closed_dimension_id_date,
    closed_dimension_id_hour_of_week = EXCLUDED.closed_dimension_id_hour_of_week,
    closed_dimension_id_user = EXCLUDED.closed_dimension_id_user,
    dimension_application_creation = EXCLUDED.dimension_application_creation,
    dimension_application_version = EXCLUDED.dimension_application_version,
    recent_opened_dimension_id_date = EXCLUDED.recent_opened_dimension_id_date,
    days_to_resolution = EXCLUDED.days_to_resolution,
    days_to_resolution_active = EXCLUDED.days_to_resolution_active,
    days_to_resolution_from_reopen = EXCLUDED.days_to_resolution_from_reopen,
    comment_length = EXCLUDED.comment_length, has_url = EXCLUDED.has_url,
    has_mention = EXCLUDED.has_mention, hashtag_number = EXCLUDED.hashtag_number,
    total_comments_on_note = EXCLUDED.total_comments_on_note,
    total_reopenings_count = EXCLUDED.total_reopenings_count,
    total_actions_on_note = EXCLUDED.total_actions_on_note,
    processed_at = now()
  WHERE (f.dimension_id_country, f.action_at, f.action_comment, f.action_dimension_id_user,
         f.opened_dimension_id_date, f.opened_dimension_id_hour_of_week, f.opened_dimension_id_user,
         f.dimension_application_creation, f.dimension_application_version,
         f.recent_opened_dimension_id_date, f.days_to_resolution, f.days_to_resolution_active,
         f.days_to_resolution_from_reopen, f.comment_length, f.has_url, f.has_mention,
         f.hashtag_number, f.total_comments_on_note, f.total_reopenings_count, f.total_actions_on_note)
    IS DISTINCT FROM
        (EXCLUDED.dimension_id_country, EXCLUDED.action_at, EXCLUDED.action_comment,
         EXCLUDED.action_dimension_id_user, EXCLUDED.opened_dimension_id_date,
         EXCLUDED.opened_dimension_id_hour_of_week, EXCLUDED.opened_dimension_id_user,
         EXCLUDED.dimension_application_creation, EXCLUDED.dimension_application_version,
         EXCLUDED.recent_opened_dimension_id_date, EXCLUDED.days_to_resolution,
         EXCLUDED.days_to_resolution_active, EXCLUDED.days_to_resolution_from_reopen,
         EXCLUDED.comment_length, EXCLUDED.has_url, EXCLUDED.has_mention, EXCLUDED.hashtag_number,
         EXCLUDED.total_comments_on_note, EXCLUDED.total_reopenings_count,
         EXCLUDED.total_actions_on_note);

  INSERT INTO dwh.fact_hashtags (id_note, sequence_action, position, dimension_hashtag_id)
  SELECT note_id, sequence_action, position, dimension_hashtag_id FROM pg_temp.etl_tags
  ORDER BY 1, 2, 3
  ON CONFLICT (id_note, sequence_action, position) DO UPDATE
    SET dimension_hashtag_id = EXCLUDED.dimension_hashtag_id
    WHERE fact_hashtags.dimension_hashtag_id <> EXCLUDED.dimension_hashtag_id;

  DELETE FROM dwh.note_current_state s
  USING unnest(p_notes) AS x(note_id)
  WHERE s.id_note = x.note_id AND NOT EXISTS (SELECT 1 FROM pg_temp.etl_states e WHERE e.id_note = s.id_note);

  INSERT INTO dwh.note_current_state AS s
  SELECT * FROM pg_temp.etl_states ORDER BY id_note
  ON CONFLICT (id_note) DO UPDATE SET dimension_id_country = EXCLUDED.dimension_id_country,
    opened_dimension_id_user = EXCLUDED.opened_dimension_id_user, opened_day = EXCLUDED.opened_day,
    state = EXCLUDED.state
  WHERE (s.dimension_id_country, s.opened_dimension_id_user, s.opened_day, s.state)
    IS DISTINCT FROM (EXCLUDED.dimension_id_country, EXCLUDED.opened_dimension_id_user,
                      EXCLUDED.opened_day, EXCLUDED.state);
END $$;
--> statement-breakpoint
-- Continuous median of days to resolution per key, from the histogram: the mean of the values
-- at positions floor((n-1)/2) and ceil((n-1)/2) (0-based) of the sorted days.
CREATE FUNCTION dwh.median_days(p_scope dwh.datamart_scope, p_keys integer[])
RETURNS TABLE (key integer, median numeric) LANGUAGE sql STABLE AS $$
  SELECT k.key, (min(c.days) FILTER (WHERE c.upto > floor((c.total - 1) / 2.0))
               + min(c.days) FILTER (WHERE c.upto > ceil((c.total - 1) / 2.0))) / 2.0
  FROM (SELECT DISTINCT unnest(p_keys) AS key) k
  LEFT JOIN LATERAL (
    SELECT h.days, sum(h.n) OVER (ORDER BY h.days) AS upto, sum(h.n) OVER () AS total
    FROM (SELECT t.days, sum(t.closes) AS n FROM dwh.datamart_resolution_days t
          WHERE t.scope = p_scope AND t.key = k.key GROUP BY t.days) h
  ) c ON true
  GROUP BY k.key
$$;
--> statement-breakpoint
-- Adds the contributions in the delta tables to the datamarts and records in etl_touched the
-- (scope, key) pairs whose figures changed.
CREATE FUNCTION dwh.apply_deltas() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pg_temp.etl_fact_keys;
  DELETE FROM pg_temp.etl_touched;
  INSERT INTO pg_temp.etl_fact_keys
  SELECT d.sign, k.scope, k.key, extract(year FROM dwh.utc_date(d.action_at))::smallint,
         dwh.utc_date(d.action_at), d.action_comment, d.days_to_resolution, d.comment_length,
         d.has_url, d.has_mention, d.dimension_application_creation
  FROM pg_temp.etl_fact_delta d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.action_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL;

  INSERT INTO dwh.datamart_years AS t (
    scope, key, year, opened, commented, closed, closed_with_comment, reopened, hidden, with_text,
    sum_comment_length, with_url, with_mention, resolved_closes, sum_days_to_resolution)
  SELECT f.scope, f.key, f.year,
         sum(f.sign * (f.action_comment = 'opened')::int),
         sum(f.sign * (f.action_comment = 'commented')::int),
         sum(f.sign * (f.action_comment = 'closed')::int),
         sum(f.sign * (f.action_comment = 'closed' AND f.comment_length IS NOT NULL)::int),
         sum(f.sign * (f.action_comment = 'reopened')::int),
         sum(f.sign * (f.action_comment = 'hidden')::int),
         sum(f.sign * (f.comment_length IS NOT NULL)::int),
         sum(f.sign * coalesce(f.comment_length, 0)),
         sum(f.sign * f.has_url::int),
         sum(f.sign * f.has_mention::int),
         sum(f.sign * (f.days_to_resolution IS NOT NULL)::int),
         sum(f.sign * coalesce(f.days_to_resolution, 0))
  FROM pg_temp.etl_fact_keys f
  GROUP BY f.scope, f.key, f.year
  ORDER BY f.scope, f.key, f.year
  ON CONFLICT (scope, key, year) DO UPDATE SET
    opened = t.opened + EXCLUDED.opened, commented = t.commented + EXCLUDED.commented,
    closed = t.closed + EXCLUDED.closed,
    closed_with_comment = t.closed_with_comment + EXCLUDED.closed_with_comment,
    reopened = t.reopened + EXCLUDED.reopened, hidden = t.hidden + EXCLUDED.hidden,
    with_text = t.with_text + EXCLUDED.with_text,
    sum_comment_length = t.sum_comment_length + EXCLUDED.sum_comment_length,
    with_url = t.with_url + EXCLUDED.with_url, with_mention = t.with_mention + EXCLUDED.with_mention,
    resolved_closes = t.resolved_closes + EXCLUDED.resolved_closes,
    sum_days_to_resolution = t.sum_days_to_resolution + EXCLUDED.sum_days_to_resolution;

  INSERT INTO dwh.datamart_resolution_days AS t (scope, key, year, days, closes)
  SELECT f.scope, f.key, f.year, f.days_to_resolution, sum(f.sign)
  FROM pg_temp.etl_fact_keys f
  WHERE f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, year, days)
    DO UPDATE SET closes = t.closes + EXCLUDED.closes;

  INSERT INTO dwh.datamart_applications AS t (scope, key, year, dimension_application_id, notes)
  SELECT f.scope, f.key, f.year, f.dimension_application_creation, sum(f.sign)
  FROM pg_temp.etl_fact_keys f
  WHERE f.action_comment = 'opened' AND f.dimension_application_creation IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, year, dimension_application_id)
    DO UPDATE SET notes = t.notes + EXCLUDED.notes;

  INSERT INTO dwh.datamart_activity_days AS t (scope, key, day, actions)
  SELECT f.scope, f.key, f.day, sum(f.sign)
  FROM pg_temp.etl_fact_keys f
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (scope, key, day)
    DO UPDATE SET actions = t.actions + EXCLUDED.actions;

  INSERT INTO dwh.datamart_hashtags AS t (scope, key, year, dimension_hashtag_id, uses)
  SELECT k.scope, k.key, d.year, d.dimension_hashtag_id, sum(d.sign)
  FROM pg_temp.etl_tag_delta d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.action_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, year, dimension_hashtag_id)
    DO UPDATE SET uses = t.uses + EXCLUDED.uses;

  INSERT INTO dwh.datamart_note_states AS t (scope, key, state, opened_day, notes)
  SELECT k.scope, k.key, d.state, d.opened_day, sum(d.sign)
  FROM pg_temp.etl_state_delta d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.opened_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, state, opened_day)
    DO UPDATE SET notes = t.notes + EXCLUDED.notes;

  INSERT INTO pg_temp.etl_touched
    SELECT DISTINCT f.scope, f.key FROM pg_temp.etl_fact_keys f
    UNION
    SELECT k.scope, k.key FROM pg_temp.etl_tag_delta d
    CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                               ('user', d.action_dimension_id_user)) k(scope, key)
    WHERE k.key IS NOT NULL
    UNION
    SELECT k.scope, k.key FROM pg_temp.etl_state_delta d
    CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                               ('user', d.opened_dimension_id_user)) k(scope, key)
    WHERE k.key IS NOT NULL;

  -- The main rows: counters move by the batch's delta; first/last dates can only widen here
  -- (narrowing, after a removal, is recomputed below).
  INSERT INTO pg_temp.etl_key_delta
  SELECT x.scope, x.key, sum(x.opened), sum(x.commented), sum(x.closed), sum(x.closed_with_comment),
         sum(x.reopened), sum(x.hidden), sum(x.still_open), sum(x.resolved), sum(x.with_text),
         sum(x.sum_length), sum(x.with_url), sum(x.with_mention), sum(x.resolved_closes),
         sum(x.sum_days), min(x.day), max(x.day)
  FROM (
    SELECT f.scope, f.key,
           f.sign * (f.action_comment = 'opened')::int AS opened,
           f.sign * (f.action_comment = 'commented')::int AS commented,
           f.sign * (f.action_comment = 'closed')::int AS closed,
           f.sign * (f.action_comment = 'closed' AND f.comment_length IS NOT NULL)::int AS closed_with_comment,
           f.sign * (f.action_comment = 'reopened')::int AS reopened,
           f.sign * (f.action_comment = 'hidden')::int AS hidden,
           0 AS still_open, 0 AS resolved,
           f.sign * (f.comment_length IS NOT NULL)::int AS with_text,
           f.sign * coalesce(f.comment_length, 0) AS sum_length,
           f.sign * f.has_url::int AS with_url, f.sign * f.has_mention::int AS with_mention,
           f.sign * (f.days_to_resolution IS NOT NULL)::int AS resolved_closes,
           f.sign * coalesce(f.days_to_resolution, 0) AS sum_days,
           CASE WHEN f.sign > 0 THEN f.day END AS day
    FROM pg_temp.etl_fact_keys f
    UNION ALL
    SELECT k.scope, k.key, 0, 0, 0, 0, 0, 0,
           d.sign * (d.state = 'open')::int, d.sign * (d.state = 'resolved')::int,
           0, 0, 0, 0, 0, 0, NULL
    FROM pg_temp.etl_state_delta d
    CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                               ('user', d.opened_dimension_id_user)) k(scope, key)
    WHERE k.key IS NOT NULL
  ) x
  GROUP BY x.scope, x.key;

  INSERT INTO dwh.datamart_countries AS t (dimension_country_id,
    history_whole_open, history_whole_commented, history_whole_closed,
    history_whole_closed_with_comment, history_whole_reopened, history_whole_hidden,
    notes_still_open, notes_resolved, with_text, sum_comment_length, with_url, with_mention,
    resolved_closes, sum_days_to_resolution, first_action_date, last_action_date)
  SELECT d.key,
         d.history_whole_open, d.history_whole_commented, d.history_whole_closed,
         d.history_whole_closed_with_comment, d.history_whole_reopened, d.history_whole_hidden,
         d.notes_still_open, d.notes_resolved, d.with_text, d.sum_comment_length, d.with_url,
         d.with_mention, d.resolved_closes, d.sum_days_to_resolution, d.first_day, d.last_day
  FROM pg_temp.etl_key_delta d WHERE d.scope = 'country' ORDER BY d.key
  ON CONFLICT (dimension_country_id) DO UPDATE SET
    history_whole_open = t.history_whole_open + EXCLUDED.history_whole_open,
    history_whole_commented = t.history_whole_commented + EXCLUDED.history_whole_commented,
    history_whole_closed = t.history_whole_closed + EXCLUDED.history_whole_closed,
    history_whole_closed_with_comment = t.history_whole_closed_with_comment + EXCLUDED.history_whole_closed_with_comment,
    history_whole_reopened = t.history_whole_reopened + EXCLUDED.history_whole_reopened,
    history_whole_hidden = t.history_whole_hidden + EXCLUDED.history_whole_hidden,
    notes_still_open = t.notes_still_open + EXCLUDED.notes_still_open,
    notes_resolved = t.notes_resolved + EXCLUDED.notes_resolved,
    with_text = t.with_text + EXCLUDED.with_text,
    sum_comment_length = t.sum_comment_length + EXCLUDED.sum_comment_length,
    with_url = t.with_url + EXCLUDED.with_url,
    with_mention = t.with_mention + EXCLUDED.with_mention,
    resolved_closes = t.resolved_closes + EXCLUDED.resolved_closes,
    sum_days_to_resolution = t.sum_days_to_resolution + EXCLUDED.sum_days_to_resolution,
    first_action_date = least(t.first_action_date, EXCLUDED.first_action_date),
    last_action_date = greatest(t.last_action_date, EXCLUDED.last_action_date),
    updated_at = now();
  INSERT INTO dwh.datamart_users AS t (dimension_user_id,
    history_whole_open, history_whole_commented, history_whole_closed,
    history_whole_closed_with_comment, history_whole_reopened, history_whole_hidden,
    notes_still_open, notes_resolved, with_text, sum_comment_length, with_url, with_mention,
    resolved_closes, sum_days_to_resolution, first_action_date, last_action_date)
  SELECT d.key,
         d.history_whole_open, d.history_whole_commented, d.history_whole_closed,
         d.history_whole_closed_with_comment, d.history_whole_reopened, d.history_whole_hidden,
         d.notes_still_open, d.notes_resolved, d.with_text, d.sum_comment_length, d.with_url,
         d.with_mention, d.resolved_closes, d.sum_days_to_resolution, d.first_day, d.last_day
  FROM pg_temp.etl_key_delta d WHERE d.scope = 'user' ORDER BY d.key
  ON CONFLICT (dimension_user_id) DO UPDATE SET
    history_whole_open = t.history_whole_open + EXCLUDED.history_whole_open,
    history_whole_commented = t.history_whole_commented + EXCLUDED.history_whole_commented,
    history_whole_closed = t.history_whole_closed + EXCLUDED.history_whole_closed,
    history_whole_closed_with_comment = t.history_whole_closed_with_comment + EXCLUDED.history_whole_closed_with_comment,
    history_whole_reopened = t.history_whole_reopened + EXCLUDED.history_whole_reopened,
    history_whole_hidden = t.history_whole_hidden + EXCLUDED.history_whole_hidden,
    notes_still_open = t.notes_still_open + EXCLUDED.notes_still_open,
    notes_resolved = t.notes_resolved + EXCLUDED.notes_resolved,
    with_text = t.with_text + EXCLUDED.with_text,
    sum_comment_length = t.sum_comment_length + EXCLUDED.sum_comment_length,
    with_url = t.with_url + EXCLUDED.with_url,
    with_mention = t.with_mention + EXCLUDED.with_mention,
    resolved_closes = t.resolved_closes + EXCLUDED.resolved_closes,
    sum_days_to_resolution = t.sum_days_to_resolution + EXCLUDED.sum_days_to_resolution,
    first_action_date = least(t.first_action_date, EXCLUDED.first_action_date),
    last_action_date = greatest(t.last_action_date, EXCLUDED.last_action_date),
    updated_at = now();
  INSERT INTO dwh.datamart_global AS t (global_id,
    history_whole_open, history_whole_commented, history_whole_closed,
    history_whole_closed_with_comment, history_whole_reopened, history_whole_hidden,
    notes_still_open, notes_resolved, with_text, sum_comment_length, with_url, with_mention,
    resolved_closes, sum_days_to_resolution, first_action_date, last_action_date)
  SELECT d.key,
         d.history_whole_open, d.history_whole_commented, d.history_whole_closed,
         d.history_whole_closed_with_comment, d.history_whole_reopened, d.history_whole_hidden,
         d.notes_still_open, d.notes_resolved, d.with_text, d.sum_comment_length, d.with_url,
         d.with_mention, d.resolved_closes, d.sum_days_to_resolution, d.first_day, d.last_day
  FROM pg_temp.etl_key_delta d WHERE d.scope = 'global' ORDER BY d.key
  ON CONFLICT (global_id) DO UPDATE SET
    history_whole_open = t.history_whole_open + EXCLUDED.history_whole_open,
    history_whole_commented = t.history_whole_commented + EXCLUDED.history_whole_commented,
    history_whole_closed = t.history_whole_closed + EXCLUDED.history_whole_closed,
    history_whole_closed_with_comment = t.history_whole_closed_with_comment + EXCLUDED.history_whole_closed_with_comment,
    history_whole_reopened = t.history_whole_reopened + EXCLUDED.history_whole_reopened,
    history_whole_hidden = t.history_whole_hidden + EXCLUDED.history_whole_hidden,
    notes_still_open = t.notes_still_open + EXCLUDED.notes_still_open,
    notes_resolved = t.notes_resolved + EXCLUDED.notes_resolved,
    with_text = t.with_text + EXCLUDED.with_text,
    sum_comment_length = t.sum_comment_length + EXCLUDED.sum_comment_length,
    with_url = t.with_url + EXCLUDED.with_url,
    with_mention = t.with_mention + EXCLUDED.with_mention,
    resolved_closes = t.resolved_closes + EXCLUDED.resolved_closes,
    sum_days_to_resolution = t.sum_days_to_resolution + EXCLUDED.sum_days_to_resolution,
    first_action_date = least(t.first_action_date, EXCLUDED.first_action_date),
    last_action_date = greatest(t.last_action_date, EXCLUDED.last_action_date),
    updated_at = now();

  -- What counters cannot carry: medians (keys with closes), applications used (keys with
  -- openings) and, after a removal, first/last dates and rows left empty (rows of the additive
  -- tables brought back to zero go first: a rebuild would not have them).
  INSERT INTO pg_temp.etl_fix
  SELECT f.scope, f.key, bool_or(f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL),
         bool_or(f.action_comment = 'opened' AND f.dimension_application_creation IS NOT NULL),
         bool_or(f.sign < 0)
  FROM pg_temp.etl_fact_keys f GROUP BY f.scope, f.key
  UNION ALL
  SELECT k.scope, k.key, false, false, true
  FROM pg_temp.etl_state_delta d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.opened_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL AND d.sign < 0;

  IF EXISTS (SELECT 1 FROM pg_temp.etl_fix WHERE span) OR EXISTS (SELECT 1 FROM pg_temp.etl_tag_delta WHERE sign < 0) THEN
    PERFORM dwh.remove_zero_rows();
  END IF;

  UPDATE dwh.datamart_countries t SET median_days_to_resolution = m.median
  FROM dwh.median_days('country', ARRAY(SELECT key FROM pg_temp.etl_fix WHERE scope = 'country' AND median)) m
  WHERE t.dimension_country_id = m.key AND t.median_days_to_resolution IS DISTINCT FROM m.median;
  UPDATE dwh.datamart_countries t SET applications_used = (
      SELECT count(*) FROM (SELECT 1 FROM dwh.datamart_applications a
                            WHERE a.scope = 'country' AND a.key = t.dimension_country_id
                            GROUP BY a.dimension_application_id HAVING sum(a.notes) > 0) used)
  FROM pg_temp.etl_fix f WHERE f.scope = 'country' AND f.apps AND t.dimension_country_id = f.key;
  UPDATE dwh.datamart_countries t SET (first_action_date, last_action_date) = (
      SELECT min(a.day), max(a.day) FROM dwh.datamart_activity_days a WHERE a.actions > 0 AND a.scope = 'country' AND a.key = t.dimension_country_id)
  FROM pg_temp.etl_fix f WHERE f.scope = 'country' AND f.span AND t.dimension_country_id = f.key;
  DELETE FROM dwh.datamart_countries t USING pg_temp.etl_fix f
  WHERE f.scope = 'country' AND f.span AND t.dimension_country_id = f.key
    AND t.history_whole_open = 0 AND t.history_whole_commented = 0 AND t.history_whole_closed = 0 AND t.history_whole_closed_with_comment = 0 AND t.history_whole_reopened = 0 AND t.history_whole_hidden = 0 AND t.notes_still_open = 0 AND t.notes_resolved = 0 AND t.with_text = 0 AND t.sum_comment_length = 0 AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  UPDATE dwh.datamart_users t SET median_days_to_resolution = m.median
  FROM dwh.median_days('user', ARRAY(SELECT key FROM pg_temp.etl_fix WHERE scope = 'user' AND median)) m
  WHERE t.dimension_user_id = m.key AND t.median_days_to_resolution IS DISTINCT FROM m.median;
  UPDATE dwh.datamart_users t SET applications_used = (
      SELECT count(*) FROM (SELECT 1 FROM dwh.datamart_applications a
                            WHERE a.scope = 'user' AND a.key = t.dimension_user_id
                            GROUP BY a.dimension_application_id HAVING sum(a.notes) > 0) used)
  FROM pg_temp.etl_fix f WHERE f.scope = 'user' AND f.apps AND t.dimension_user_id = f.key;
  UPDATE dwh.datamart_users t SET (first_action_date, last_action_date) = (
      SELECT min(a.day), max(a.day) FROM dwh.datamart_activity_days a WHERE a.actions > 0 AND a.scope = 'user' AND a.key = t.dimension_user_id)
  FROM pg_temp.etl_fix f WHERE f.scope = 'user' AND f.span AND t.dimension_user_id = f.key;
  DELETE FROM dwh.datamart_users t USING pg_temp.etl_fix f
  WHERE f.scope = 'user' AND f.span AND t.dimension_user_id = f.key
    AND t.history_whole_open = 0 AND t.history_whole_commented = 0 AND t.history_whole_closed = 0 AND t.history_whole_closed_with_comment = 0 AND t.history_whole_reopened = 0 AND t.history_whole_hidden = 0 AND t.notes_still_open = 0 AND t.notes_resolved = 0 AND t.with_text = 0 AND t.sum_comment_length = 0 AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  UPDATE dwh.datamart_global t SET median_days_to_resolution = m.median
  FROM dwh.median_days('global', ARRAY(SELECT key FROM pg_temp.etl_fix WHERE scope = 'global' AND median)) m
  WHERE t.global_id = m.key AND t.median_days_to_resolution IS DISTINCT FROM m.median;
  UPDATE dwh.datamart_global t SET applications_used = (
      SELECT count(*) FROM (SELECT 1 FROM dwh.datamart_applications a
                            WHERE a.scope = 'global' AND a.key = t.global_id
                            GROUP BY a.dimension_application_id HAVING sum(a.notes) > 0) used)
  FROM pg_temp.etl_fix f WHERE f.scope = 'global' AND f.apps AND t.global_id = f.key;
  UPDATE dwh.datamart_global t SET (first_action_date, last_action_date) = (
      SELECT min(a.day), max(a.day) FROM dwh.datamart_activity_days a WHERE a.actions > 0 AND a.scope = 'global' AND a.key = t.global_id)
  FROM pg_temp.etl_fix f WHERE f.scope = 'global' AND f.span AND t.global_id = f.key;
  DELETE FROM dwh.datamart_global t USING pg_temp.etl_fix f
  WHERE f.scope = 'global' AND f.span AND t.global_id = f.key
    AND t.history_whole_open = 0 AND t.history_whole_commented = 0 AND t.history_whole_closed = 0 AND t.history_whole_closed_with_comment = 0 AND t.history_whole_reopened = 0 AND t.history_whole_hidden = 0 AND t.notes_still_open = 0 AND t.notes_resolved = 0 AND t.with_text = 0 AND t.sum_comment_length = 0 AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;

END $$;
--> statement-breakpoint
CREATE FUNCTION dwh.remove_zero_rows() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dwh.datamart_years t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key
    AND t.opened = 0 AND t.commented = 0 AND t.closed = 0 AND t.closed_with_comment = 0
    AND t.reopened = 0 AND t.hidden = 0 AND t.with_text = 0 AND t.sum_comment_length = 0
    AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  DELETE FROM dwh.datamart_resolution_days t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.closes = 0;
  DELETE FROM dwh.datamart_applications t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.notes = 0;
  DELETE FROM dwh.datamart_activity_days t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.actions = 0;
  DELETE FROM dwh.datamart_hashtags t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.uses = 0;
  DELETE FROM dwh.datamart_note_states t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.notes = 0;
END $$;
--> statement-breakpoint
-- The micro-ETL of a set of notes, in the caller's transaction. The caller holds the notes'
-- advisory locks (streaming.claim_events does), so no other batch works on them meanwhile.
CREATE FUNCTION dwh.process_notes(p_notes integer[], OUT countries integer[], OUT users integer[])
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dwh.compute_facts(p_notes);
  PERFORM dwh.build_deltas(p_notes);
  PERFORM dwh.write_facts(p_notes);
  PERFORM dwh.apply_deltas();
  SELECT coalesce(array_agg(t.key ORDER BY t.key) FILTER (WHERE t.scope = 'country'), '{}'),
         coalesce(array_agg(t.key ORDER BY t.key) FILTER (WHERE t.scope = 'user'), '{}')
  INTO countries, users
  FROM pg_temp.etl_touched t;
  PERFORM dwh.clear_etl_tables();
END $$;
--> statement-breakpoint
-- Emptied after each use rather than at commit, in case more notes are processed in the same
-- transaction (DELETE, not TRUNCATE: these hold few rows and TRUNCATE rewrites catalog entries).
CREATE FUNCTION dwh.clear_etl_tables() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pg_temp.etl_source; DELETE FROM pg_temp.etl_apps; DELETE FROM pg_temp.etl_tags;
  DELETE FROM pg_temp.etl_facts; DELETE FROM pg_temp.etl_fact_delta; DELETE FROM pg_temp.etl_tag_delta;
  DELETE FROM pg_temp.etl_states; DELETE FROM pg_temp.etl_state_delta; DELETE FROM pg_temp.etl_fact_keys;
  DELETE FROM pg_temp.etl_touched; DELETE FROM pg_temp.etl_key_delta; DELETE FROM pg_temp.etl_fix;
END $$;
--> statement-breakpoint
-- Recomputes every datamart from the facts, locking out batches while it runs.
CREATE FUNCTION dwh.rebuild_datamarts() RETURNS void LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  LOCK TABLE dwh.datamart_years, dwh.datamart_resolution_days, dwh.datamart_applications,
             dwh.datamart_activity_days, dwh.datamart_hashtags, dwh.datamart_note_states,
             dwh.datamart_countries, dwh.datamart_users, dwh.datamart_global,
             dwh.note_current_state IN EXCLUSIVE MODE;
  TRUNCATE dwh.datamart_years, dwh.datamart_resolution_days, dwh.datamart_applications,
           dwh.datamart_activity_days, dwh.datamart_hashtags, dwh.datamart_note_states,
           dwh.datamart_countries, dwh.datamart_users, dwh.datamart_global, dwh.note_current_state;
  PERFORM dwh.ensure_etl_tables();
  INSERT INTO dwh.note_current_state
  SELECT l.id_note, l.dimension_id_country, l.opened_dimension_id_user,
         dwh.key_date(l.opened_dimension_id_date),
         CASE l.action_comment WHEN 'closed' THEN 'resolved' ELSE 'open' END::dwh.note_state
  FROM (SELECT DISTINCT ON (f.id_note) f.* FROM dwh.facts f
        WHERE f.action_comment IN ('opened', 'closed', 'reopened', 'hidden')
        ORDER BY f.id_note, f.sequence_action DESC) l
  WHERE l.action_comment <> 'hidden';
  INSERT INTO pg_temp.etl_fact_delta
  SELECT 1, id_note, sequence_action, dimension_id_country, action_at, action_comment,
         action_dimension_id_user, opened_dimension_id_user, dimension_application_creation,
         days_to_resolution, comment_length, has_url, has_mention
  FROM dwh.facts;
  INSERT INTO pg_temp.etl_tag_delta
  SELECT 1, h.id_note, h.sequence_action, h.dimension_hashtag_id, f.dimension_id_country,
         f.action_dimension_id_user, extract(year FROM dwh.utc_date(f.action_at))::smallint
  FROM dwh.fact_hashtags h
  JOIN dwh.facts f ON f.id_note = h.id_note AND f.sequence_action = h.sequence_action;
  INSERT INTO pg_temp.etl_state_delta SELECT 1, s.* FROM dwh.note_current_state s;
  PERFORM dwh.apply_deltas();
  PERFORM dwh.clear_etl_tables();
END $$;
