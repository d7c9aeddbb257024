-- Base tables against facts (the integrity check "comments in base tables equal facts"): the
-- notes whose comments have no fact or whose facts have no comment. Differences of notes with
-- events still waiting are normal (work in flight) and reported apart.
CREATE OR REPLACE FUNCTION streaming.integrity_differences()
RETURNS TABLE (note_id integer, comments_without_fact integer, facts_without_comment integer,
               in_flight boolean)
LANGUAGE sql STABLE
AS $$
  WITH missing AS (
    SELECT c.note_id, count(*)::integer AS n FROM public.note_comments c
    WHERE NOT EXISTS (SELECT 1 FROM dwh.facts f WHERE f.id_note = c.note_id AND f.sequence_action = c.sequence_action)
    GROUP BY c.note_id
  ), orphans AS (
    SELECT f.id_note AS note_id, count(*)::integer AS n FROM dwh.facts f
    WHERE NOT EXISTS (SELECT 1 FROM public.note_comments c WHERE c.note_id = f.id_note AND c.sequence_action = f.sequence_action)
    GROUP BY f.id_note
  )
  SELECT d.note_id, coalesce(m.n, 0), coalesce(o.n, 0),
         EXISTS (SELECT 1 FROM streaming.events e WHERE e.note_id = d.note_id AND e.status = 'pending')
  FROM (SELECT note_id FROM missing UNION SELECT note_id FROM orphans) d
  LEFT JOIN missing m ON m.note_id = d.note_id
  LEFT JOIN orphans o ON o.note_id = d.note_id
$$;
