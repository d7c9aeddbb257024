-- Micro-ETL, part 2: store the recomputed facts and move the datamarts by exactly what changed.
-- Each fact contributes to additive tables keyed by (scope, key, …); the stored facts of the
-- batch's notes are subtracted and the recomputed ones added, after cancelling the rows that
-- did not change (EXCEPT ALL), so a replay writes nothing. A rebuild is the same code with
-- every fact added to empty tables, which is why incremental results equal a rebuild.

CREATE FUNCTION dwh.build_deltas(p_notes integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pg_temp.etl_fact_delta
  WITH stored AS (
    SELECT id_note, sequence_action, dimension_id_country, action_at, action_comment,
           action_dimension_id_user, opened_dimension_id_user, dimension_application_creation,
           days_to_resolution, comment_length, has_url, has_mention
    FROM dwh.facts WHERE id_note = ANY (p_notes)
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
    FROM dwh.fact_hashtags h
    JOIN dwh.facts f ON f.id_note = h.id_note AND f.sequence_action = h.sequence_action
    WHERE h.id_note = ANY (p_notes)
  ), computed AS (
    SELECT t.note_id, t.sequence_action, t.dimension_hashtag_id, f.dimension_id_country,
           f.action_dimension_id_user, extract(year FROM dwh.utc_date(f.action_at))::smallint
    FROM pg_temp.etl_tags t
    JOIN pg_temp.etl_facts f ON f.id_note = t.note_id AND f.sequence_action = t.sequence_action
  )
  SELECT -1, * FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM computed) gone
  UNION ALL
  SELECT 1, * FROM (SELECT * FROM computed EXCEPT ALL SELECT * FROM stored) came;

  INSERT INTO pg_temp.etl_state_delta
  WITH stored AS (
    SELECT * FROM dwh.note_current_states WHERE id_note = ANY (p_notes)
  ), computed AS (
    -- The same rule as the view dwh.note_current_states, over the recomputed facts.
    SELECT l.id_note, l.dimension_id_country, l.opened_dimension_id_user,
           dwh.key_date(l.opened_dimension_id_date),
           CASE l.action_comment WHEN 'closed' THEN 'resolved' ELSE 'open' END::dwh.note_state
    FROM (SELECT DISTINCT ON (f.id_note) f.* FROM pg_temp.etl_facts f
          WHERE f.action_comment IN ('opened', 'closed', 'reopened', 'hidden')
          ORDER BY f.id_note, f.sequence_action DESC) l
    WHERE l.action_comment <> 'hidden'
  )
  SELECT -1, * FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM computed) gone
  UNION ALL
  SELECT 1, * FROM (SELECT * FROM computed EXCEPT ALL SELECT * FROM stored) came;
END $$;
--> statement-breakpoint
-- A note is open when its latest opened/closed/reopened/hidden action is an opening or a
-- reopening, resolved when it is a close; a hidden note is neither.
CREATE VIEW dwh.note_current_states AS
  SELECT l.id_note, l.dimension_id_country, l.opened_dimension_id_user,
         dwh.key_date(l.opened_dimension_id_date) AS opened_day,
         CASE l.action_comment WHEN 'closed' THEN 'resolved' ELSE 'open' END::dwh.note_state AS state
  FROM (SELECT DISTINCT ON (f.id_note) f.* FROM dwh.facts f
        WHERE f.action_comment IN ('opened', 'closed', 'reopened', 'hidden')
        ORDER BY f.id_note, f.sequence_action DESC) l
  WHERE l.action_comment <> 'hidden';
--> statement-breakpoint
CREATE FUNCTION dwh.write_facts(p_notes integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dwh.fact_hashtags h
  WHERE h.id_note = ANY (p_notes)
    AND NOT EXISTS (SELECT 1 FROM pg_temp.etl_tags t
                    WHERE t.note_id = h.id_note AND t.sequence_action = h.sequence_action
                      AND t.position = h.position AND t.dimension_hashtag_id = h.dimension_hashtag_id);

  DELETE FROM dwh.facts f
  WHERE f.id_note = ANY (p_notes)
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
END $$;
--> statement-breakpoint
-- Adds the contributions in the delta tables to the additive datamart tables and records in
-- etl_touched the (scope, key) pairs whose figures changed.
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

  -- Rows brought back to zero would not exist after a rebuild: remove them.
  IF EXISTS (SELECT 1 FROM pg_temp.etl_fact_delta WHERE sign < 0)
     OR EXISTS (SELECT 1 FROM pg_temp.etl_tag_delta WHERE sign < 0)
     OR EXISTS (SELECT 1 FROM pg_temp.etl_state_delta WHERE sign < 0) THEN
    PERFORM dwh.remove_zero_rows();
  END IF;
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
-- The figures of one datamart row per key, derived from the additive tables. Column order is
-- the order of dwh.datamart_columns().
CREATE FUNCTION dwh.datamart_figures(p_scope dwh.datamart_scope, p_keys integer[])
RETURNS TABLE (
  key integer, has_data boolean,
  history_whole_open integer, history_whole_commented integer, history_whole_closed integer,
  history_whole_closed_with_comment integer, history_whole_reopened integer,
  history_whole_hidden integer, notes_still_open integer, notes_resolved integer,
  resolution_rate numeric, avg_days_to_resolution numeric, median_days_to_resolution numeric,
  avg_comment_length numeric, comments_with_url_pct numeric, comments_with_mention_pct numeric,
  applications_used integer, first_action_date date, last_action_date date)
LANGUAGE sql STABLE AS $$
  SELECT k.key, (y.years > 0 OR s.open + s.resolved > 0),
         y.opened, y.commented, y.closed, y.closed_with_comment, y.reopened, y.hidden,
         s.open, s.resolved,
         round(100.0 * s.resolved / nullif(s.resolved + s.open, 0), 2),
         round(y.sum_days::numeric / nullif(y.resolved_closes, 0), 2),
         m.median,
         round(y.sum_length::numeric / nullif(y.with_text, 0), 2),
         round(100.0 * y.with_url / nullif(y.with_text, 0), 2),
         round(100.0 * y.with_mention / nullif(y.with_text, 0), 2),
         ap.used, a.first_day, a.last_day
  FROM unnest(p_keys) k(key)
  CROSS JOIN LATERAL (
    SELECT count(*) AS years,
           coalesce(sum(t.opened), 0)::integer AS opened, coalesce(sum(t.commented), 0)::integer AS commented,
           coalesce(sum(t.closed), 0)::integer AS closed,
           coalesce(sum(t.closed_with_comment), 0)::integer AS closed_with_comment,
           coalesce(sum(t.reopened), 0)::integer AS reopened, coalesce(sum(t.hidden), 0)::integer AS hidden,
           coalesce(sum(t.with_text), 0) AS with_text, coalesce(sum(t.sum_comment_length), 0) AS sum_length,
           coalesce(sum(t.with_url), 0) AS with_url, coalesce(sum(t.with_mention), 0) AS with_mention,
           coalesce(sum(t.resolved_closes), 0) AS resolved_closes,
           coalesce(sum(t.sum_days_to_resolution), 0) AS sum_days
    FROM dwh.datamart_years t WHERE t.scope = p_scope AND t.key = k.key
  ) y
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(t.notes) FILTER (WHERE t.state = 'open'), 0)::integer AS open,
           coalesce(sum(t.notes) FILTER (WHERE t.state = 'resolved'), 0)::integer AS resolved
    FROM dwh.datamart_note_states t WHERE t.scope = p_scope AND t.key = k.key
  ) s
  CROSS JOIN LATERAL (
    -- Continuous median from the histogram: the mean of the values at positions
    -- floor((n-1)/2) and ceil((n-1)/2) (0-based) of the sorted days.
    SELECT (min(h.days) FILTER (WHERE h.upto > floor((h.total - 1) / 2.0))
          + min(h.days) FILTER (WHERE h.upto > ceil((h.total - 1) / 2.0))) / 2.0 AS median
    FROM (
      SELECT d.days, sum(d.n) OVER (ORDER BY d.days) AS upto, sum(d.n) OVER () AS total
      FROM (SELECT t.days, sum(t.closes) AS n FROM dwh.datamart_resolution_days t
            WHERE t.scope = p_scope AND t.key = k.key GROUP BY t.days) d
    ) h
  ) m
  CROSS JOIN LATERAL (
    SELECT count(*)::integer AS used FROM (
      SELECT t.dimension_application_id FROM dwh.datamart_applications t
      WHERE t.scope = p_scope AND t.key = k.key
      GROUP BY t.dimension_application_id HAVING sum(t.notes) > 0) u
  ) ap
  CROSS JOIN LATERAL (
    SELECT min(t.day) AS first_day, max(t.day) AS last_day
    FROM dwh.datamart_activity_days t WHERE t.scope = p_scope AND t.key = k.key
  ) a
$$;
--> statement-breakpoint
CREATE FUNCTION dwh.datamart_columns() RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT 'history_whole_open, history_whole_commented, history_whole_closed, '
      || 'history_whole_closed_with_comment, history_whole_reopened, history_whole_hidden, '
      || 'notes_still_open, notes_resolved, resolution_rate, avg_days_to_resolution, '
      || 'median_days_to_resolution, avg_comment_length, comments_with_url_pct, '
      || 'comments_with_mention_pct, applications_used, first_action_date, last_action_date'
$$;
--> statement-breakpoint
-- Rewrites the datamart rows of the given keys from the additive tables (one statement per
-- table; rows whose key has no data left are removed).
CREATE FUNCTION dwh.refresh_datamarts(p_countries integer[], p_users integer[], p_global boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  target record;
  cols text := dwh.datamart_columns();
BEGIN
  FOR target IN
    SELECT * FROM (VALUES ('country'::dwh.datamart_scope, 'dwh.datamart_countries', 'dimension_country_id', p_countries),
                          ('user', 'dwh.datamart_users', 'dimension_user_id', p_users),
                          ('global', 'dwh.datamart_global', 'global_id',
                           CASE WHEN p_global THEN ARRAY[0] ELSE ARRAY[]::integer[] END)) t(scope, tbl, col, keys)
    WHERE cardinality(t.keys) > 0
  LOOP
    EXECUTE format(
      'INSERT INTO %1$s AS t (%2$I, %3$s, updated_at)
       SELECT f.key, %4$s, now() FROM dwh.datamart_figures($1, $2) f WHERE f.has_data ORDER BY f.key
       ON CONFLICT (%2$I) DO UPDATE SET (%3$s, updated_at) = ROW(%5$s, now())',
      target.tbl, target.col, cols,
      (SELECT string_agg('f.' || c, ', ') FROM unnest(string_to_array(cols, ', ')) c),
      (SELECT string_agg('EXCLUDED.' || c, ', ') FROM unnest(string_to_array(cols, ', ')) c))
    USING target.scope, target.keys;
    EXECUTE format(
      'DELETE FROM %1$s t WHERE t.%2$I = ANY ($2)
         AND NOT (SELECT f.has_data FROM dwh.datamart_figures($1, ARRAY[t.%2$I::integer]) f)',
      target.tbl, target.col)
    USING target.scope, target.keys;
  END LOOP;
END $$;
--> statement-breakpoint
-- The micro-ETL of a set of notes, in the caller's transaction. The caller holds the notes'
-- advisory locks (streaming.claim_events does), so no other batch works on them meanwhile.
CREATE FUNCTION dwh.process_notes(p_notes integer[], OUT countries integer[], OUT users integer[])
LANGUAGE plpgsql AS $$
DECLARE
  touched_global boolean;
BEGIN
  PERFORM dwh.compute_facts(p_notes);
  PERFORM dwh.build_deltas(p_notes);
  PERFORM dwh.write_facts(p_notes);
  PERFORM dwh.apply_deltas();
  SELECT coalesce(array_agg(t.key ORDER BY t.key) FILTER (WHERE t.scope = 'country'), '{}'),
         coalesce(array_agg(t.key ORDER BY t.key) FILTER (WHERE t.scope = 'user'), '{}'),
         bool_or(t.scope = 'global')
  INTO countries, users, touched_global
  FROM pg_temp.etl_touched t;
  PERFORM dwh.refresh_datamarts(countries, users, coalesce(touched_global, false));
  -- Emptied now rather than at commit, in case more notes are processed in this transaction
  -- (DELETE, not TRUNCATE: these hold few rows and TRUNCATE rewrites catalog entries).
  DELETE FROM pg_temp.etl_source; DELETE FROM pg_temp.etl_apps; DELETE FROM pg_temp.etl_tags;
  DELETE FROM pg_temp.etl_facts; DELETE FROM pg_temp.etl_fact_delta; DELETE FROM pg_temp.etl_tag_delta;
  DELETE FROM pg_temp.etl_state_delta; DELETE FROM pg_temp.etl_fact_keys; DELETE FROM pg_temp.etl_touched;
END $$;
--> statement-breakpoint
-- Recomputes every datamart from the facts, locking out batches while it runs.
CREATE FUNCTION dwh.rebuild_datamarts() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  all_countries integer[];
  all_users integer[];
BEGIN
  LOCK TABLE dwh.datamart_years, dwh.datamart_resolution_days, dwh.datamart_applications,
             dwh.datamart_activity_days, dwh.datamart_hashtags, dwh.datamart_note_states,
             dwh.datamart_countries, dwh.datamart_users, dwh.datamart_global IN EXCLUSIVE MODE;
  TRUNCATE dwh.datamart_years, dwh.datamart_resolution_days, dwh.datamart_applications,
           dwh.datamart_activity_days, dwh.datamart_hashtags, dwh.datamart_note_states,
           dwh.datamart_countries, dwh.datamart_users, dwh.datamart_global;
  PERFORM dwh.ensure_etl_tables();
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
  INSERT INTO pg_temp.etl_state_delta
  SELECT 1, s.* FROM dwh.note_current_states s;
  PERFORM dwh.apply_deltas();
  SELECT array_agg(DISTINCT key) FILTER (WHERE scope = 'country'), array_agg(DISTINCT key) FILTER (WHERE scope = 'user')
  INTO all_countries, all_users
  FROM (SELECT scope, key FROM dwh.datamart_years UNION SELECT scope, key FROM dwh.datamart_note_states) k;
  PERFORM dwh.refresh_datamarts(coalesce(all_countries, '{}'), coalesce(all_users, '{}'), true);
  TRUNCATE pg_temp.etl_fact_delta, pg_temp.etl_tag_delta, pg_temp.etl_state_delta,
           pg_temp.etl_fact_keys, pg_temp.etl_touched;
END $$;
