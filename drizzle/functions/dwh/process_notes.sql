-- The micro-ETL of a set of notes, in the caller's transaction: facts recomputed, deltas built,
-- facts written, datamarts moved by the deltas. Returns the countries and users whose datamart
-- rows changed. The caller holds the notes' advisory locks (streaming.claim_events does), so no
-- other batch works on them meanwhile.
CREATE OR REPLACE FUNCTION dwh.process_notes(p_notes integer[], OUT countries integer[], OUT users integer[])
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM dwh.compute_facts(p_notes);
  PERFORM dwh.build_deltas(p_notes);
  PERFORM dwh.write_facts(p_notes);
  PERFORM dwh.apply_deltas();
  SELECT coalesce(array_agg(t.key ORDER BY t.key) FILTER (WHERE t.scope = 'country'), '{}'),
         coalesce(array_agg(t.key ORDER BY t.key) FILTER (WHERE t.scope = 'user'), '{}')
  INTO countries, users
  FROM pg_temp.etl_touched t;
  PERFORM dwh.clear_etl_tables();
END $$;
