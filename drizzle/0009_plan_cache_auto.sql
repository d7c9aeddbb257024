-- Let PL/pgSQL keep generic plans for the processing functions again (PostgreSQL's default,
-- plan_cache_mode = auto), now that the processor re-analyses growing tables every 5 seconds
-- (0006): each ANALYZE invalidates the cached plans of its table, so a plan made while the
-- warehouse was empty does not outlive the statistics it was made from, which is what 0005's
-- force_custom_plan had guarded against.
--
-- Measured (processor live; 200 single events on an empty warehouse, 60,000 events in
-- 1,000-row commits, then 500 single events): a one-event batch took p50 5.8-5.9 ms against
-- 7.4-8.1 ms with custom plans, which re-plan ~80 statements per batch. A 300,000-event
-- catch-up ran at the same rate either way (7,570 and 8,900 events/s with generic plans allowed,
-- 8,314 and 7,680 without: within this machine's noise).
ALTER FUNCTION streaming.claim_and_process(integer, text) SET plan_cache_mode = auto;
--> statement-breakpoint
ALTER FUNCTION streaming.process_events(bigint[], text, timestamptz) SET plan_cache_mode = auto;
