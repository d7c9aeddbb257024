-- Empties the micro-ETL's work tables after each use rather than at commit, in case more notes
-- are processed in the same transaction; they keep their storage across commits
-- (ensure_etl_tables.sql says why).
--
-- DELETE, not TRUNCATE, while the tables are small: TRUNCATE rewrites catalog entries and
-- invalidates the cached plans of every statement reading them (one replanning of the batch
-- statements, ~5 ms). But DELETE leaves the pages behind and nothing vacuums temporary tables,
-- so every scan of a work table also reads the pages of the batches before it: past 512 kB
-- they are truncated. Live batches of ~11 events add ~6.5 kB, so that is about every 60 live
-- batches; with 4 MB the tables held ~2 MB of dead pages on average, and a perf profile spent
-- 11 % in sequential scans and 3 % in lseek for relation sizes, mostly on those pages (1,000
-- batches of 11 events, six alternated rounds: mean 8.2-8.6 ms at 512 kB against 8.7-9.9 ms at
-- 4 MB). Backlog batches of 2,000 events pass 512 kB alone and are truncated after each batch.
CREATE OR REPLACE FUNCTION dwh.clear_etl_tables()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  -- The two widest tables stand for all twelve: after 10 to 60 ten-event batches they held 23-45 %
  -- of the main forks' pages (one row per action each), so 224 kB of theirs is about the 512 kB
  -- above. etl_source is sized with its TOAST, where long comment texts go. Sizing all twelve
  -- took 0.2 ms a batch, 5 % of a one-event batch.
  IF pg_table_size('pg_temp.etl_source') + pg_relation_size('pg_temp.etl_facts') > 224 * 1024 THEN
    TRUNCATE pg_temp.etl_source, pg_temp.etl_apps, pg_temp.etl_tags, pg_temp.etl_facts,
      pg_temp.etl_fact_delta, pg_temp.etl_hashtag_delta, pg_temp.etl_states, pg_temp.etl_state_delta,
      pg_temp.etl_fact_groups, pg_temp.etl_touched, pg_temp.etl_key_delta, pg_temp.etl_fix;
    RETURN;
  END IF;
  DELETE FROM pg_temp.etl_source; DELETE FROM pg_temp.etl_apps; DELETE FROM pg_temp.etl_tags;
  DELETE FROM pg_temp.etl_facts; DELETE FROM pg_temp.etl_fact_delta; DELETE FROM pg_temp.etl_hashtag_delta;
  DELETE FROM pg_temp.etl_states; DELETE FROM pg_temp.etl_state_delta; DELETE FROM pg_temp.etl_fact_groups;
  DELETE FROM pg_temp.etl_touched; DELETE FROM pg_temp.etl_key_delta; DELETE FROM pg_temp.etl_fix;
END $$;
