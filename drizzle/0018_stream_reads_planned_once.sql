-- The API's reads of the event stream, planned once per connection.
--
-- They were parameterised statements sent by the API. PostgreSQL plans such a statement for its
-- parameters ("custom" plans) until it judges a generic plan good enough, and for the nine-table
-- event join it often never did: every read was planned again, ~7 ms of a backend's CPU for a
-- read that runs in well under one. At 1,000 events/s the hub's read of the newest events took
-- ~10 ms at the median, most of the delivery latency. As PL/pgSQL functions forced to their
-- generic plan, each connection plans them on first use and keeps the plan: an unfiltered read
-- (the hub's) drives from the position (or batch id) index.
--
-- A filtered read (a subscriber's replay) is still planned for its values: a selective filter
-- (one user, one country) is cheapest driven from that filter's own index, which only a plan
-- made for the values can choose, and a replay page is large enough to pay for planning.

-- One processed event as subscriptions see it: the comment as written and the fact made of it.
CREATE VIEW streaming.stream_event_rows AS
SELECT e.position, e.kind, e.note_id AS "noteId", e.sequence_action AS "sequenceAction",
       e.created_at AS "enqueuedAt", e.processed_at AS "processedAt",
       c.event AS action, c.created_at AS "actionAt", c.id_user AS "userId", u.username, t.body AS text,
       n.latitude, n.longitude, n.status AS "noteStatus", dc.iso_a2 AS "countryCode",
       a.application_name AS application, v.version AS "applicationVersion",
       coalesce((SELECT array_agg(h.description_lower ORDER BY b.position)
                 FROM dwh.fact_hashtags b JOIN dwh.dimension_hashtags h USING (dimension_hashtag_id)
                 WHERE b.id_note = e.note_id AND b.sequence_action = e.sequence_action), '{}') AS hashtags,
       f.days_to_resolution AS "daysToResolution", f.days_to_resolution_active AS "daysToResolutionActive",
       f.days_to_resolution_from_reopen AS "daysToResolutionFromReopen", f.comment_length AS "commentLength",
       f.has_url AS "hasUrl", f.has_mention AS "hasMention", f.total_actions_on_note AS "totalActionsOnNote"
FROM streaming.events e
LEFT JOIN public.note_comments c ON c.note_id = e.note_id AND c.sequence_action = e.sequence_action
LEFT JOIN public.note_comments_text t ON t.note_id = e.note_id AND t.sequence_action = e.sequence_action
LEFT JOIN public.users u ON u.user_id = c.id_user
LEFT JOIN public.notes n ON n.note_id = e.note_id
LEFT JOIN dwh.facts f ON f.id_note = e.note_id AND f.sequence_action = e.sequence_action
LEFT JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
LEFT JOIN dwh.dimension_applications a ON a.dimension_application_id = f.dimension_application_creation
LEFT JOIN dwh.dimension_application_versions v
  ON v.dimension_application_version_id = f.dimension_application_version;
--> statement-breakpoint
-- Events with positions in (p_after, p_up_to], in position (commit) order, at most p_limit,
-- those matching every filter given (hashtags lower-case).
CREATE FUNCTION streaming.stream_events(
  p_after bigint, p_up_to bigint, p_limit integer,
  p_countries text[] DEFAULT NULL, p_users integer[] DEFAULT NULL, p_actions text[] DEFAULT NULL,
  p_applications text[] DEFAULT NULL, p_hashtags text[] DEFAULT NULL)
RETURNS SETOF streaming.stream_event_rows
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF p_countries IS NULL AND p_users IS NULL AND p_actions IS NULL AND p_applications IS NULL
     AND p_hashtags IS NULL THEN
    RETURN QUERY
    SELECT * FROM streaming.stream_event_rows r
    WHERE r.position > p_after AND r.position <= p_up_to
    ORDER BY r.position LIMIT p_limit;
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
       ORDER BY r.position LIMIT $3'
      USING p_after, p_up_to, p_limit, p_countries, p_users, p_actions, p_applications, p_hashtags;
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION streaming.stream_batches(p_after bigint, p_limit integer)
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
