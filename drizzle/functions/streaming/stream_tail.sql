-- The unfiltered read of the event stream: events with positions in (p_after, p_up_to], in
-- position order, at most p_limit. The stream hub's live tail and unfiltered replays read it
-- (streaming.stream_events hands its unfiltered calls here).
--
-- Planned once per connection, as a generic plan (stream_events.sql says why), and in the view's
-- written join order: from the position index, then each joined row by its key, the plan the
-- planner chose anyway. Searching the join orders of the nine tables took 3-4.5 ms against
-- 0.9-1.1 ms, and a connection plans again whenever an ANALYZE of one of the tables (the
-- processor's statistics refresh, autovacuum) invalidates its plan: on the latency floor those
-- replans were the slowest deliveries, the hub's read 13.6-15.7 ms instead of ~1.7.
CREATE OR REPLACE FUNCTION streaming.stream_tail(p_after bigint, p_up_to bigint, p_limit integer)
RETURNS SETOF streaming.stream_event_rows
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
SET join_collapse_limit = 1
SET from_collapse_limit = 1
AS $$
BEGIN
  RETURN QUERY
  SELECT * FROM streaming.stream_event_rows r
  WHERE r.position > p_after AND r.position <= p_up_to
  ORDER BY r.position LIMIT p_limit;
END $$;
