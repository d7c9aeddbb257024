-- Micro-ETL, step 1: recomputes every fact of the given notes from the base tables into the
-- work tables (set-based: one statement per step for the whole batch), adding the dimension
-- rows they need. Recomputing whole notes makes replays idempotent and keeps per-note measures
-- right whatever order events arrive in. Definitions: docs/warehouse.md.
CREATE OR REPLACE FUNCTION dwh.compute_facts(p_notes integer[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  v_unknown integer := (SELECT country_id FROM public.countries WHERE iso_a2 = 'ZZ');
  v_tags bigint;
BEGIN
  PERFORM dwh.ensure_etl_tables();

  -- The notes' actions with the running values each fact needs (per-note windows).
  INSERT INTO pg_temp.etl_source
  WITH base AS (
    SELECT c.note_id, c.sequence_action, c.event, c.created_at, c.id_user,
           nullif(t.body, '') AS body, coalesce(n.id_country, v_unknown) AS country_id,
           n.created_at AS note_created_at
    FROM unnest(p_notes) AS x(note_id)
    JOIN public.note_comments c ON c.note_id = x.note_id
    JOIN public.notes n ON n.note_id = c.note_id
    LEFT JOIN public.note_comments_text t
      ON t.note_id = c.note_id AND t.sequence_action = c.sequence_action
  ),
  opening AS (
    SELECT DISTINCT ON (note_id) note_id, created_at, id_user
    FROM base WHERE event = 'opened' ORDER BY note_id, sequence_action
  )
  SELECT b.note_id, b.sequence_action, b.event, b.created_at, b.id_user, b.body, b.country_id,
         coalesce(o.created_at, b.note_created_at), o.id_user,
         max(b.created_at) FILTER (WHERE b.event IN ('opened', 'reopened')) OVER w,
         max(b.created_at) FILTER (WHERE b.event = 'reopened') OVER w,
         coalesce(count(*) FILTER (WHERE b.event = 'closed')
           OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
         count(*) FILTER (WHERE b.event = 'commented') OVER w,
         count(*) FILTER (WHERE b.event = 'reopened') OVER w,
         count(*) OVER w
  FROM base b
  LEFT JOIN opening o ON o.note_id = b.note_id
  WINDOW w AS (PARTITION BY b.note_id ORDER BY b.sequence_action);

  -- Dimensions, inserted in key order so that concurrent batches lock rows in the same order.
  -- (Lookups are driven from the batch's few ids: joins from unnest() or the small temporary
  -- tables plan as index lookups, where `= ANY (array)` would make generic plans scan tables.)
  INSERT INTO dwh.dimension_users (user_id, username)
  SELECT u.user_id, u.username
  FROM (SELECT DISTINCT s.id_user FROM pg_temp.etl_source s WHERE s.id_user IS NOT NULL) b
  JOIN public.users u ON u.user_id = b.id_user
  WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_users d WHERE d.user_id = u.user_id)
  ORDER BY u.user_id
  ON CONFLICT (user_id) DO NOTHING;

  UPDATE dwh.dimension_users d
  SET username = u.username, previous_usernames = d.previous_usernames || d.username, modified_at = now()
  FROM (SELECT DISTINCT s.id_user FROM pg_temp.etl_source s WHERE s.id_user IS NOT NULL) b
  JOIN public.users u ON u.user_id = b.id_user
  WHERE d.user_id = b.id_user AND d.username <> u.username;

  INSERT INTO dwh.dimension_countries (country_id, iso_a2, iso_a3, country_name)
  SELECT c.country_id, c.iso_a2, c.iso_a3, c.country_name FROM public.countries c
  WHERE c.country_id IN (SELECT DISTINCT s.country_id FROM pg_temp.etl_source s)
    AND NOT EXISTS (SELECT 1 FROM dwh.dimension_countries d WHERE d.country_id = c.country_id)
  ORDER BY c.country_id
  ON CONFLICT (country_id) DO NOTHING;

  INSERT INTO dwh.dimension_days (dimension_day_id, date_id, year, month, day, iso_year, iso_week, iso_dow)
  SELECT dwh.day_key(d.day), d.day, extract(year FROM d.day), extract(month FROM d.day),
         extract(day FROM d.day), extract(isoyear FROM d.day), extract(week FROM d.day),
         extract(isodow FROM d.day)
  FROM (SELECT DISTINCT dwh.utc_date(x.ts) AS day
        FROM pg_temp.etl_source s, LATERAL (VALUES (s.created_at), (s.opened_at)) x(ts)) d
  WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_days dd WHERE dd.date_id = d.day)
  ORDER BY 1
  ON CONFLICT DO NOTHING;

  -- Application of each note: the first pattern (by priority) matching its opening text.
  --
  -- The version is the end of the whole match, found with the pattern's version group made
  -- non-capturing: with a capturing group substring() makes the regular-expression engine
  -- dissect the match, ~8 us a note against ~1.5 us for finding where the match starts and
  -- ends. Every application pattern ends in the same optional version group, so the results
  -- are the same (checked on 35 texts built to differ: each application, with and without
  -- versions, "v" and "/" forms, four-part numbers, text after the version). A 500-note
  -- batch's application step took 7-11.5 ms instead of ~14.4 ms.
  INSERT INTO pg_temp.etl_apps (note_id, dimension_application_id, version)
  SELECT s.note_id, a.dimension_application_id, a.version
  FROM (SELECT DISTINCT ON (o.note_id) o.note_id, o.body, lower(o.body) AS lower_body
        FROM pg_temp.etl_source o
        WHERE o.event = 'opened' ORDER BY o.note_id, o.sequence_action) s
  CROSS JOIN LATERAL (
    SELECT d.dimension_application_id,
           substring(substring(s.body FROM replace(d.pattern, '(\d+\.\d+(?:\.\d+)?)', '(?:\d+\.\d+(?:\.\d+)?)'))
                     FROM '\d+\.\d+(?:\.\d+)?$') AS version
    FROM dwh.dimension_applications d
    -- A pattern's keyword, when it has one, must occur in the lower-cased text before the
    -- pattern is tried (CASE fixes that order: the planner sorts ANDed conditions by its own
    -- cost estimates and put the regular expression first). Trying all 18 patterns on every
    -- opening text was 12-13 ms of a 64 ms 500-event batch.
    WHERE CASE WHEN d.keyword IS NULL OR strpos(s.lower_body, d.keyword) > 0 THEN s.body ~ d.pattern END
    ORDER BY d.priority LIMIT 1
  ) a
  WHERE s.body IS NOT NULL;

  INSERT INTO dwh.dimension_application_versions (dimension_application_id, version)
  SELECT DISTINCT a.dimension_application_id, a.version FROM pg_temp.etl_apps a
  WHERE a.version IS NOT NULL
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING;

  -- Hashtags with their position in the text.
  INSERT INTO pg_temp.etl_tags (note_id, sequence_action, position, tag)
  SELECT s.note_id, s.sequence_action, m.ord, m.match[2]
  FROM pg_temp.etl_source s,
       regexp_matches(s.body, dwh.hashtag_pattern(), 'g') WITH ORDINALITY AS m(match, ord)
  WHERE s.body LIKE '%#%';
  GET DIAGNOSTICS v_tags = ROW_COUNT;
  -- Most texts have no hashtag: the two hashtag statements run only when the batch found some
  -- (a statement costs its executor start-up even with no row to touch).
  IF v_tags > 0 THEN
    -- A hashtag is spelled as in its earliest action (action time, then note, action number and
    -- place in the text), whatever order actions are processed in: a new one takes the batch's
    -- earliest spelling; a known one takes the batch's when no stored use is earlier (an index
    -- probe: for a live action the first stored use found is earlier).
    INSERT INTO dwh.dimension_hashtags (description, description_lower)
    SELECT DISTINCT ON (lower(t.tag)) t.tag, lower(t.tag)
    FROM pg_temp.etl_tags t JOIN pg_temp.etl_source s USING (note_id, sequence_action)
    WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_hashtags h WHERE h.description_lower = lower(t.tag))
    ORDER BY lower(t.tag), s.created_at, t.note_id, t.sequence_action, t.position
    ON CONFLICT (description_lower) DO NOTHING;

    UPDATE dwh.dimension_hashtags h SET description = e.tag
    FROM (SELECT DISTINCT ON (lower(t.tag)) t.tag, lower(t.tag) AS tag_lower, s.created_at, t.note_id, t.sequence_action
          FROM pg_temp.etl_tags t JOIN pg_temp.etl_source s USING (note_id, sequence_action)
          ORDER BY lower(t.tag), s.created_at, t.note_id, t.sequence_action, t.position) e
    WHERE h.description_lower = e.tag_lower AND h.description <> e.tag
      AND NOT EXISTS (SELECT 1 FROM dwh.fact_hashtags b JOIN dwh.facts f USING (id_note, sequence_action)
                      WHERE b.dimension_hashtag_id = h.dimension_hashtag_id
                        AND (f.action_at, f.id_note, f.sequence_action) < (e.created_at, e.note_id, e.sequence_action));

    UPDATE pg_temp.etl_tags t SET dimension_hashtag_id = h.dimension_hashtag_id
    FROM dwh.dimension_hashtags h WHERE h.description_lower = lower(t.tag);
  END IF;

  -- The facts. The application version is joined here from the version dimension.
  INSERT INTO pg_temp.etl_facts (
    id_note, sequence_action, dimension_id_country, action_at, action_comment,
    action_dimension_id_date, action_dimension_id_hour_of_week, action_dimension_id_user,
    opened_dimension_id_date, opened_dimension_id_hour_of_week, opened_dimension_id_user,
    closed_dimension_id_date, closed_dimension_id_hour_of_week, closed_dimension_id_user,
    dimension_application_creation, dimension_application_version, recent_opened_dimension_id_date,
    days_to_resolution, days_to_resolution_active, days_to_resolution_from_reopen,
    comment_length, has_url, has_mention, hashtag_number,
    total_comments_on_note, total_reopenings_count, total_actions_on_note)
  SELECT s.note_id, s.sequence_action, dc.dimension_country_id, s.created_at, s.event,
         dwh.date_key(s.created_at), dwh.hour_of_week_key(s.created_at), au.dimension_user_id,
         dwh.date_key(s.opened_at), dwh.hour_of_week_key(s.opened_at), ou.dimension_user_id,
         CASE WHEN s.closing THEN dwh.date_key(s.created_at) END,
         CASE WHEN s.closing THEN dwh.hour_of_week_key(s.created_at) END,
         CASE WHEN s.closing THEN au.dimension_user_id END,
         app.dimension_application_id, av.dimension_application_version_id,
         dwh.date_key(coalesce(s.recent_open_at, s.opened_at)),
         CASE WHEN s.closing THEN dwh.utc_date(s.created_at) - dwh.utc_date(s.opened_at) END,
         CASE WHEN s.closing THEN sum(s.open_span) OVER (PARTITION BY s.note_id ORDER BY s.sequence_action) END,
         CASE WHEN s.closing THEN dwh.utc_date(s.created_at) - dwh.utc_date(s.last_reopen_at) END,
         char_length(s.body), coalesce(s.body ~* 'https?://', false), coalesce(s.body ~ '@\w', false),
         coalesce(tc.n, 0), s.comments_so_far, s.reopenings_so_far, s.actions_so_far
  FROM (
    SELECT y.*,
           -- Days this close ends an open span: from the first opening or reopening since the
           -- previous close (the note's creation for the first span); 0 when the note was
           -- already closed. Reopening an open note does not restart its span.
           CASE WHEN y.closing THEN
             CASE WHEN y.span_start IS NOT NULL THEN dwh.utc_date(y.created_at) - dwh.utc_date(y.span_start)
                  WHEN y.closes_before = 0 THEN dwh.utc_date(y.created_at) - dwh.utc_date(y.opened_at)
                  ELSE 0 END
           ELSE 0 END AS open_span
    FROM (
      SELECT x.*, x.event = 'closed' AS closing,
             min(x.created_at) FILTER (WHERE x.event IN ('opened', 'reopened'))
               OVER (PARTITION BY x.note_id, x.closes_before ORDER BY x.sequence_action) AS span_start
      FROM pg_temp.etl_source x
    ) y
  ) s
  JOIN dwh.dimension_countries dc ON dc.country_id = s.country_id
  LEFT JOIN dwh.dimension_users au ON au.user_id = s.id_user
  LEFT JOIN dwh.dimension_users ou ON ou.user_id = s.opened_user
  LEFT JOIN pg_temp.etl_apps app ON app.note_id = s.note_id
  LEFT JOIN dwh.dimension_application_versions av
    ON av.dimension_application_id = app.dimension_application_id AND av.version = app.version
  LEFT JOIN (SELECT note_id, sequence_action, count(*)::integer AS n FROM pg_temp.etl_tags
             GROUP BY note_id, sequence_action) tc
    ON tc.note_id = s.note_id AND tc.sequence_action = s.sequence_action;
END $$;
