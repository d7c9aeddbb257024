-- A table with data but no statistics at all is analysed once, whatever its change counters say.
--
-- The counters that drive streaming.refresh_statistics start at zero where statistics are
-- missing for a reason other than growth: after pg_upgrade (which carries no statistics and
-- resets the counters), in a database copied from another (CREATE DATABASE … TEMPLATE), or
-- after a restore whose index builds already recorded the row counts. The processor then
-- planned its batches with default selectivities: the notes of a batch joined to the comments
-- as if each had hundreds, so every batch hashed the whole comment-text table and merge-joined
-- the comments from their first row, and the outbox was scanned to find the batch's notes. On
-- a copy of a 100,000-note backlog, 2,000-event batches took 206-226 ms against 179-199 ms with
-- statistics (four alternated rounds of ten batches, slower in every round), and that cost
-- grows with the tables. Autovacuum would fix this within a minute where it runs; the rule
-- covers servers where it does not, and the minute of catch-up before it does.
--
-- "Never analysed" is taken from the counters (last_analyze and last_autoanalyze both unset), so
-- a table whose ANALYZE finds no live rows is not analysed again every few seconds. Tables under
-- 1 MB are left to the other rules: their plans do not suffer from default estimates.
SELECT streaming.patch_function_passages('streaming.refresh_statistics()',
  ARRAY[$old$      AND s.n_mod_since_analyze >= 1000$old$,
        $old$               ELSE c.reltuples <= 0 OR s.n_live_tup >= 2 * c.reltuples END$old$],
  ARRAY[$new$      AND (s.n_mod_since_analyze >= 1000$new$,
        $new$               ELSE c.reltuples <= 0 OR s.n_live_tup >= 2 * c.reltuples END
           OR s.last_analyze IS NULL AND s.last_autoanalyze IS NULL
              AND NOT EXISTS (SELECT 1 FROM pg_stats st
                              WHERE st.schemaname = s.schemaname AND st.tablename = s.relname)
              AND pg_relation_size(s.relid) >= 1024 * 1024)$new$]);
