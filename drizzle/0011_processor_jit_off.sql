-- No JIT compilation inside a batch. A batch touches a few hundred rows, but while a table's
-- statistics are stale (a backlog written since the last ANALYZE) its estimates run to hundreds
-- of thousands of rows, past jit_above_cost, and compiling ~60 expressions then cost more than
-- the statement: the first batches of a 100,000-event catch-up took 190-360 ms instead of ~70.
ALTER FUNCTION streaming.claim_and_process(integer, text) SET jit = off;
--> statement-breakpoint
ALTER FUNCTION streaming.process_events(bigint[], text, timestamptz) SET jit = off;
