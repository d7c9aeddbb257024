-- notes.id_country -> countries, checked per statement like the comments' references (the
-- reasons are in check_comment_references.sql).
CREATE OR REPLACE FUNCTION public.check_note_references()
RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  bad record;
BEGIN
  SELECT r.note_id, r.id_country INTO bad FROM new_rows r
  WHERE r.id_country IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.countries c WHERE c.country_id = r.id_country) LIMIT 1;
  IF FOUND THEN
    RAISE foreign_key_violation USING TABLE = 'notes', COLUMN = 'id_country',
      MESSAGE = format('note %s: country %s does not exist', bad.note_id, bad.id_country);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER notes_references_insert
  AFTER INSERT ON public.notes
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_note_references();

CREATE OR REPLACE TRIGGER notes_references_update
  AFTER UPDATE ON public.notes
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_note_references();
