-- Claims and processes one batch in a single statement: run outside an explicit transaction,
-- the statement is the transaction, so a batch costs one round trip. Returns no row when there
-- was nothing to claim. p_hand_over: see process_events.sql.
--
-- Settings, each measured:
-- - plan_cache_mode = auto (PostgreSQL's default, set here so that a session or role setting
--   does not override it): generic plans are allowed again since the processor re-analyses
--   growing tables (streaming.refresh_statistics), and each ANALYZE invalidates the cached plans
--   of its table, so a plan made while the warehouse was empty does not outlive the statistics
--   it was made from. (With generic plans kept for the connection and no such analysis, a batch
--   cost grew with the warehouse: 10 ms at 5,000 events, 117 ms at 50,000; force_custom_plan
--   guarded against that.) A one-event batch took p50 5.8-5.9 ms against 7.4-8.1 ms with custom
--   plans, which re-plan ~80 statements a batch; a 300,000-event catch-up ran at the same rate
--   either way (7,570 and 8,900 events/s against 8,314 and 7,680: within this machine's noise).
-- - random_page_cost = 1.1, the usual figure when the working set is in memory or on SSD: with
--   the default of 4 the planner preferred hashing whole tables (facts, fact_hashtags,
--   note_comments_text) to a batch's index probes, so a batch cost grew with the warehouse
--   (76,000 facts, 500-event batch: 244 ms at 4, 136 ms at 1.1). Set per function so that
--   other queries keep the server's own setting.
-- - jit = off: a batch touches a few hundred rows, but while a table's statistics are stale (a
--   backlog written since the last ANALYZE) its estimates run to hundreds of thousands of rows,
--   past jit_above_cost, and compiling ~60 expressions cost more than the statement: the first
--   batches of a 100,000-event catch-up took 190-360 ms instead of ~70.
DROP FUNCTION IF EXISTS streaming.claim_and_process(integer, text);
CREATE OR REPLACE FUNCTION streaming.claim_and_process(p_limit integer, p_processor text, p_hand_over integer DEFAULT 0)
RETURNS TABLE (batch_id bigint, first_position bigint, last_position bigint, events integer,
               countries integer[], users integer[], lags_ms double precision[], stream json)
LANGUAGE plpgsql
SET plan_cache_mode = auto
SET random_page_cost = 1.1
SET jit = off
AS $$
DECLARE
  v_ids bigint[];
  v_started timestamptz := clock_timestamp();
BEGIN
  SELECT array_agg(c.id ORDER BY c.id) INTO v_ids FROM streaming.claim_events(p_limit) c;
  IF v_ids IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM streaming.process_events(v_ids, p_processor, v_started, p_hand_over);
END $$;
