-- fact_hashtags.dimension_hashtag_id -> dimension_hashtags, checked per statement like the base
-- tables' references (public/check_comment_references.sql). The micro-ETL writes a batch's
-- bridge rows in one statement right after upserting their hashtags, and the foreign key's
-- lookup and row lock per row were ~3 % of a 2,000-event batch (alternated batches on copies of
-- one database: medians 169-205 ms with it, 163-200 ms without).
CREATE OR REPLACE FUNCTION dwh.check_fact_hashtag_references()
RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
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

CREATE OR REPLACE TRIGGER fact_hashtags_references_insert
  AFTER INSERT ON dwh.fact_hashtags
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dwh.check_fact_hashtag_references();

CREATE OR REPLACE TRIGGER fact_hashtags_references_update
  AFTER UPDATE ON dwh.fact_hashtags
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dwh.check_fact_hashtag_references();
