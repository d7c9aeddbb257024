-- Counts a failure of each given event: retry later with exponential backoff (p_base_ms
-- doubled per attempt, at most an hour), or dead-letter after p_max_attempts.
CREATE OR REPLACE FUNCTION streaming.record_failure(p_ids bigint[], p_error text, p_max_attempts integer, p_base_ms integer)
RETURNS TABLE (id bigint, status streaming.event_status, attempts integer)
LANGUAGE sql
AS $$
  UPDATE streaming.events e
  SET attempts = e.attempts + 1,
      last_error = left(p_error, 2000),
      status = CASE WHEN e.attempts + 1 >= p_max_attempts THEN 'dead' ELSE 'pending' END::streaming.event_status,
      available_at = now() + least(p_base_ms * power(2, e.attempts), 3600000) * interval '1 millisecond'
  WHERE e.id = ANY (p_ids) AND e.status = 'pending'
  RETURNING e.id, e.status, e.attempts
$$;
