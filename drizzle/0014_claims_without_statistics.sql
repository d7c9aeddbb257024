-- Claims whose plan does not depend on the outbox's statistics. Planned from statistics taken
-- when few events were pending, a claim of 500 took 64 ms instead of ~2: each note's check for
-- an older pending event walked the pending-events index from its start, and the claimed rows
-- were joined to the locked notes by a nested loop. The check now compares the status as text,
-- which the partial index on pending events cannot serve, so it goes through the note's own
-- index; bitmap scans and nested loops are off for the claim, which leaves an ordered scan of
-- the pending index for the candidates and a hash join. Measured on a 70,000-event outbox
-- analysed with none pending, then 50,000 pending: 64 ms -> 1.8 ms (1.7-2.6 ms with fresh
-- statistics either way).
--
-- The outbox stays on the one-tenth rule of 0013 all the same: tried on doubling like the other
-- tables, catch-ups on a grown outbox ran ~12 % slower (12.8-13.6k against 14.4-15.2k events/s
-- in alternated runs) and the live probe was no better.
SELECT streaming.patch_function('streaming.claim_events(integer)',
$old$WHERE p.note_id = n.note_id AND p.id < n.last_id AND p.status = 'pending'$old$,
$new$WHERE p.note_id = n.note_id AND p.id < n.last_id AND p.status::text = 'pending'$new$);
--> statement-breakpoint
ALTER FUNCTION streaming.claim_events(integer) SET enable_bitmapscan = off;
--> statement-breakpoint
ALTER FUNCTION streaming.claim_events(integer) SET enable_nestloop = off;
