-- Planner settings for the processing functions, and statistics kept fresh by the processor.
--
-- Measured on a 76,000-fact warehouse (500-event batch): with PostgreSQL's default
-- random_page_cost of 4 the planner preferred hashing whole tables (facts, fact_hashtags,
-- note_comments_text) to 500 index probes, so a batch cost grew with the warehouse (244 ms);
-- at 1.1, the usual figure when the working set is in memory or on SSD, the same batch took
-- 136 ms with index probes. Scoped to these functions so that other queries keep the
-- server's own setting.
ALTER FUNCTION streaming.claim_and_process(integer, text) SET random_page_cost = 1.1;
--> statement-breakpoint
ALTER FUNCTION streaming.process_events(bigint[], text, timestamptz) SET random_page_cost = 1.1;
--> statement-breakpoint
ALTER FUNCTION dwh.rebuild_datamarts() SET random_page_cost = 1.1;
--> statement-breakpoint
ALTER FUNCTION streaming.enqueue_late_texts() SET random_page_cost = 1.1;
--> statement-breakpoint
-- Tables that were never analysed are planned as if every note had a two-hundredth of all
-- comments, which turns each batch into scans of whole tables. Autovacuum normally prevents
-- that, but it may be off, and it waits at least a minute after a bulk import. The processor
-- calls this every few seconds: it analyses, in the project's schemas, the tables that have
-- changed by more than a tenth (and at least 1,000 rows) since their last analysis, and
-- returns their names. One caller at a time; others return at once.
CREATE FUNCTION streaming.refresh_statistics() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  v_table record;
  v_done text[] := '{}';
BEGIN
  IF NOT pg_try_advisory_xact_lock(7335005) THEN
    RETURN v_done;
  END IF;
  FOR v_table IN
    SELECT s.schemaname, s.relname
    FROM pg_stat_user_tables s
    JOIN pg_class c ON c.oid = s.relid
    WHERE s.schemaname IN ('public', 'dwh', 'streaming')
      AND s.n_mod_since_analyze >= 1000
      AND s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 0)
    ORDER BY s.n_mod_since_analyze DESC
  LOOP
    EXECUTE format('ANALYZE %I.%I', v_table.schemaname, v_table.relname);
    v_done := v_done || format('%I.%I', v_table.schemaname, v_table.relname);
  END LOOP;
  RETURN v_done;
END $$;
