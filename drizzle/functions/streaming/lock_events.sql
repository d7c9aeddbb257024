-- Locks given events again (after a failed batch is split, to process its events in smaller
-- groups); returns those still pending whose notes could be locked.
CREATE OR REPLACE FUNCTION streaming.lock_events(p_ids bigint[])
RETURNS TABLE (id bigint, note_id integer)
LANGUAGE sql
AS $$
  WITH candidates AS (
    SELECT e.id, e.note_id FROM streaming.events e
    WHERE e.id = ANY (p_ids) AND e.status = 'pending'
    ORDER BY e.id
    FOR UPDATE SKIP LOCKED
  ), locked AS (
    SELECT n.note_id FROM (SELECT DISTINCT c.note_id FROM candidates c ORDER BY 1) n
    WHERE pg_try_advisory_xact_lock(7335002, n.note_id)
  )
  SELECT c.id, c.note_id FROM candidates c JOIN locked l ON l.note_id = c.note_id ORDER BY c.id
$$;
