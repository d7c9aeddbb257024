-- Recomputes every datamart from the facts, locking out batches while it runs: the same
-- dwh.apply_deltas as a batch, with every fact added to empty tables, which is why incremental
-- results equal a rebuild.
--
-- Custom plans: the statements of dwh.apply_deltas are otherwise run with the generic plans a
-- session caches for batch-sized work tables, and a rebuild feeds them every fact.
-- random_page_cost = 1.1, the usual figure when the working set is in memory or on SSD: with
-- the default of 4 the planner preferred hashing whole tables (facts, fact_hashtags,
-- note_comments_text) to index probes (measured on a 76,000-fact warehouse, 500-event batch:
-- 244 ms at 4, 136 ms at 1.1). Set per function so that other queries keep the server's own
-- setting.
CREATE OR REPLACE FUNCTION dwh.rebuild_datamarts()
RETURNS void
LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan
SET random_page_cost = 1.1
AS $$
BEGIN
  LOCK TABLE dwh.datamart_years, dwh.datamart_resolution_days, dwh.datamart_resolution_months, dwh.datamart_applications,
             dwh.datamart_activity_days, dwh.datamart_hashtags, dwh.datamart_note_states,
             dwh.datamart_action_days, dwh.datamart_action_hours, dwh.datamart_user_countries,
             dwh.datamart_countries, dwh.datamart_users, dwh.datamart_global,
             dwh.note_current_state IN EXCLUSIVE MODE;
  TRUNCATE dwh.datamart_years, dwh.datamart_resolution_days, dwh.datamart_resolution_months, dwh.datamart_applications,
           dwh.datamart_activity_days, dwh.datamart_hashtags, dwh.datamart_note_states,
           dwh.datamart_action_days, dwh.datamart_action_hours, dwh.datamart_user_countries,
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
  INSERT INTO pg_temp.etl_hashtag_delta
  SELECT 1, h.id_note, h.sequence_action, h.dimension_hashtag_id, f.dimension_id_country,
         f.action_dimension_id_user, extract(year FROM dwh.utc_date(f.action_at))::smallint, f.action_comment
  FROM dwh.fact_hashtags h
  JOIN dwh.facts f ON f.id_note = h.id_note AND f.sequence_action = h.sequence_action;
  INSERT INTO pg_temp.etl_state_delta SELECT 1, s.* FROM dwh.note_current_state s;
  PERFORM dwh.apply_deltas();
  PERFORM dwh.clear_etl_tables();
END $$;
