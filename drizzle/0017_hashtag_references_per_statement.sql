ALTER TABLE "dwh"."fact_hashtags" DROP CONSTRAINT "fact_hashtags_dimension_hashtag_id_dimension_hashtags_dimension_hashtag_id_fk";
--> statement-breakpoint
-- fact_hashtags.dimension_hashtag_id → dimension_hashtags, checked per statement like the base
-- tables' references (migration 0016). The micro-ETL writes a batch's bridge rows in one
-- statement right after upserting their hashtags, and the foreign key's lookup and row lock per
-- row were ~3 % of a 2,000-event batch (alternated batches on copies of one database: medians
-- 169-205 ms with it, 163-200 ms without).
CREATE FUNCTION dwh.check_fact_hashtag_references() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  bad record;
BEGIN
  SELECT r.id_note, r.sequence_action, r.dimension_hashtag_id INTO bad FROM new_rows r
  WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_hashtags h WHERE h.dimension_hashtag_id = r.dimension_hashtag_id) LIMIT 1;
  IF FOUND THEN
    RAISE foreign_key_violation USING TABLE = 'fact_hashtags', COLUMN = 'dimension_hashtag_id',
      MESSAGE = format('hashtag of action %s of note %s: dimension_hashtags %s does not exist',
                       bad.sequence_action, bad.id_note, bad.dimension_hashtag_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
SELECT streaming.patch_function('public.check_keys_unreferenced()',
$old$  END CASE;$old$,
$new$  WHEN 'dimension_hashtags' THEN
    what := 'hashtag';
    referrer := 'dwh.fact_hashtags';
    SELECT o.dimension_hashtag_id INTO key FROM old_rows o
    WHERE NOT EXISTS (SELECT 1 FROM dwh.dimension_hashtags h WHERE h.dimension_hashtag_id = o.dimension_hashtag_id)
      AND EXISTS (SELECT 1 FROM dwh.fact_hashtags b WHERE b.dimension_hashtag_id = o.dimension_hashtag_id) LIMIT 1;
  END CASE;$new$);
--> statement-breakpoint
SELECT streaming.patch_function('public.check_truncate_unreferenced()',
$old$     OR (TG_TABLE_NAME = 'countries' AND EXISTS (SELECT 1 FROM public.notes)) THEN$old$,
$new$     OR (TG_TABLE_NAME = 'countries' AND EXISTS (SELECT 1 FROM public.notes))
     OR (TG_TABLE_NAME = 'dimension_hashtags' AND EXISTS (SELECT 1 FROM dwh.fact_hashtags)) THEN$new$);
--> statement-breakpoint
CREATE TRIGGER fact_hashtags_references_insert AFTER INSERT ON dwh.fact_hashtags
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dwh.check_fact_hashtag_references();
--> statement-breakpoint
CREATE TRIGGER fact_hashtags_references_update AFTER UPDATE ON dwh.fact_hashtags
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dwh.check_fact_hashtag_references();
--> statement-breakpoint
CREATE TRIGGER dimension_hashtags_referenced_update AFTER UPDATE ON dwh.dimension_hashtags
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced();
--> statement-breakpoint
CREATE TRIGGER dimension_hashtags_referenced_delete AFTER DELETE ON dwh.dimension_hashtags
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.check_keys_unreferenced();
--> statement-breakpoint
CREATE TRIGGER dimension_hashtags_referenced_truncate AFTER TRUNCATE ON dwh.dimension_hashtags
  FOR EACH STATEMENT EXECUTE FUNCTION public.check_truncate_unreferenced();
