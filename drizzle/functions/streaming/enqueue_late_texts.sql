-- A text written after its comment committed (tools that load texts separately) must reach the
-- fact: it enqueues a 'text' event that reprocesses the note. Texts written in the same
-- transaction as their comment need nothing, the comment's own event covers them.
--
-- Custom plans: the join's best plan depends on how many rows the statement wrote.
-- random_page_cost = 1.1 for the reason measured in streaming/claim_and_process.sql (index
-- probes rather than hashing whole tables).
CREATE OR REPLACE FUNCTION streaming.enqueue_late_texts()
RETURNS trigger
LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan
SET random_page_cost = 1.1
AS $$
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

CREATE OR REPLACE TRIGGER note_comments_text_enqueue_insert
  AFTER INSERT ON public.note_comments_text
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.enqueue_late_texts();

CREATE OR REPLACE TRIGGER note_comments_text_enqueue_update
  AFTER UPDATE ON public.note_comments_text
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION streaming.enqueue_late_texts();
