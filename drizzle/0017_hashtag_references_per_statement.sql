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
SELECT public.check_references_with('dwh.fact_hashtags', 'dwh.check_fact_hashtag_references');
--> statement-breakpoint
SELECT public.guard_referenced_keys('dwh.dimension_hashtags', 'dimension_hashtag_id', 'dwh.fact_hashtags',
                                    'dimension_hashtag_id', 'hashtag');
