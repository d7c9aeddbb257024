-- Runs the micro-ETL for the claimed events' notes, marks them done with stream positions and
-- records the batch; the caller announces it (fact_processed, datamart_updated) once committed.
-- Positions and batch ids are given under one advisory lock that is held until the caller
-- commits, so they increase in commit order across processors: a reader that sees position p
-- has already seen every position below it (DESIGN rule 5).
--
-- A batch of at most p_hand_over events also returns what the stream hub would read of it
-- (`stream`: the batch as streaming.stream_batches gives it and its events as stream_tail does),
-- so that a hub in the processor's own process delivers it without a read of its own. Built
-- here it costs ~0.1 ms of the transaction; the hub's two reads after the commit took 1.3-1.7 ms
-- of a one-event delivery.
--
-- Settings: those of streaming.claim_and_process, which calls it, for the reasons measured in
-- claim_and_process.sql (generic plans allowed, random_page_cost = 1.1, no JIT).
DROP FUNCTION IF EXISTS streaming.process_events(bigint[], text, timestamptz);
CREATE OR REPLACE FUNCTION streaming.process_events(p_ids bigint[], p_processor text, p_started timestamptz,
                                                   p_hand_over integer DEFAULT 0)
RETURNS TABLE (batch_id bigint, first_position bigint, last_position bigint, events integer,
               countries integer[], users integer[], lags_ms double precision[], stream json)
LANGUAGE plpgsql
SET plan_cache_mode = auto
SET random_page_cost = 1.1
SET jit = off
AS $$
DECLARE
  bad record;
  v_notes integer[];
  v_countries integer[];
  v_users integer[];
  v_batch bigint;
  v_first bigint;
  v_last bigint;
  v_count integer;
  v_lags double precision[];
  v_stream json;
BEGIN
  -- Events of an unknown kind or whose note is missing fail the batch. The note is looked up
  -- by a scalar subquery, one index probe per event: as NOT EXISTS the planner made it a hashed
  -- subplan over the whole notes table once a batch held a few hundred events (29-46 ms a batch
  -- at 60,000 notes, growing with the table, against under 2 ms).
  SELECT e.id, e.kind, e.note_id INTO bad
  FROM streaming.events e
  WHERE e.id = ANY (p_ids)
    AND (e.kind NOT IN ('comment', 'text', 'reprocess')
         OR (SELECT n.note_id FROM public.notes n WHERE n.note_id = e.note_id) IS NULL)
  ORDER BY e.id LIMIT 1;
  IF FOUND THEN
    IF bad.kind NOT IN ('comment', 'text', 'reprocess') THEN
      RAISE EXCEPTION 'event % has unknown kind "%"', bad.id, bad.kind USING ERRCODE = 'data_exception';
    END IF;
    RAISE EXCEPTION 'event % refers to note %, which does not exist', bad.id, bad.note_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;

  SELECT array_agg(DISTINCT e.note_id) INTO v_notes FROM streaming.events e WHERE e.id = ANY (p_ids);
  SELECT p.countries, p.users INTO v_countries, v_users FROM dwh.process_notes(v_notes) p;

  PERFORM pg_advisory_xact_lock(7335003);
  WITH ordered AS (
    SELECT x.id, nextval('streaming.position_seq') AS position
    FROM (SELECT DISTINCT unnest(p_ids) AS id ORDER BY 1) x
  ), done AS (
    UPDATE streaming.events e
    SET status = 'done', processed_at = clock_timestamp(), position = o.position, last_error = NULL
    FROM ordered o WHERE e.id = o.id
    RETURNING e.position, 1000 * extract(epoch FROM e.processed_at - e.created_at) AS lag
  )
  SELECT min(d.position), max(d.position), count(*), array_agg(d.lag::double precision)
  INTO v_first, v_last, v_count, v_lags FROM done d;
  v_batch := nextval('streaming.batch_seq');
  INSERT INTO streaming.batches (batch_id, processor_id, events, first_position, last_position,
                                 countries, users, started_at, committed_at)
  VALUES (v_batch, p_processor, v_count, v_first, v_last, v_countries, v_users, p_started, clock_timestamp());

  IF v_count <= p_hand_over THEN
    v_stream := json_build_object(
      'batch', (SELECT row_to_json(b) FROM streaming.stream_batches(v_batch - 1, 1) b),
      'events', (SELECT json_agg(t ORDER BY t.position) FROM streaming.stream_tail(v_first - 1, v_last, v_count) t));
  END IF;

  -- No NOTIFY here: the caller announces the batch after its commit (src/streaming/processor/
  -- announce.ts). A transaction that notifies takes one lock shared by every notifying transaction
  -- of the server at commit and holds it through its WAL flush, so every writer whose trigger notifies waited behind the batch's
  -- commit, and the batch behind theirs.
  RETURN QUERY SELECT v_batch, v_first, v_last, v_count, v_countries, v_users, v_lags, v_stream;
END $$;
