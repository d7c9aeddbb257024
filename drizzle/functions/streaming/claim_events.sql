-- Claims up to p_limit due events, oldest first, skipping rows other processors hold, and takes
-- each note's advisory lock so that no two batches work on one note at once. The row and note
-- locks last until the caller's transaction ends (a crash releases them).
--
-- A note's events are processed oldest first, without gaps. Two claims run at once: one
-- row-locks a note's first event, the other skips that row (SKIP LOCKED) and locks the next
-- two, and whichever took the note's advisory lock first would process what it holds, so a
-- note's later actions could enter the stream before its first. A claim therefore leaves a
-- note alone when an event of it that could be claimed, older than one it holds, is not among
-- its own (another claim holds it). Events waiting out a retry delay do not hold the note up.
--
-- The plan does not depend on the outbox's statistics. Planned from statistics taken when few
-- events were pending, a claim of 500 took 64 ms instead of ~2: each note's check for an older
-- pending event walked the pending-events index from its start, and the claimed rows were
-- joined to the locked notes by a nested loop. The check compares the status as text, which the
-- partial index on pending events cannot serve, so it goes through the note's own index; bitmap
-- scans and nested loops are off, which leaves an ordered scan of the pending index for the
-- candidates and a hash join (70,000-event outbox analysed with none pending, then 50,000
-- pending: 64 ms -> 1.8 ms; 1.7-2.6 ms with fresh statistics either way).
--
-- So the claim keeps one generic plan per connection (force_generic_plan): its only parameter
-- is the batch size, and PostgreSQL otherwise kept choosing custom plans, planning the claim
-- again in each batch (~0.2 ms, the largest planning cost left in a live batch; pgbench on two
-- copies of one backlog, eight alternated rounds of 600 batches of 11 events: 5.05 ms a batch
-- on average against 5.38 ms, lower in seven rounds).
--
-- PL/pgSQL rather than a SQL function: a volatile SQL function is parsed and planned on every
-- call (~0.2 ms), a PL/pgSQL one keeps its plan for the session.
CREATE OR REPLACE FUNCTION streaming.claim_events(p_limit integer)
RETURNS TABLE (id bigint, note_id integer)
LANGUAGE plpgsql
SET enable_bitmapscan = off
SET enable_nestloop = off
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH candidates AS (
    SELECT e.id, e.note_id FROM streaming.events e
    WHERE e.status = 'pending' AND (e.available_at IS NULL OR e.available_at <= now())
    ORDER BY e.id
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  ), locked AS (
    SELECT n.note_id
    FROM (SELECT c.note_id, max(c.id) AS last_id FROM candidates c GROUP BY c.note_id ORDER BY 1) n
    WHERE CASE WHEN EXISTS (SELECT 1 FROM streaming.events p
                            WHERE p.note_id = n.note_id AND p.id < n.last_id AND p.status::text = 'pending'
                              AND (p.available_at IS NULL OR p.available_at <= now())
                              AND p.id NOT IN (SELECT c.id FROM candidates c))
               THEN false
               ELSE pg_try_advisory_xact_lock(7335002, n.note_id) END
  )
  SELECT c.id, c.note_id FROM candidates c JOIN locked l ON l.note_id = c.note_id ORDER BY c.id;
END
$$;
