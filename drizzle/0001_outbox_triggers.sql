-- Outbox triggers: every new comment becomes a streaming.events row in the same transaction,
-- and a NOTIFY wakes the processor. Statement-level triggers with transition tables keep a bulk
-- INSERT at one outbox INSERT and one notification, however many rows it writes.
-- Set `notes_stream.bulk = on` (SET LOCAL) to skip the notifications of a bulk import; the
-- importer then sends one `bulk_import_completed` and the processor drains the outbox.

CREATE FUNCTION streaming.enqueue_comments() RETURNS trigger LANGUAGE plpgsql AS $$
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
--> statement-breakpoint
CREATE TRIGGER note_comments_enqueue
  AFTER INSERT ON public.note_comments
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.enqueue_comments();
--> statement-breakpoint
-- A text written after its comment committed (tools that load texts separately) must reach the
-- fact: it enqueues a 'text' event that reprocesses the note. Texts written in the same
-- transaction as their comment need nothing, the comment's own event covers them.
-- Custom plans: the join's best plan depends on how many rows the statement wrote.
CREATE FUNCTION streaming.enqueue_late_texts() RETURNS trigger LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  n integer;
BEGIN
  INSERT INTO streaming.events (kind, note_id, sequence_action)
  SELECT 'text', t.note_id, t.sequence_action
  FROM new_rows t
  JOIN public.note_comments c ON c.note_id = t.note_id AND c.sequence_action = t.sequence_action
  WHERE c.xmin <> pg_current_xact_id()::xid;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 AND coalesce(current_setting('notes_stream.bulk', true), '') <> 'on' THEN
    PERFORM pg_notify('note_inserted', json_build_object('kind', 'text', 'count', n)::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER note_comments_text_enqueue_insert
  AFTER INSERT ON public.note_comments_text
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.enqueue_late_texts();
--> statement-breakpoint
CREATE TRIGGER note_comments_text_enqueue_update
  AFTER UPDATE ON public.note_comments_text
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.enqueue_late_texts();
--> statement-breakpoint
-- Status changes of notes (opened → close → reopened, hidden) are announced as they commit.
CREATE FUNCTION streaming.notify_status_changes() RETURNS trigger LANGUAGE plpgsql AS $$
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
--> statement-breakpoint
CREATE TRIGGER notes_status_notify
  AFTER UPDATE ON public.notes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.notify_status_changes();
