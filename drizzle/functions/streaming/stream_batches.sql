-- The API's read of committed batches after p_after, in batch order, with their countries
-- (ISO codes) and users (OSM user ids). Planned once per connection, for the reasons in
-- stream_events.sql: it drives from the batch id index.
CREATE OR REPLACE FUNCTION streaming.stream_batches(p_after bigint, p_limit integer)
RETURNS TABLE ("batchId" bigint, "firstPosition" bigint, "lastPosition" bigint, countries text[],
               users integer[], "committedAt" timestamptz)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN QUERY
  SELECT b.batch_id, b.first_position, b.last_position,
         coalesce((SELECT array_agg(dc.iso_a2 ORDER BY dc.iso_a2) FROM dwh.dimension_countries dc
                   WHERE dc.dimension_country_id = ANY (b.countries)), '{}'),
         coalesce((SELECT array_agg(du.user_id ORDER BY du.user_id) FROM dwh.dimension_users du
                   WHERE du.dimension_user_id = ANY (b.users)), '{}'),
         b.committed_at
  FROM streaming.batches b WHERE b.batch_id > p_after ORDER BY b.batch_id LIMIT p_limit;
END $$;
