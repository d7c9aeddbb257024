-- Batches skip the statements that have nothing to do.
--
-- A live batch of 11 events runs ~87 statements, and most of its ~5-8 ms is their executor
-- start-up rather than their rows (perf: ExecutorStart 22 %, of which building the datamart
-- tables' generated columns for each INSERT/UPDATE 4 %). The last twelve statements of
-- apply_deltas fix medians, application counts, first/last dates and emptied rows per scope;
-- a batch without closes or removals needs only the application counts, yet all twelve ran.
-- They now run only for the scopes whose etl_fix rows ask for them. Hashtag statements are
-- likewise skipped when no text of the batch has a hashtag (most notes have none), including
-- the insert into fact_hashtags, whose statement triggers fire even for no rows.
--
-- Measured with pgbench on two copies of one backlog (batches of 11 events, 600-800 a round,
-- seven rounds alternated): 6.67 ms a batch on average against 7.18 ms, lower in five rounds
-- of seven (the machine's noise between rounds is about as large as the gain).
CREATE OR REPLACE FUNCTION dwh.apply_deltas()
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_fix record;
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

  -- Which of the statements below have work, per scope: each costs its executor start-up (the
  -- datamart tables' generated columns are rebuilt for every UPDATE) even with no row to touch,
  -- and a live batch of openings and comments needs none but the applications count.
  SELECT coalesce(bool_or(x.median) FILTER (WHERE x.scope = 'country'), false) AS country_median,
         coalesce(bool_or(x.apps) FILTER (WHERE x.scope = 'country'), false) AS country_apps,
         coalesce(bool_or(x.span) FILTER (WHERE x.scope = 'country'), false) AS country_span,
         coalesce(bool_or(x.median) FILTER (WHERE x.scope = 'user'), false) AS user_median,
         coalesce(bool_or(x.apps) FILTER (WHERE x.scope = 'user'), false) AS user_apps,
         coalesce(bool_or(x.span) FILTER (WHERE x.scope = 'user'), false) AS user_span,
         coalesce(bool_or(x.median) FILTER (WHERE x.scope = 'global'), false) AS global_median,
         coalesce(bool_or(x.apps) FILTER (WHERE x.scope = 'global'), false) AS global_apps,
         coalesce(bool_or(x.span) FILTER (WHERE x.scope = 'global'), false) AS global_span
  INTO v_fix FROM pg_temp.etl_fix x;
  IF v_fix.country_span OR v_fix.user_span OR v_fix.global_span OR EXISTS (SELECT 1 FROM pg_temp.etl_tag_delta WHERE sign < 0) THEN
    PERFORM dwh.remove_zero_rows();
  END IF;
  IF v_fix.country_median THEN
    UPDATE dwh.datamart_countries t SET median_days_to_resolution = m.median
    FROM dwh.median_days('country', ARRAY(SELECT key FROM pg_temp.etl_fix WHERE scope = 'country' AND median)) m
    WHERE t.dimension_country_id = m.key AND t.median_days_to_resolution IS DISTINCT FROM m.median;
  END IF;
  IF v_fix.country_apps THEN
    UPDATE dwh.datamart_countries t SET applications_used = (
        SELECT count(*) FROM (SELECT 1 FROM dwh.datamart_applications a
                              WHERE a.scope = 'country' AND a.key = t.dimension_country_id
                              GROUP BY a.dimension_application_id HAVING sum(a.notes) > 0) used)
    FROM pg_temp.etl_fix f WHERE f.scope = 'country' AND f.apps AND t.dimension_country_id = f.key;
  END IF;
  IF v_fix.country_span THEN
    UPDATE dwh.datamart_countries t SET (first_action_date, last_action_date) = (
        SELECT min(a.day), max(a.day) FROM dwh.datamart_activity_days a WHERE a.actions > 0 AND a.scope = 'country' AND a.key = t.dimension_country_id)
    FROM pg_temp.etl_fix f WHERE f.scope = 'country' AND f.span AND t.dimension_country_id = f.key;
  END IF;
  IF v_fix.country_span THEN
    DELETE FROM dwh.datamart_countries t USING pg_temp.etl_fix f
    WHERE f.scope = 'country' AND f.span AND t.dimension_country_id = f.key
      AND t.history_whole_open = 0 AND t.history_whole_commented = 0 AND t.history_whole_closed = 0 AND t.history_whole_closed_with_comment = 0 AND t.history_whole_reopened = 0 AND t.history_whole_hidden = 0 AND t.notes_still_open = 0 AND t.notes_resolved = 0 AND t.with_text = 0 AND t.sum_comment_length = 0 AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  END IF;
  IF v_fix.user_median THEN
    UPDATE dwh.datamart_users t SET median_days_to_resolution = m.median
    FROM dwh.median_days('user', ARRAY(SELECT key FROM pg_temp.etl_fix WHERE scope = 'user' AND median)) m
    WHERE t.dimension_user_id = m.key AND t.median_days_to_resolution IS DISTINCT FROM m.median;
  END IF;
  IF v_fix.user_apps THEN
    UPDATE dwh.datamart_users t SET applications_used = (
        SELECT count(*) FROM (SELECT 1 FROM dwh.datamart_applications a
                              WHERE a.scope = 'user' AND a.key = t.dimension_user_id
                              GROUP BY a.dimension_application_id HAVING sum(a.notes) > 0) used)
    FROM pg_temp.etl_fix f WHERE f.scope = 'user' AND f.apps AND t.dimension_user_id = f.key;
  END IF;
  IF v_fix.user_span THEN
    UPDATE dwh.datamart_users t SET (first_action_date, last_action_date) = (
        SELECT min(a.day), max(a.day) FROM dwh.datamart_activity_days a WHERE a.actions > 0 AND a.scope = 'user' AND a.key = t.dimension_user_id)
    FROM pg_temp.etl_fix f WHERE f.scope = 'user' AND f.span AND t.dimension_user_id = f.key;
  END IF;
  IF v_fix.user_span THEN
    DELETE FROM dwh.datamart_users t USING pg_temp.etl_fix f
    WHERE f.scope = 'user' AND f.span AND t.dimension_user_id = f.key
      AND t.history_whole_open = 0 AND t.history_whole_commented = 0 AND t.history_whole_closed = 0 AND t.history_whole_closed_with_comment = 0 AND t.history_whole_reopened = 0 AND t.history_whole_hidden = 0 AND t.notes_still_open = 0 AND t.notes_resolved = 0 AND t.with_text = 0 AND t.sum_comment_length = 0 AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  END IF;
  IF v_fix.global_median THEN
    UPDATE dwh.datamart_global t SET median_days_to_resolution = m.median
    FROM dwh.median_days('global', ARRAY(SELECT key FROM pg_temp.etl_fix WHERE scope = 'global' AND median)) m
    WHERE t.global_id = m.key AND t.median_days_to_resolution IS DISTINCT FROM m.median;
  END IF;
  IF v_fix.global_apps THEN
    UPDATE dwh.datamart_global t SET applications_used = (
        SELECT count(*) FROM (SELECT 1 FROM dwh.datamart_applications a
                              WHERE a.scope = 'global' AND a.key = t.global_id
                              GROUP BY a.dimension_application_id HAVING sum(a.notes) > 0) used)
    FROM pg_temp.etl_fix f WHERE f.scope = 'global' AND f.apps AND t.global_id = f.key;
  END IF;
  IF v_fix.global_span THEN
    UPDATE dwh.datamart_global t SET (first_action_date, last_action_date) = (
        SELECT min(a.day), max(a.day) FROM dwh.datamart_activity_days a WHERE a.actions > 0 AND a.scope = 'global' AND a.key = t.global_id)
    FROM pg_temp.etl_fix f WHERE f.scope = 'global' AND f.span AND t.global_id = f.key;
  END IF;
  IF v_fix.global_span THEN
    DELETE FROM dwh.datamart_global t USING pg_temp.etl_fix f
    WHERE f.scope = 'global' AND f.span AND t.global_id = f.key
      AND t.history_whole_open = 0 AND t.history_whole_commented = 0 AND t.history_whole_closed = 0 AND t.history_whole_closed_with_comment = 0 AND t.history_whole_reopened = 0 AND t.history_whole_hidden = 0 AND t.notes_still_open = 0 AND t.notes_resolved = 0 AND t.with_text = 0 AND t.sum_comment_length = 0 AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  END IF;
END $function$;
--> statement-breakpoint
SELECT streaming.patch_function('dwh.compute_facts(integer[])',
$old$  v_unknown integer := (SELECT country_id FROM public.countries WHERE iso_a2 = 'ZZ');
$old$,
$new$  v_unknown integer := (SELECT country_id FROM public.countries WHERE iso_a2 = 'ZZ');
  v_tags bigint;
$new$);
--> statement-breakpoint
SELECT streaming.patch_function('dwh.compute_facts(integer[])',
$old$  WHERE s.body LIKE '%#%';

  INSERT INTO dwh.dimension_hashtags (description, description_lower)
  SELECT DISTINCT ON (lower(t.tag)) t.tag, lower(t.tag)
  FROM pg_temp.etl_tags t
  WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_hashtags h WHERE h.description_lower = lower(t.tag))
  ORDER BY lower(t.tag), t.note_id, t.sequence_action, t.position
  ON CONFLICT (description_lower) DO NOTHING;

  UPDATE pg_temp.etl_tags t SET dimension_hashtag_id = h.dimension_hashtag_id
  FROM dwh.dimension_hashtags h WHERE h.description_lower = lower(t.tag);
$old$,
$new$  WHERE s.body LIKE '%#%';
  GET DIAGNOSTICS v_tags = ROW_COUNT;

  IF v_tags > 0 THEN
    INSERT INTO dwh.dimension_hashtags (description, description_lower)
    SELECT DISTINCT ON (lower(t.tag)) t.tag, lower(t.tag)
    FROM pg_temp.etl_tags t
    WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_hashtags h WHERE h.description_lower = lower(t.tag))
    ORDER BY lower(t.tag), t.note_id, t.sequence_action, t.position
    ON CONFLICT (description_lower) DO NOTHING;

    UPDATE pg_temp.etl_tags t SET dimension_hashtag_id = h.dimension_hashtag_id
    FROM dwh.dimension_hashtags h WHERE h.description_lower = lower(t.tag);
  END IF;
$new$);
--> statement-breakpoint
SELECT streaming.patch_function('dwh.write_facts(integer[])',
$old$  INSERT INTO dwh.fact_hashtags (id_note, sequence_action, position, dimension_hashtag_id)
  SELECT note_id, sequence_action, position, dimension_hashtag_id FROM pg_temp.etl_tags
  ORDER BY 1, 2, 3
  ON CONFLICT (id_note, sequence_action, position) DO UPDATE
    SET dimension_hashtag_id = EXCLUDED.dimension_hashtag_id
    WHERE fact_hashtags.dimension_hashtag_id <> EXCLUDED.dimension_hashtag_id;
$old$,
$new$  IF EXISTS (SELECT 1 FROM pg_temp.etl_tags) THEN
    INSERT INTO dwh.fact_hashtags (id_note, sequence_action, position, dimension_hashtag_id)
    SELECT note_id, sequence_action, position, dimension_hashtag_id FROM pg_temp.etl_tags
    ORDER BY 1, 2, 3
    ON CONFLICT (id_note, sequence_action, position) DO UPDATE
      SET dimension_hashtag_id = EXCLUDED.dimension_hashtag_id
      WHERE fact_hashtags.dimension_hashtag_id <> EXCLUDED.dimension_hashtag_id;
  END IF;
$new$);
