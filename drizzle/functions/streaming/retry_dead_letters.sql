-- Puts dead events (all of them when p_ids is NULL) back in the queue and wakes processors.
CREATE OR REPLACE FUNCTION streaming.retry_dead_letters(p_ids bigint[])
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  n integer;
BEGIN
  UPDATE streaming.events e SET status = 'pending', attempts = 0, available_at = NULL
  WHERE e.status = 'dead' AND (p_ids IS NULL OR e.id = ANY (p_ids));
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    PERFORM pg_notify('note_inserted', json_build_object('kind', 'retry', 'count', n)::text);
  END IF;
  RETURN n;
END $$;
