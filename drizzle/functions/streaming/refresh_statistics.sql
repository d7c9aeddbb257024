-- Statistics kept fresh by the processor, which calls this every few seconds: it analyses, in
-- the project's schemas, the tables whose statistics no longer describe them and returns their
-- names. One caller at a time; others return at once.
--
-- Tables that were never analysed are planned as if every note had a two-hundredth of all
-- comments, which turns each batch into scans of whole tables. Autovacuum normally prevents
-- that, but it may be off, and it waits at least a minute after a bulk import. The rules:
--
-- - Warehouse tables are analysed when their row count has doubled (or was never measured),
--   the rule the importer follows: ETL plans are index lookups that do not change with a
--   table's size, only with its order of magnitude. Analysing every table changed by a tenth
--   meant a dozen tables at once every few seconds while the warehouse was young, and each
--   ANALYZE invalidates the cached plans of its table: both processor loops then planned their
--   ~80 statements again for several batches. In a probe at 1,000 events/s (10-event commits,
--   100 subscribers) those moments held nearly all of the slow events: batches of 20-58 ms
--   against a median of 6 ms, and the probe's p99 rose to 54-67 ms.
-- - The outbox (streaming.events) keeps the one-tenth rule: what its plans depend on, the share
--   of pending events, moves as fast as it fills and drains. Tried on doubling like the other
--   tables, catch-ups on a grown outbox ran ~12 % slower (12.8-13.6k against 14.4-15.2k
--   events/s in alternated runs) and the live probe was no better.
-- - Either way at least 1,000 rows must have changed.
-- - A table of 1 MB or more with data but no statistics at all is analysed once, whatever its
--   change counters say. They start at zero where statistics are missing for a reason other than
--   growth: after pg_upgrade (which carries no statistics and resets the counters), in a
--   database copied from another (CREATE DATABASE ... TEMPLATE), or after a restore whose index
--   builds already recorded the row counts. Batches were then planned with default
--   selectivities: on a copy of a 100,000-note backlog, 2,000-event batches took 206-226 ms
--   against 179-199 ms with statistics (four alternated rounds of ten batches, slower in each),
--   a gap that grows with the tables. "Never analysed" is taken from the counters
--   (last_analyze and last_autoanalyze both unset), so a table whose ANALYZE finds no live rows
--   is not analysed again every few seconds. Smaller tables are left to the other rules: their
--   plans do not suffer from default estimates.
--
-- The check runs every few seconds, so it reads the counters first and looks at pg_stats only
-- for the few tables that pass them: asked of every table in one query, the planner built a
-- hash of all of pg_stats (a join of pg_statistic, pg_attribute and pg_class with a privilege
-- check per column), 30 ms in a new session and 6-7 ms after, on every call.
CREATE OR REPLACE FUNCTION streaming.refresh_statistics()
RETURNS text[]
LANGUAGE plpgsql
AS $$
DECLARE
  v_table record;
  v_done text[] := '{}';
BEGIN
  IF NOT pg_try_advisory_xact_lock(7335005) THEN
    RETURN v_done;
  END IF;
  FOR v_table IN
    SELECT * FROM (
      SELECT s.schemaname, s.relname, s.n_mod_since_analyze,
             s.n_mod_since_analyze >= 1000
               AND CASE WHEN c.oid = 'streaming.events'::regclass
                        THEN s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 0)
                        ELSE c.reltuples <= 0 OR s.n_live_tup >= 2 * c.reltuples END AS changed,
             s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AS never_analysed,
             s.relid
      FROM pg_stat_user_tables s
      JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname IN ('public', 'dwh', 'streaming')
    ) t
    WHERE changed OR never_analysed AND pg_relation_size(relid) >= 1024 * 1024
    ORDER BY n_mod_since_analyze DESC
  LOOP
    -- A large table never analysed counts only when it has no statistics at all (see above).
    CONTINUE WHEN NOT v_table.changed
      AND EXISTS (SELECT 1 FROM pg_stats st WHERE st.schemaname = v_table.schemaname AND st.tablename = v_table.relname);
    EXECUTE format('ANALYZE %I.%I', v_table.schemaname, v_table.relname);
    v_done := v_done || format('%I.%I', v_table.schemaname, v_table.relname);
  END LOOP;
  RETURN v_done;
END $$;
