-- The processor analysed every table that changed by a tenth since its last analysis. On a live
-- feed that meant a dozen tables at once every few seconds while the warehouse was young, and
-- each ANALYZE invalidates the cached plans of its table: both processor loops then planned their
-- ~80 statements again for several batches, on top of the ANALYZE's own CPU. In a probe at
-- 1,000 events/s (10-event commits, 100 subscribers) those moments held nearly all of the slow
-- events: batches of 20-58 ms against a median of 6 ms, and the probe's p99 rose to 54-67 ms.
-- Warehouse tables are now analysed when their row count has doubled (or was never measured),
-- the rule the importer follows: ETL plans are index lookups that do not change with a table's
-- size, only with its order of magnitude. The outbox keeps the old rule, because what its plans
-- depend on, the share of pending events, moves as fast as it fills and drains (with that share
-- stale, a claim checked each note's older events by scanning every pending one: 60 ms for 500).
SELECT streaming.patch_function('streaming.refresh_statistics()',
$old$      AND s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 0)$old$,
$new$      AND CASE WHEN c.oid = 'streaming.events'::regclass
               THEN s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 0)
               ELSE c.reltuples <= 0 OR s.n_live_tup >= 2 * c.reltuples END$new$);
