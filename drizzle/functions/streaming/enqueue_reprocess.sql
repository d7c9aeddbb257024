-- Enqueues a reprocessing of the given notes (those that exist and have no reprocessing
-- waiting already); the processors recompute their facts and datamart rows.
CREATE OR REPLACE FUNCTION streaming.enqueue_reprocess(p_notes integer[])
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  n integer;
BEGIN
  INSERT INTO streaming.events (kind, note_id)
  SELECT 'reprocess', x.note_id
  FROM (SELECT DISTINCT unnest(p_notes) AS note_id ORDER BY 1) x
  WHERE EXISTS (SELECT 1 FROM public.notes n WHERE n.note_id = x.note_id)
    AND NOT EXISTS (SELECT 1 FROM streaming.events e
                    WHERE e.note_id = x.note_id AND e.kind = 'reprocess' AND e.status = 'pending');
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    PERFORM pg_notify('note_inserted', json_build_object('kind', 'reprocess', 'count', n)::text);
  END IF;
  RETURN n;
END $$;
