-- The micro-ETL's work tables: temporary tables of the session, created on its first batch.
--
-- They keep their storage across commits (ON COMMIT PRESERVE ROWS). With ON COMMIT DELETE ROWS
-- every commit of a batch truncated all twelve (and rebuilt etl_apps' index); that invalidated
-- the cached plans of every statement reading them, and the next batch planned ~80 statements
-- again. A one-event batch took 9.8 ms, 4.6 ms of it for the truncation and the replanning
-- (pgbench, one client, one comment then one claim_and_process per transaction: 9.8 ms before,
-- 5.2 ms after). dwh.clear_etl_tables empties them after each use instead, and a rollback
-- discards its rows anyway.
--
-- The session's tables are recognised by etl_hashtag_delta (which replaced etl_tag_delta when
-- hashtag deltas gained the kind of action): a connection that ran batches with an older version
-- of this function still holds the older set, which is dropped first.
CREATE OR REPLACE FUNCTION dwh.ensure_etl_tables()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  IF to_regclass('pg_temp.etl_hashtag_delta') IS NOT NULL THEN
    RETURN;
  END IF;
  -- Tables an older version of this function created in this session (before etl_hashtag_delta).
  DROP TABLE IF EXISTS pg_temp.etl_source, pg_temp.etl_apps, pg_temp.etl_tags, pg_temp.etl_facts,
    pg_temp.etl_fact_delta, pg_temp.etl_tag_delta, pg_temp.etl_states, pg_temp.etl_state_delta,
    pg_temp.etl_fact_keys, pg_temp.etl_fact_groups, pg_temp.etl_touched, pg_temp.etl_key_delta,
    pg_temp.etl_fix;
  -- The batch's actions with the running values each fact needs (dwh.compute_facts).
  CREATE TEMP TABLE etl_source (
    note_id integer, sequence_action integer, event note_event_enum, created_at timestamptz,
    id_user integer, body text, country_id integer, opened_at timestamptz, opened_user integer,
    recent_open_at timestamptz, last_reopen_at timestamptz, closes_before integer,
    comments_so_far integer, reopenings_so_far integer, actions_so_far integer
  ) ON COMMIT PRESERVE ROWS;
  -- Each note's application and version (version_id is no longer filled: the facts statement
  -- joins the version dimension itself).
  CREATE TEMP TABLE etl_apps (
    note_id integer PRIMARY KEY, dimension_application_id integer, version text, version_id integer
  ) ON COMMIT PRESERVE ROWS;
  CREATE TEMP TABLE etl_tags (
    note_id integer, sequence_action integer, position smallint, tag text, dimension_hashtag_id integer
  ) ON COMMIT PRESERVE ROWS;
  CREATE TEMP TABLE etl_facts (LIKE dwh.facts) ON COMMIT PRESERVE ROWS;
  ALTER TABLE etl_facts DROP COLUMN fact_id, DROP COLUMN processed_at;
  -- Contributions to datamarts: rows that differ between the stored and the recomputed facts.
  CREATE TEMP TABLE etl_fact_delta (
    sign smallint, id_note integer, sequence_action integer, dimension_id_country integer,
    action_at timestamptz, action_comment note_event_enum, action_dimension_id_user integer,
    opened_dimension_id_user integer, dimension_application_creation integer,
    days_to_resolution integer, comment_length integer, has_url boolean, has_mention boolean
  ) ON COMMIT PRESERVE ROWS;
  CREATE TEMP TABLE etl_hashtag_delta (
    sign smallint, id_note integer, sequence_action integer, dimension_hashtag_id integer,
    dimension_id_country integer, action_dimension_id_user integer, year smallint,
    action_comment note_event_enum
  ) ON COMMIT PRESERVE ROWS;
  CREATE TEMP TABLE etl_state_delta (
    sign smallint, id_note integer, dimension_id_country integer, opened_dimension_id_user integer,
    opened_day date, state dwh.note_state
  ) ON COMMIT PRESERVE ROWS;
  -- Fact deltas grouped by what the datamarts key on, once per scope, with their weights.
  CREATE TEMP TABLE etl_fact_groups (
    sign smallint, scope dwh.datamart_scope, key integer, year smallint, day date,
    action_comment note_event_enum, days_to_resolution integer, dimension_application_creation integer,
    actions integer, with_text integer, sum_comment_length bigint, with_url integer, with_mention integer
  ) ON COMMIT PRESERVE ROWS;
  CREATE TEMP TABLE etl_touched (scope dwh.datamart_scope, key integer) ON COMMIT PRESERVE ROWS;
  CREATE TEMP TABLE etl_states (LIKE dwh.note_current_state) ON COMMIT PRESERVE ROWS;
  -- Per-key totals of the batch for datamart_countries, datamart_users and datamart_global.
  CREATE TEMP TABLE etl_key_delta (
    scope dwh.datamart_scope, key integer, history_whole_open integer, history_whole_commented integer,
    history_whole_closed integer, history_whole_closed_with_comment integer, history_whole_reopened integer,
    history_whole_hidden integer, notes_still_open integer, notes_resolved integer, with_text integer,
    sum_comment_length bigint, with_url integer, with_mention integer, resolved_closes integer,
    sum_days_to_resolution bigint, first_day date, last_day date
  ) ON COMMIT PRESERVE ROWS;
  -- Keys needing more than counters: median (closes), applications used, a removal (span).
  CREATE TEMP TABLE etl_fix (
    scope dwh.datamart_scope, key integer, median boolean, apps boolean, span boolean
  ) ON COMMIT PRESERVE ROWS;
END $$;
