-- The API's reads of the event stream, planned once per connection.
--
-- They were parameterised statements sent by the API. PostgreSQL plans such a statement for its
-- parameters ("custom" plans) until it judges a generic plan good enough, and for the nine-table
-- event join it often never did: every read was planned again, ~7 ms of a backend's CPU for a
-- read that runs in well under one. In the 1,000 events/s benchmark the hub's read of the newest
-- events took 7 ms at the median (32 ms at p99), most of the delivery latency. As PL/pgSQL
-- functions forced to their generic plan, each connection plans them on first use and keeps
-- the plan: every read drives from the position (or batch id) index, whatever the arguments.
--
-- The hashtag filter compares the event's hashtag array (built for the result anyway) instead
-- of an EXISTS over fact_hashtags, which a generic plan would turn into a hashed scan of the
-- whole bridge table.
CREATE FUNCTION streaming.stream_events(
  p_after bigint, p_up_to bigint, p_limit integer,
  p_countries text[] DEFAULT NULL, p_users integer[] DEFAULT NULL, p_actions text[] DEFAULT NULL,
  p_applications text[] DEFAULT NULL, p_hashtags text[] DEFAULT NULL)
RETURNS TABLE (
  "position" bigint, kind text, "noteId" integer, "sequenceAction" integer,
  "enqueuedAt" timestamptz, "processedAt" timestamptz,
  action public.note_event_enum, "actionAt" timestamptz, "userId" integer, username varchar,
  text text, latitude double precision, longitude double precision,
  "noteStatus" public.note_status_enum, "countryCode" text, application text,
  "applicationVersion" text, hashtags text[],
  "daysToResolution" integer, "daysToResolutionActive" integer, "daysToResolutionFromReopen" integer,
  "commentLength" integer, "hasUrl" boolean, "hasMention" boolean, "totalActionsOnNote" integer)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT x.* FROM (
    SELECT e.position, e.kind, e.note_id, e.sequence_action, e.created_at, e.processed_at,
           c.event, c.created_at, c.id_user, u.username, t.body,
           n.latitude, n.longitude, n.status, dc.iso_a2, a.application_name, v.version,
           coalesce((SELECT array_agg(h.description_lower ORDER BY b.position)
                     FROM dwh.fact_hashtags b JOIN dwh.dimension_hashtags h USING (dimension_hashtag_id)
                     WHERE b.id_note = e.note_id AND b.sequence_action = e.sequence_action), '{}') AS tags,
           f.days_to_resolution, f.days_to_resolution_active, f.days_to_resolution_from_reopen,
           f.comment_length, f.has_url, f.has_mention, f.total_actions_on_note
    FROM streaming.events e
    LEFT JOIN public.note_comments c ON c.note_id = e.note_id AND c.sequence_action = e.sequence_action
    LEFT JOIN public.note_comments_text t ON t.note_id = e.note_id AND t.sequence_action = e.sequence_action
    LEFT JOIN public.users u ON u.user_id = c.id_user
    LEFT JOIN public.notes n ON n.note_id = e.note_id
    LEFT JOIN dwh.facts f ON f.id_note = e.note_id AND f.sequence_action = e.sequence_action
    LEFT JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
    LEFT JOIN dwh.dimension_applications a ON a.dimension_application_id = f.dimension_application_creation
    LEFT JOIN dwh.dimension_application_versions v
      ON v.dimension_application_version_id = f.dimension_application_version
    WHERE e.position > p_after AND e.position <= p_up_to
      AND (p_countries IS NULL OR dc.iso_a2 = ANY (p_countries))
      AND (p_users IS NULL OR c.id_user = ANY (p_users))
      AND (p_actions IS NULL OR c.event::text = ANY (p_actions))
      AND (p_applications IS NULL OR a.application_name = ANY (p_applications))
  ) x
  WHERE p_hashtags IS NULL OR x.tags && p_hashtags
  ORDER BY x.position
  LIMIT p_limit;
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
