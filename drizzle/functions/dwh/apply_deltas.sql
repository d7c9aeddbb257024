-- Micro-ETL, step 4: moves the datamarts by exactly what changed. Each fact contributes to
-- additive tables (per year, day, days to resolution, application, hashtag, note state) and to
-- the whole-history totals per key; the deltas of build_deltas (stored facts subtracted,
-- recomputed ones added, unchanged ones cancelled) are added to them, for three scopes: global
-- (key 0), the fact's country and its user. A rebuild (dwh.rebuild_datamarts) is the same code
-- with every fact added to empty tables. Records in etl_touched the (scope, key) pairs whose
-- figures changed.
CREATE OR REPLACE FUNCTION dwh.apply_deltas()
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  v_fix record;
BEGIN
  DELETE FROM pg_temp.etl_fact_groups;
  DELETE FROM pg_temp.etl_touched;
  -- The fact deltas are grouped once by everything the datamarts key on (sign, country, user,
  -- year, day, action, days to resolution, application), with counts and sums for the rest, and
  -- the groups spread over the scopes: a batch's global and country rows collapse to a few
  -- groups, its user rows to one per user and kind of action, and the statements below weigh
  -- each group by its count. Only the sign stays a key, so that a batch that removes and adds
  -- the same kind of fact still shows a removal. Against three work rows per changed fact:
  -- 2,000-event batches 181.5 against 194.5 ms (five alternated rounds, lower in each).
  INSERT INTO pg_temp.etl_fact_groups
  SELECT d.sign, k.scope, k.key, d.year, d.day, d.action_comment, d.days_to_resolution,
         d.dimension_application_creation, sum(d.actions), sum(d.with_text), sum(d.sum_comment_length),
         sum(d.with_url), sum(d.with_mention)
  FROM (
    SELECT e.sign, e.dimension_id_country, e.action_dimension_id_user,
           extract(year FROM dwh.utc_date(e.action_at))::smallint AS year, dwh.utc_date(e.action_at) AS day,
           e.action_comment, e.days_to_resolution, e.dimension_application_creation,
           count(*)::int AS actions, count(e.comment_length)::int AS with_text,
           sum(coalesce(e.comment_length, 0)) AS sum_comment_length,
           count(*) FILTER (WHERE e.has_url)::int AS with_url,
           count(*) FILTER (WHERE e.has_mention)::int AS with_mention
    FROM pg_temp.etl_fact_delta e
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ) d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.action_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

  INSERT INTO dwh.datamart_years AS t (
    scope, key, year, opened, commented, closed, closed_with_comment, reopened, hidden, with_text,
    sum_comment_length, with_url, with_mention, resolved_closes, sum_days_to_resolution)
  SELECT f.scope, f.key, f.year,
         sum(f.sign * f.actions * (f.action_comment = 'opened')::int),
         sum(f.sign * f.actions * (f.action_comment = 'commented')::int),
         sum(f.sign * f.actions * (f.action_comment = 'closed')::int),
         sum(f.sign * f.with_text * (f.action_comment = 'closed')::int),
         sum(f.sign * f.actions * (f.action_comment = 'reopened')::int),
         sum(f.sign * f.actions * (f.action_comment = 'hidden')::int),
         sum(f.sign * f.with_text),
         sum(f.sign * f.sum_comment_length),
         sum(f.sign * f.with_url),
         sum(f.sign * f.with_mention),
         sum(f.sign * f.actions * (f.days_to_resolution IS NOT NULL)::int),
         sum(f.sign * f.actions * coalesce(f.days_to_resolution, 0))
  FROM pg_temp.etl_fact_groups f
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

  -- The histogram per year of the close (medians) and, in the same statement, per month
  -- (resolutionByMonth): one executor start-up for both.
  WITH months AS (
    INSERT INTO dwh.datamart_resolution_months AS t (scope, key, year, month, days, closes)
    SELECT f.scope, f.key, f.year, extract(month FROM f.day)::smallint, f.days_to_resolution, sum(f.sign * f.actions)
    FROM pg_temp.etl_fact_groups f
    WHERE f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (scope, key, year, month, days)
      DO UPDATE SET closes = t.closes + EXCLUDED.closes
  )
  INSERT INTO dwh.datamart_resolution_days AS t (scope, key, year, days, closes)
  SELECT f.scope, f.key, f.year, f.days_to_resolution, sum(f.sign * f.actions)
  FROM pg_temp.etl_fact_groups f
  WHERE f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, year, days)
    DO UPDATE SET closes = t.closes + EXCLUDED.closes;

  INSERT INTO dwh.datamart_applications AS t (scope, key, year, dimension_application_id, notes)
  SELECT f.scope, f.key, f.year, f.dimension_application_creation, sum(f.sign * f.actions)
  FROM pg_temp.etl_fact_groups f
  WHERE f.action_comment = 'opened' AND f.dimension_application_creation IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, year, dimension_application_id)
    DO UPDATE SET notes = t.notes + EXCLUDED.notes;

  INSERT INTO dwh.datamart_activity_days AS t (scope, key, day, actions)
  SELECT f.scope, f.key, f.day, sum(f.sign * f.actions)
  FROM pg_temp.etl_fact_groups f
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (scope, key, day)
    DO UPDATE SET actions = t.actions + EXCLUDED.actions;

  INSERT INTO dwh.datamart_hashtags AS t (scope, key, year, action, dimension_hashtag_id, uses)
  SELECT k.scope, k.key, d.year, d.action_comment, d.dimension_hashtag_id, sum(d.sign)
  FROM pg_temp.etl_hashtag_delta d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.action_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (scope, key, year, action, dimension_hashtag_id)
    DO UPDATE SET uses = t.uses + EXCLUDED.uses;

  -- Actions of each kind per day, from the groups above (no pass over the deltas of its own).
  -- Groups that cancel out are left out: they would only write a row unchanged, or a zero row
  -- that remove_zero_rows (run whenever a batch removes something) deletes anyway.
  INSERT INTO dwh.datamart_action_days AS t (scope, key, action, day, actions, with_text)
  SELECT f.scope, f.key, f.action_comment, f.day, sum(f.sign * f.actions), sum(f.sign * f.with_text)
  FROM pg_temp.etl_fact_groups f
  GROUP BY 1, 2, 3, 4
  HAVING sum(f.sign * f.actions) <> 0 OR sum(f.sign * f.with_text) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, action, day)
    DO UPDATE SET actions = t.actions + EXCLUDED.actions, with_text = t.with_text + EXCLUDED.with_text;

  -- Hours of the week and user × country × month: grouped from the deltas once each, before
  -- spreading over the scopes (the hour is not a key of etl_fact_groups, whose other statements
  -- would then see more groups).
  INSERT INTO dwh.datamart_action_hours AS t (scope, key, action, hour_of_week, actions)
  SELECT k.scope, k.key, d.action_comment, d.hour_of_week, sum(d.actions)
  FROM (SELECT e.dimension_id_country, e.action_dimension_id_user, e.action_comment,
               dwh.hour_of_week_key(e.action_at) AS hour_of_week, sum(e.sign)::int AS actions
        FROM pg_temp.etl_fact_delta e GROUP BY 1, 2, 3, 4) d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.action_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.actions) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (scope, key, action, hour_of_week)
    DO UPDATE SET actions = t.actions + EXCLUDED.actions;

  INSERT INTO dwh.datamart_user_countries AS t (dimension_user_id, dimension_country_id, month, action, actions)
  SELECT e.action_dimension_id_user, e.dimension_id_country, date_trunc('month', dwh.utc_date(e.action_at))::date,
         e.action_comment, sum(e.sign)
  FROM pg_temp.etl_fact_delta e
  WHERE e.action_dimension_id_user IS NOT NULL
  GROUP BY 1, 2, 3, 4
  HAVING sum(e.sign) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (dimension_user_id, dimension_country_id, month, action)
    DO UPDATE SET actions = t.actions + EXCLUDED.actions;

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
    SELECT DISTINCT f.scope, f.key FROM pg_temp.etl_fact_groups f
    UNION
    SELECT k.scope, k.key FROM pg_temp.etl_hashtag_delta d
    CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                               ('user', d.action_dimension_id_user)) k(scope, key)
    WHERE k.key IS NOT NULL
    UNION
    SELECT k.scope, k.key FROM pg_temp.etl_state_delta d
    CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                               ('user', d.opened_dimension_id_user)) k(scope, key)
    WHERE k.key IS NOT NULL;

  -- The whole-history totals per key: counters move by the batch's delta; first/last dates can
  -- only widen here (narrowing, after a removal, is recomputed below).
  INSERT INTO pg_temp.etl_key_delta
  SELECT x.scope, x.key, sum(x.opened), sum(x.commented), sum(x.closed), sum(x.closed_with_comment),
         sum(x.reopened), sum(x.hidden), sum(x.still_open), sum(x.resolved), sum(x.with_text),
         sum(x.sum_length), sum(x.with_url), sum(x.with_mention), sum(x.resolved_closes),
         sum(x.sum_days), min(x.day), max(x.day)
  FROM (
    SELECT f.scope, f.key,
           f.sign * f.actions * (f.action_comment = 'opened')::int AS opened,
           f.sign * f.actions * (f.action_comment = 'commented')::int AS commented,
           f.sign * f.actions * (f.action_comment = 'closed')::int AS closed,
           f.sign * f.with_text * (f.action_comment = 'closed')::int AS closed_with_comment,
           f.sign * f.actions * (f.action_comment = 'reopened')::int AS reopened,
           f.sign * f.actions * (f.action_comment = 'hidden')::int AS hidden,
           0 AS still_open, 0 AS resolved,
           f.sign * f.with_text AS with_text,
           f.sign * f.sum_comment_length AS sum_length,
           f.sign * f.with_url AS with_url, f.sign * f.with_mention AS with_mention,
           f.sign * f.actions * (f.days_to_resolution IS NOT NULL)::int AS resolved_closes,
           f.sign * f.actions * coalesce(f.days_to_resolution, 0) AS sum_days,
           CASE WHEN f.sign > 0 THEN f.day END AS day
    FROM pg_temp.etl_fact_groups f
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

  -- Added to datamart_countries, datamart_users and datamart_global (upsert_datamart_totals.sql).
  PERFORM dwh.upsert_datamart_totals();

  -- What counters cannot carry: medians (keys with closes), applications used (keys with
  -- openings) and, after a removal, first/last dates and rows left empty (rows of the additive
  -- tables brought back to zero go first: a rebuild would not have them).
  INSERT INTO pg_temp.etl_fix
  SELECT f.scope, f.key, bool_or(f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL),
         bool_or(f.action_comment = 'opened' AND f.dimension_application_creation IS NOT NULL),
         bool_or(f.sign < 0)
  FROM pg_temp.etl_fact_groups f GROUP BY f.scope, f.key
  UNION ALL
  SELECT k.scope, k.key, false, false, true
  FROM pg_temp.etl_state_delta d
  CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', d.dimension_id_country),
                             ('user', d.opened_dimension_id_user)) k(scope, key)
  WHERE k.key IS NOT NULL AND d.sign < 0;

  -- Which of the statements below have work, per scope: each costs its executor start-up (the
  -- datamart tables' generated columns are rebuilt for every UPDATE) even with no row to touch,
  -- and a live batch of openings and comments needs none but the applications count. (A live
  -- batch of 11 events ran ~87 statements, a fifth of its ~5-8 ms in executor start-up; with
  -- the idle ones skipped: 6.67 ms against 7.18 ms on average, pgbench, seven alternated
  -- rounds of 600-800 batches, lower in five.)
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
  IF v_fix.country_span OR v_fix.user_span OR v_fix.global_span
     OR EXISTS (SELECT 1 FROM pg_temp.etl_hashtag_delta WHERE sign < 0) THEN
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
    DELETE FROM dwh.datamart_global t USING pg_temp.etl_fix f
    WHERE f.scope = 'global' AND f.span AND t.global_id = f.key
      AND t.history_whole_open = 0 AND t.history_whole_commented = 0 AND t.history_whole_closed = 0 AND t.history_whole_closed_with_comment = 0 AND t.history_whole_reopened = 0 AND t.history_whole_hidden = 0 AND t.notes_still_open = 0 AND t.notes_resolved = 0 AND t.with_text = 0 AND t.sum_comment_length = 0 AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  END IF;
END $$;
