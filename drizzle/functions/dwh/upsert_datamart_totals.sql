-- Adds the batch's per-key totals (pg_temp.etl_key_delta, filled by dwh.apply_deltas) to the
-- three datamarts of whole-history figures: datamart_countries, datamart_users and
-- datamart_global (key 0). Counters move by the delta; first and last action dates can only
-- widen here (apply_deltas narrows them after a removal).
--
-- The upsert is written once, below, and this file creates dwh.upsert_datamart_totals() with
-- one copy of it per datamart, in the order countries, users, global (the order in which
-- concurrent batches lock their rows). A PL/pgSQL statement names its table, and one built at
-- run time (EXECUTE) would be parsed and planned again in every batch, where these static
-- statements keep their plans for the session.
DO $create$
DECLARE
  v_statements text;
BEGIN
  SELECT string_agg(format($upsert$
  INSERT INTO dwh.%1$I AS t (%2$I,
    history_whole_open, history_whole_commented, history_whole_closed,
    history_whole_closed_with_comment, history_whole_reopened, history_whole_hidden,
    notes_still_open, notes_resolved, with_text, sum_comment_length, with_url, with_mention,
    resolved_closes, sum_days_to_resolution, first_action_date, last_action_date)
  SELECT d.key,
         d.history_whole_open, d.history_whole_commented, d.history_whole_closed,
         d.history_whole_closed_with_comment, d.history_whole_reopened, d.history_whole_hidden,
         d.notes_still_open, d.notes_resolved, d.with_text, d.sum_comment_length, d.with_url,
         d.with_mention, d.resolved_closes, d.sum_days_to_resolution, d.first_day, d.last_day
  FROM pg_temp.etl_key_delta d WHERE d.scope = %3$L ORDER BY d.key
  ON CONFLICT (%2$I) DO UPDATE SET
    history_whole_open = t.history_whole_open + EXCLUDED.history_whole_open,
    history_whole_commented = t.history_whole_commented + EXCLUDED.history_whole_commented,
    history_whole_closed = t.history_whole_closed + EXCLUDED.history_whole_closed,
    history_whole_closed_with_comment = t.history_whole_closed_with_comment + EXCLUDED.history_whole_closed_with_comment,
    history_whole_reopened = t.history_whole_reopened + EXCLUDED.history_whole_reopened,
    history_whole_hidden = t.history_whole_hidden + EXCLUDED.history_whole_hidden,
    notes_still_open = t.notes_still_open + EXCLUDED.notes_still_open,
    notes_resolved = t.notes_resolved + EXCLUDED.notes_resolved,
    with_text = t.with_text + EXCLUDED.with_text,
    sum_comment_length = t.sum_comment_length + EXCLUDED.sum_comment_length,
    with_url = t.with_url + EXCLUDED.with_url,
    with_mention = t.with_mention + EXCLUDED.with_mention,
    resolved_closes = t.resolved_closes + EXCLUDED.resolved_closes,
    sum_days_to_resolution = t.sum_days_to_resolution + EXCLUDED.sum_days_to_resolution,
    first_action_date = least(t.first_action_date, EXCLUDED.first_action_date),
    last_action_date = greatest(t.last_action_date, EXCLUDED.last_action_date),
    updated_at = now();
$upsert$, m.datamart, m.key_column, m.scope), '' ORDER BY m.n)
  INTO v_statements
  FROM (VALUES (1, 'datamart_countries', 'dimension_country_id', 'country'),
               (2, 'datamart_users', 'dimension_user_id', 'user'),
               (3, 'datamart_global', 'global_id', 'global')) AS m(n, datamart, key_column, scope);

  EXECUTE format($function$
CREATE OR REPLACE FUNCTION dwh.upsert_datamart_totals()
RETURNS void
LANGUAGE plpgsql
AS $body$
BEGIN%sEND $body$
$function$, v_statements);
END $create$;
