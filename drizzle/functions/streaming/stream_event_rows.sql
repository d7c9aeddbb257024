-- One processed event as subscriptions see it: the comment as written and the fact made of it.
-- Read through streaming.stream_events, whose rows have this view's type (so the view comes
-- first in order.txt; a change to its columns needs DROP VIEW ... CASCADE and stream_events
-- created again).
CREATE OR REPLACE VIEW streaming.stream_event_rows AS
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
