-- Claims whose plan does not depend on the outbox's statistics, so the outbox can be analysed
-- on doubling like the other tables (0013 had kept it on the one-tenth rule). Every ANALYZE of
-- streaming.events invalidated the plans that read it, among them the API's event query, whose
-- planning costs ~15 ms; at 1,000 events/s on a 300,000-event outbox that came every ~15 s.
--
-- With statistics taken when few events were pending, a claim of 500 took 64 ms instead of ~2:
-- each note's check for an older pending event walked the pending-events index from its start,
-- and the claimed rows were joined to the locked notes by a nested loop. The check now compares
-- the status as text, which the partial index on pending events cannot serve, so it goes
-- through the note's own index; bitmap scans and nested loops are off for the claim, which
-- leaves an ordered scan of the pending index for the candidates and a hash join. Measured on a
-- 70,000-event outbox analysed with none pending, then 50,000 pending: 64 ms -> 1.8 ms (1.7-2.6
-- ms with fresh statistics either way).
SELECT streaming.patch_function('streaming.claim_events(integer)',
$old$WHERE p.note_id = n.note_id AND p.id < n.last_id AND p.status = 'pending'$old$,
$new$WHERE p.note_id = n.note_id AND p.id < n.last_id AND p.status::text = 'pending'$new$);
--> statement-breakpoint
ALTER FUNCTION streaming.claim_events(integer) SET enable_bitmapscan = off;
--> statement-breakpoint
ALTER FUNCTION streaming.claim_events(integer) SET enable_nestloop = off;
--> statement-breakpoint
SELECT streaming.patch_function('streaming.refresh_statistics()',
$old$      AND CASE WHEN c.oid = 'streaming.events'::regclass
               THEN s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 0)
               ELSE c.reltuples <= 0 OR s.n_live_tup >= 2 * c.reltuples END$old$,
$new$      AND (c.reltuples <= 0 OR s.n_live_tup >= 2 * c.reltuples)$new$);
