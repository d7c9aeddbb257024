-- Status changes of notes (open -> close -> reopened, hidden) are announced as they commit, unless
-- `notes_stream.bulk = on`.
CREATE OR REPLACE FUNCTION streaming.notify_status_changes()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  change record;
BEGIN
  IF coalesce(current_setting('notes_stream.bulk', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  FOR change IN
    SELECT n.note_id, o.status AS old_status, n.status AS new_status, n.closed_at
    FROM new_rows n JOIN old_rows o ON o.note_id = n.note_id
    WHERE o.status IS DISTINCT FROM n.status
  LOOP
    PERFORM pg_notify('note_status_changed', json_build_object(
      'note_id', change.note_id, 'old_status', change.old_status,
      'new_status', change.new_status, 'closed_at', change.closed_at)::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER notes_status_notify
  AFTER UPDATE ON public.notes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.notify_status_changes();
