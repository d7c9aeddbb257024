ALTER TABLE "note_comments" DROP CONSTRAINT "note_comments_note_id_notes_note_id_fk";
--> statement-breakpoint
ALTER TABLE "note_comments" DROP CONSTRAINT "note_comments_id_user_users_user_id_fk";
--> statement-breakpoint
ALTER TABLE "notes" DROP CONSTRAINT "notes_id_country_countries_country_id_fk";
--> statement-breakpoint
-- The three foreign keys of the base tables become checks per statement. A foreign key checks
-- each inserted row with its own query and locks the row it refers to: ~9 µs of PostgreSQL CPU
-- per comment, a quarter of a bulk import's. These triggers check a whole statement's rows at
-- once through the same indexes (a 12,000-comment batch: ~20 ms instead of ~150 ms) and fail
-- with foreign_key_violation (SQLSTATE 23503) as the foreign keys did.
--
-- What they give up is the row lock: a transaction that deletes a note while another one,
-- not yet committed, adds a comment to it can leave that comment without its note. Nothing in
-- notes-stream deletes notes, users or countries (OSM hides notes; users are renamed).
--
-- Plans are cached for the session and the transition tables have no statistics, so joins are
-- kept to nested loops over the indexes, whose cost follows the statement, not the table. These
-- checks run on every insert, single-row live commits included, so each is written out as
-- static SQL that keeps its cached plan; the guard of the referenced side, below, runs only on
-- deletes and key updates and is one function built from trigger arguments.
CREATE FUNCTION public.check_comment_references() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
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
--> statement-breakpoint
CREATE FUNCTION public.check_note_references() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
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
--> statement-breakpoint
-- The other side: a key that a statement removed (delete, or update of the key) must not be
-- referred to any more, and a referenced table is truncated only together with (or after) the
-- table that refers to it. One guard serves every referenced table: its trigger arguments name
-- the key column, the referring table and column, and a singular noun for messages. Its query
-- is built per call (EXECUTE): it runs only when referenced rows are deleted or updated, never
-- on the insert path, so planning it each time costs nothing that matters.
CREATE FUNCTION public.check_keys_unreferenced() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
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
--> statement-breakpoint
-- Puts the guard on a referenced table: after UPDATE and DELETE (over the old rows) and after
-- TRUNCATE. Used here for notes, users and countries, and by later migrations.
CREATE FUNCTION public.guard_referenced_keys(p_table regclass, p_key text, p_referrer regclass,
                                             p_referrer_column text, p_what text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  name text := (SELECT relname FROM pg_class WHERE oid = p_table);
  args text := format('%L, %L, %L, %L', p_key,
                      (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
                       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_referrer),
                      p_referrer_column, p_what);
  op text;
BEGIN
  FOREACH op IN ARRAY ARRAY['update', 'delete'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced(%s)',
                   name || '_referenced_' || op, upper(op), p_table, args);
  END LOOP;
  EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s
                  FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced(%s)',
                 name || '_referenced_truncate', p_table, args);
END $$;
--> statement-breakpoint
SELECT public.guard_referenced_keys('public.notes', 'note_id', 'public.note_comments', 'note_id', 'note');
--> statement-breakpoint
SELECT public.guard_referenced_keys('public.users', 'user_id', 'public.note_comments', 'id_user', 'user');
--> statement-breakpoint
SELECT public.guard_referenced_keys('public.countries', 'country_id', 'public.notes', 'id_country', 'country');
--> statement-breakpoint
-- Puts a referencing table's check after INSERT and after UPDATE (over the new rows).
CREATE FUNCTION public.check_references_with(p_table regclass, p_check regproc) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  name text := (SELECT relname FROM pg_class WHERE oid = p_table);
  op text;
BEGIN
  FOREACH op IN ARRAY ARRAY['insert', 'update'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION %s()',
                   name || '_references_' || op, upper(op), p_table, p_check);
  END LOOP;
END $$;
--> statement-breakpoint
SELECT public.check_references_with('public.note_comments', 'public.check_comment_references');
--> statement-breakpoint
SELECT public.check_references_with('public.notes', 'public.check_note_references');
