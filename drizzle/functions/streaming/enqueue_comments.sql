-- Outbox: every new comment becomes a streaming.events row in the same transaction, and a
-- NOTIFY wakes the processor. A statement-level trigger with a transition table keeps a bulk
-- INSERT at one outbox INSERT and one notification, however many rows it writes.
-- Set `notes_stream.bulk = on` (SET LOCAL) to skip the notifications of a bulk import; the
-- importer then sends one `bulk_import_completed` and the processor drains the outbox.
CREATE OR REPLACE FUNCTION streaming.enqueue_comments()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  first_id bigint;
  last_id bigint;
  n integer;
  one record;
BEGIN
  WITH inserted AS (
    INSERT INTO streaming.events (kind, note_id, sequence_action, event)
    SELECT 'comment', r.note_id, r.sequence_action, r.event FROM new_rows r ORDER BY r.id
    RETURNING id
  )
  SELECT min(id), max(id), count(*) INTO first_id, last_id, n FROM inserted;

  IF n = 0 OR coalesce(current_setting('notes_stream.bulk', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  IF n = 1 THEN
    SELECT * INTO one FROM new_rows;
    PERFORM pg_notify('note_inserted', json_build_object(
      'event_id', first_id, 'note_id', one.note_id, 'sequence_action', one.sequence_action,
      'event', one.event, 'created_at', one.created_at, 'id_user', one.id_user)::text);
  ELSE
    PERFORM pg_notify('note_inserted', json_build_object(
      'event_id', first_id, 'last_event_id', last_id, 'count', n)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER note_comments_enqueue
  AFTER INSERT ON public.note_comments
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.enqueue_comments();
