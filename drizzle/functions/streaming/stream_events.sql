-- The API's reads of the event stream: events with positions in (p_after, p_up_to], in
-- position (commit) order, at most p_limit, those matching every filter given (hashtags
-- lower-case).
--
-- Unfiltered reads are streaming.stream_tail's (stream_tail.sql), which the API calls directly.
--
-- Planned once per connection. Sent by the API as parameterised statements, PostgreSQL planned
-- them for their parameters ("custom" plans) until it judged a generic plan good enough, and
-- for this nine-table join it often never did: every read was planned again, ~7 ms of a
-- backend's CPU for a read that runs in well under one (at 1,000 events/s the hub's read of the
-- newest events took ~10 ms at the median, most of the delivery latency). Forced to its generic
-- plan, each connection plans the unfiltered read (the hub's) on first use and keeps the plan,
-- which drives from the position index.
--
-- A filtered read (a subscriber's replay) is still planned for its values (EXECUTE): a
-- selective filter (one user, one country, a few followed notes) is cheapest driven from that
-- filter's own index, which only a plan made for the values can choose, and a replay page is
-- large enough to pay for planning.
--
-- p_box is {south, west, north, east} (west > east crosses the antimeridian): the box of an
-- area filter, or a polygon's bounds; the API tests polygons exactly in memory.
DROP FUNCTION IF EXISTS streaming.stream_events(bigint, bigint, integer, text[], integer[], text[], text[], text[]);
CREATE OR REPLACE FUNCTION streaming.stream_events(
  p_after bigint, p_up_to bigint, p_limit integer,
  p_countries text[] DEFAULT NULL, p_users integer[] DEFAULT NULL, p_actions text[] DEFAULT NULL,
  p_applications text[] DEFAULT NULL, p_hashtags text[] DEFAULT NULL,
  p_note_ids integer[] DEFAULT NULL, p_box float8[] DEFAULT NULL)
RETURNS SETOF streaming.stream_event_rows
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF p_countries IS NULL AND p_users IS NULL AND p_actions IS NULL AND p_applications IS NULL
     AND p_hashtags IS NULL AND p_note_ids IS NULL AND p_box IS NULL THEN
    RETURN QUERY SELECT * FROM streaming.stream_tail(p_after, p_up_to, p_limit);
  ELSE
    -- EXECUTE plans for these values, every time.
    RETURN QUERY EXECUTE
      'SELECT * FROM streaming.stream_event_rows r
       WHERE r.position > $1 AND r.position <= $2
         AND ($4 IS NULL OR r."countryCode" = ANY ($4))
         AND ($5 IS NULL OR r."userId" = ANY ($5))
         AND ($6 IS NULL OR r.action::text = ANY ($6))
         AND ($7 IS NULL OR r.application = ANY ($7))
         AND ($8 IS NULL OR r.hashtags && $8)
         AND ($9 IS NULL OR r."noteId" = ANY ($9))
         AND ($10 IS NULL OR (r.latitude BETWEEN $10[1] AND $10[3]
              AND CASE WHEN $10[2] <= $10[4] THEN r.longitude BETWEEN $10[2] AND $10[4]
                       ELSE r.longitude >= $10[2] OR r.longitude <= $10[4] END))
       ORDER BY r.position LIMIT $3'
      USING p_after, p_up_to, p_limit, p_countries, p_users, p_actions, p_applications, p_hashtags,
            p_note_ids, p_box;
  END IF;
END $$;
