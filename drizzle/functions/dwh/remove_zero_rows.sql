-- Deletes the rows of the additive datamart tables that a batch brought back to zero, for the
-- (scope, key) pairs it touched: a rebuild from the facts would not have them. Runs only when a
-- batch removed something (dwh.apply_deltas).
CREATE OR REPLACE FUNCTION dwh.remove_zero_rows()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  DELETE FROM dwh.datamart_years t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key
    AND t.opened = 0 AND t.commented = 0 AND t.closed = 0 AND t.closed_with_comment = 0
    AND t.reopened = 0 AND t.hidden = 0 AND t.with_text = 0 AND t.sum_comment_length = 0
    AND t.with_url = 0 AND t.with_mention = 0 AND t.resolved_closes = 0 AND t.sum_days_to_resolution = 0;
  DELETE FROM dwh.datamart_resolution_days t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.closes = 0;
  DELETE FROM dwh.datamart_resolution_months t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.closes = 0;
  DELETE FROM dwh.datamart_applications t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.notes = 0;
  DELETE FROM dwh.datamart_activity_days t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.actions = 0;
  DELETE FROM dwh.datamart_hashtags t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.uses = 0;
  DELETE FROM dwh.datamart_note_states t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.notes = 0;
  DELETE FROM dwh.datamart_action_days t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.actions = 0 AND t.with_text = 0;
  DELETE FROM dwh.datamart_action_hours t USING pg_temp.etl_touched k
  WHERE t.scope = k.scope AND t.key = k.key AND t.actions = 0;
  DELETE FROM dwh.datamart_user_countries t USING pg_temp.etl_touched k
  WHERE k.scope = 'user' AND t.dimension_user_id = k.key AND t.actions = 0;
END $$;
