-- The referenced side of the per-statement references (check_comment_references.sql says why
-- they replace foreign keys): a key that a statement removed (delete, or update of the key) must
-- not be referred to any more, and a referenced table is truncated only together with (or
-- after) the table that refers to it. One guard serves every referenced table: its trigger
-- arguments name the key column, the referring table and column, and a singular noun for
-- messages. Its query is built per call (EXECUTE), so it is planned each time: a statement that
-- removed or updated no row returns first (the micro-ETL's hashtag spelling update runs every
-- batch with hashtags and almost always updates nothing; planning the query was 0.14 ms of it).
CREATE OR REPLACE FUNCTION public.check_keys_unreferenced()
RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  key_column text := TG_ARGV[0];
  referrer text := TG_ARGV[1];
  referrer_column text := TG_ARGV[2];
  what text := TG_ARGV[3];
  key bigint;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    -- No transition table: whatever still refers, the whole table may not go.
    EXECUTE format('SELECT 1 FROM %s LIMIT 1', referrer) INTO key;
    IF key IS NOT NULL THEN
      RAISE foreign_key_violation USING TABLE = TG_TABLE_NAME,
        MESSAGE = format('cannot truncate %s: other tables still refer to its rows (truncate them too)', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
  END IF;
  PERFORM FROM old_rows LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  EXECUTE format(
    'SELECT o.%1$I FROM old_rows o
     WHERE NOT EXISTS (SELECT 1 FROM %2$I.%3$I t WHERE t.%1$I = o.%1$I)
       AND EXISTS (SELECT 1 FROM %4$s r WHERE r.%5$I = o.%1$I) LIMIT 1',
    key_column, TG_TABLE_SCHEMA, TG_TABLE_NAME, referrer, referrer_column) INTO key;
  IF key IS NOT NULL THEN
    RAISE foreign_key_violation USING TABLE = TG_TABLE_NAME,
      MESSAGE = format('%s %s is still referred to by %s', what, key, referrer::regclass);
  END IF;
  RETURN NULL;
END $$;

-- public.notes.note_id, referred to by public.note_comments.note_id.
CREATE OR REPLACE TRIGGER notes_referenced_update
  AFTER UPDATE ON public.notes REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('note_id', 'public.note_comments', 'note_id', 'note');
CREATE OR REPLACE TRIGGER notes_referenced_delete
  AFTER DELETE ON public.notes REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('note_id', 'public.note_comments', 'note_id', 'note');
CREATE OR REPLACE TRIGGER notes_referenced_truncate
  AFTER TRUNCATE ON public.notes
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('note_id', 'public.note_comments', 'note_id', 'note');

-- public.users.user_id, referred to by public.note_comments.id_user.
CREATE OR REPLACE TRIGGER users_referenced_update
  AFTER UPDATE ON public.users REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('user_id', 'public.note_comments', 'id_user', 'user');
CREATE OR REPLACE TRIGGER users_referenced_delete
  AFTER DELETE ON public.users REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('user_id', 'public.note_comments', 'id_user', 'user');
CREATE OR REPLACE TRIGGER users_referenced_truncate
  AFTER TRUNCATE ON public.users
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('user_id', 'public.note_comments', 'id_user', 'user');

-- public.countries.country_id, referred to by public.notes.id_country.
CREATE OR REPLACE TRIGGER countries_referenced_update
  AFTER UPDATE ON public.countries REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('country_id', 'public.notes', 'id_country', 'country');
CREATE OR REPLACE TRIGGER countries_referenced_delete
  AFTER DELETE ON public.countries REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('country_id', 'public.notes', 'id_country', 'country');
CREATE OR REPLACE TRIGGER countries_referenced_truncate
  AFTER TRUNCATE ON public.countries
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('country_id', 'public.notes', 'id_country', 'country');

-- dwh.dimension_hashtags.dimension_hashtag_id, referred to by dwh.fact_hashtags.dimension_hashtag_id.
CREATE OR REPLACE TRIGGER dimension_hashtags_referenced_update
  AFTER UPDATE ON dwh.dimension_hashtags REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('dimension_hashtag_id', 'dwh.fact_hashtags', 'dimension_hashtag_id', 'hashtag');
CREATE OR REPLACE TRIGGER dimension_hashtags_referenced_delete
  AFTER DELETE ON dwh.dimension_hashtags REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('dimension_hashtag_id', 'dwh.fact_hashtags', 'dimension_hashtag_id', 'hashtag');
CREATE OR REPLACE TRIGGER dimension_hashtags_referenced_truncate
  AFTER TRUNCATE ON dwh.dimension_hashtags
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced('dimension_hashtag_id', 'dwh.fact_hashtags', 'dimension_hashtag_id', 'hashtag');
