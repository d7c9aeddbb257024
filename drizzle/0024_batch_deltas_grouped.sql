-- The batch's fact deltas are grouped once before they are spread over the three datamart scopes,
-- and the application version is looked up where the facts are computed.
--
-- apply_deltas wrote three work rows per changed fact (global, its country, its user) into
-- etl_fact_keys, and seven statements then aggregated those rows again. The deltas are now
-- grouped first by everything the datamarts key on (sign, country, user, year, day, action, days
-- to resolution, application) with counts and sums for the rest, and the groups are spread over
-- the scopes into etl_fact_groups: the global and country rows of a batch collapse to a few
-- groups, the user rows to one per user and kind of action. The seven statements read the groups
-- and weigh each by its count. Only the sign stays a key, so a batch that removes and adds the
-- same kind of fact still tells apply_deltas that something was removed.
--
-- compute_facts no longer updates etl_apps with each note's version id afterwards: the facts
-- statement joins the version dimension itself.
--
-- A session that created the work tables before this migration still holds etl_fact_keys, so
-- ensure_etl_tables now recognises its tables by etl_fact_groups and drops older ones first.

-- Like patch_function_passages, for a passage that occurs several times: each is replaced
-- everywhere after checking how often it occurs, in the order given, and the function is created
-- once. A rewrite that changes one expression in several statements states it once.
CREATE FUNCTION streaming.patch_function_everywhere(p_function regprocedure, p_old text[], p_new text[],
                                                    p_times integer[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_definition text := pg_get_functiondef(p_function);
  v_found integer;
BEGIN
  IF cardinality(p_old) <> cardinality(p_new) OR cardinality(p_old) <> cardinality(p_times) THEN
    RAISE EXCEPTION 'patch_function_everywhere: % passages, % replacements, % counts',
      cardinality(p_old), cardinality(p_new), cardinality(p_times);
  END IF;
  FOR i IN 1 .. cardinality(p_old) LOOP
    v_found := (length(v_definition) - length(replace(v_definition, p_old[i], ''))) / length(p_old[i]);
    IF v_found <> p_times[i] THEN
      RAISE EXCEPTION 'patch_function_everywhere: "%" occurs % times in %, expected %',
        p_old[i], v_found, p_function, p_times[i];
    END IF;
    v_definition := replace(v_definition, p_old[i], p_new[i]);
  END LOOP;
  EXECUTE v_definition;
END $$;
--> statement-breakpoint
SELECT streaming.patch_function_passages('dwh.ensure_etl_tables()',
  ARRAY[$old$  IF to_regclass('pg_temp.etl_source') IS NOT NULL THEN
    RETURN;
  END IF;$old$,
        $old$  CREATE TEMP TABLE etl_fact_keys (
    sign smallint, scope dwh.datamart_scope, key integer, year smallint, day date,
    action_comment note_event_enum, days_to_resolution integer, comment_length integer,
    has_url boolean, has_mention boolean, dimension_application_creation integer
  ) ON COMMIT PRESERVE ROWS;$old$],
  ARRAY[$new$  IF to_regclass('pg_temp.etl_fact_groups') IS NOT NULL THEN
    RETURN;
  END IF;
  -- Tables an older version of this function created in this session (before etl_fact_groups).
  DROP TABLE IF EXISTS pg_temp.etl_source, pg_temp.etl_apps, pg_temp.etl_tags, pg_temp.etl_facts,
    pg_temp.etl_fact_delta, pg_temp.etl_tag_delta, pg_temp.etl_states, pg_temp.etl_state_delta,
    pg_temp.etl_fact_keys, pg_temp.etl_touched, pg_temp.etl_key_delta, pg_temp.etl_fix;$new$,
        $new$  -- Fact deltas grouped by what the datamarts key on, once per scope, with their weights.
  CREATE TEMP TABLE etl_fact_groups (
    sign smallint, scope dwh.datamart_scope, key integer, year smallint, day date,
    action_comment note_event_enum, days_to_resolution integer, dimension_application_creation integer,
    actions integer, with_text integer, sum_comment_length bigint, with_url integer, with_mention integer
  ) ON COMMIT PRESERVE ROWS;$new$]);
--> statement-breakpoint
SELECT streaming.patch_function_passages('dwh.compute_facts(integer[])',
  ARRAY[$old$  UPDATE pg_temp.etl_apps a SET version_id = v.dimension_application_version_id
  FROM dwh.dimension_application_versions v
  WHERE v.dimension_application_id = a.dimension_application_id AND v.version = a.version;

$old$,
        'app.dimension_application_id, app.version_id,',
        '  LEFT JOIN pg_temp.etl_apps app ON app.note_id = s.note_id'],
  ARRAY['',
        'app.dimension_application_id, av.dimension_application_version_id,',
        $new$  LEFT JOIN pg_temp.etl_apps app ON app.note_id = s.note_id
  LEFT JOIN dwh.dimension_application_versions av
    ON av.dimension_application_id = app.dimension_application_id AND av.version = app.version$new$]);
--> statement-breakpoint
SELECT streaming.patch_function_everywhere('dwh.clear_etl_tables()',
  ARRAY['etl_fact_keys'], ARRAY['etl_fact_groups'], ARRAY[3]);
--> statement-breakpoint
-- apply_deltas: the groups are made where etl_fact_keys was filled (the statement keeps its
-- spreading over scopes and gains a GROUP BY), then every sum over them is weighted.
SELECT streaming.patch_function_everywhere('dwh.apply_deltas()',
  array_agg(e.old ORDER BY e.n), array_agg(e.new ORDER BY e.n), array_agg(e.times ORDER BY e.n))
FROM (VALUES
  (1, $old$  INSERT INTO pg_temp.etl_fact_keys
  SELECT d.sign, k.scope, k.key, extract(year FROM dwh.utc_date(d.action_at))::smallint,
         dwh.utc_date(d.action_at), d.action_comment, d.days_to_resolution, d.comment_length,
         d.has_url, d.has_mention, d.dimension_application_creation
  FROM pg_temp.etl_fact_delta d$old$,
   $new$  INSERT INTO pg_temp.etl_fact_groups
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
  ) d$new$, 1),
  (2, E'WHERE k.key IS NOT NULL;\n\n  INSERT INTO dwh.datamart_years',
      E'WHERE k.key IS NOT NULL\n  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;\n\n  INSERT INTO dwh.datamart_years', 1),
  -- Closes with a text: a group counts its texts.
  (3, $old$f.sign * (f.action_comment = 'closed' AND f.comment_length IS NOT NULL)::int$old$,
      $new$f.sign * f.with_text * (f.action_comment = 'closed')::int$new$, 2),
  -- Counts by kind of action (five kinds, in datamart_years and etl_key_delta).
  (4, 'f.sign * (f.action_comment = ', 'f.sign * f.actions * (f.action_comment = ', 10),
  (5, 'f.sign * (f.comment_length IS NOT NULL)::int', 'f.sign * f.with_text', 2),
  (6, 'f.sign * coalesce(f.comment_length, 0)', 'f.sign * f.sum_comment_length', 2),
  (7, 'f.sign * f.has_url::int', 'f.sign * f.with_url', 2),
  (8, 'f.sign * f.has_mention::int', 'f.sign * f.with_mention', 2),
  (9, 'f.sign * (f.days_to_resolution IS NOT NULL)::int',
      'f.sign * f.actions * (f.days_to_resolution IS NOT NULL)::int', 2),
  (10, 'f.sign * coalesce(f.days_to_resolution, 0)', 'f.sign * f.actions * coalesce(f.days_to_resolution, 0)', 2),
  -- resolution days, applications and activity days
  (11, 'sum(f.sign)', 'sum(f.sign * f.actions)', 3),
  (12, 'etl_fact_keys', 'etl_fact_groups', 8)
) e(n, old, new, times);
