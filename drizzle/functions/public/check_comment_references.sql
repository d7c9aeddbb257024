-- References between base tables are checked per statement by triggers, not per row by
-- foreign keys. A foreign key checks each inserted row with its own query and locks the row it
-- refers to: ~9 us of PostgreSQL CPU per comment, a quarter of a bulk import's. These triggers
-- check a whole statement's rows at once through the same indexes (a 12,000-comment batch: ~20
-- ms instead of ~150 ms) and fail with foreign_key_violation (SQLSTATE 23503) as the foreign
-- keys did.
--
-- What they give up is the row lock: a transaction that deletes a note while another one, not
-- yet committed, adds a comment to it can leave that comment without its note. Nothing in
-- notes-stream deletes notes, users or countries (OSM hides notes; users are renamed).
--
-- Plans are cached for the session and the transition tables have no statistics, so joins are
-- kept to nested loops over the indexes, whose cost follows the statement, not the table. These
-- checks run on every insert, single-row live commits included, so each is written out as
-- static SQL that keeps its cached plan. The other side, keys removed from the referenced
-- tables, is guarded by public.check_keys_unreferenced.
--
-- This one: note_comments.note_id -> notes and note_comments.id_user -> users.
CREATE OR REPLACE FUNCTION public.check_comment_references()
RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  bad record;
BEGIN
  SELECT r.note_id, r.sequence_action INTO bad FROM new_rows r
  WHERE NOT EXISTS (SELECT 1 FROM public.notes n WHERE n.note_id = r.note_id) LIMIT 1;
  IF FOUND THEN
    RAISE foreign_key_violation USING TABLE = 'note_comments', COLUMN = 'note_id',
      MESSAGE = format('comment %s of note %s: note %s does not exist', bad.sequence_action, bad.note_id, bad.note_id);
  END IF;
  SELECT r.note_id, r.sequence_action, r.id_user INTO bad FROM new_rows r
  WHERE r.id_user IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.users u WHERE u.user_id = r.id_user) LIMIT 1;
  IF FOUND THEN
    RAISE foreign_key_violation USING TABLE = 'note_comments', COLUMN = 'id_user',
      MESSAGE = format('comment %s of note %s: user %s does not exist', bad.sequence_action, bad.note_id, bad.id_user);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER note_comments_references_insert
  AFTER INSERT ON public.note_comments
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_comment_references();

CREATE OR REPLACE TRIGGER note_comments_references_update
  AFTER UPDATE ON public.note_comments
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_comment_references();
