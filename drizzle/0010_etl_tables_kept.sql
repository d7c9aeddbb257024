-- The batch's work tables keep their storage across commits.
--
-- They were ON COMMIT DELETE ROWS, so every commit of a batch truncated all twelve (and rebuilt
-- etl_apps' index). That invalidated the cached plans of every statement that reads them, and
-- the next batch planned ~80 statements again. A one-event batch took 9.8 ms, 4.6 ms of it for
-- the truncation and the replanning (pgbench, one client, one comment then one
-- claim_and_process per transaction: 9.8 ms before, 5.2 ms after).
--
-- dwh.clear_etl_tables already empties them after each use, so nothing is left behind by a
-- commit, and a rollback discards its rows anyway. DELETE leaves the space of the rows behind,
-- though, and nothing vacuums temporary tables, so new rows always go after the old ones. Once
-- the tables hold more than 4 MB, clear_etl_tables truncates them instead (one replanning per
-- few hundred small batches, and after every datamart rebuild).
DO $$
DECLARE
  v_definition text := pg_get_functiondef('dwh.ensure_etl_tables()'::regprocedure);
  v_old constant text := 'ON COMMIT DELETE ROWS';
  v_count integer := (length(v_definition) - length(replace(v_definition, v_old, ''))) / length(v_old);
BEGIN
  IF v_count <> 12 THEN
    RAISE EXCEPTION 'dwh.ensure_etl_tables: expected 12 ON COMMIT DELETE ROWS tables, found %', v_count;
  END IF;
  EXECUTE replace(v_definition, v_old, 'ON COMMIT PRESERVE ROWS');
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dwh.clear_etl_tables() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Main forks only (a third of the cost of pg_table_size), but with etl_source's TOAST: only
  -- comment texts are long enough to be stored there.
  IF pg_table_size('pg_temp.etl_source')
     + (SELECT sum(pg_relation_size(t)) FROM unnest('{pg_temp.etl_apps, pg_temp.etl_tags,
          pg_temp.etl_facts, pg_temp.etl_fact_delta, pg_temp.etl_tag_delta, pg_temp.etl_states,
          pg_temp.etl_state_delta, pg_temp.etl_fact_keys, pg_temp.etl_touched, pg_temp.etl_key_delta,
          pg_temp.etl_fix}'::regclass[]) t) > 4 * 1024 * 1024 THEN
    TRUNCATE pg_temp.etl_source, pg_temp.etl_apps, pg_temp.etl_tags, pg_temp.etl_facts,
      pg_temp.etl_fact_delta, pg_temp.etl_tag_delta, pg_temp.etl_states, pg_temp.etl_state_delta,
      pg_temp.etl_fact_keys, pg_temp.etl_touched, pg_temp.etl_key_delta, pg_temp.etl_fix;
    RETURN;
  END IF;
  DELETE FROM pg_temp.etl_source; DELETE FROM pg_temp.etl_apps; DELETE FROM pg_temp.etl_tags;
  DELETE FROM pg_temp.etl_facts; DELETE FROM pg_temp.etl_fact_delta; DELETE FROM pg_temp.etl_tag_delta;
  DELETE FROM pg_temp.etl_states; DELETE FROM pg_temp.etl_state_delta; DELETE FROM pg_temp.etl_fact_keys;
  DELETE FROM pg_temp.etl_touched; DELETE FROM pg_temp.etl_key_delta; DELETE FROM pg_temp.etl_fix;
END $$;
--> statement-breakpoint
-- Two SQL functions that every batch calls, rewritten in PL/pgSQL, which keeps their plans for
-- the session: PostgreSQL parses and plans a SQL function's body on each call when it cannot
-- inline it (claim_events is volatile; median_days is called with a subquery argument). That
-- was ~0.2 ms a call, 0.8 ms of a one-event batch (three median_days calls, one claim_events).
-- The helper turns a stored single-query SQL function into a PL/pgSQL one that returns that
-- query (signature, settings and body kept), so the bodies are not repeated here.
CREATE FUNCTION streaming.rewrite_in_plpgsql(p_function regprocedure) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_definition text := pg_get_functiondef(p_function);
  v_head text := substring(v_definition for position('AS $function$' in v_definition) - 1);
  v_body text := rtrim(substring(v_definition from '\$function\$(.*)\$function\$'), E' \n;');
BEGIN
  IF position(E'\n LANGUAGE sql\n' in v_head) = 0 OR v_body IS NULL THEN
    RAISE EXCEPTION 'rewrite_in_plpgsql: % is not a SQL-language function', p_function;
  END IF;
  EXECUTE replace(v_head, E'\n LANGUAGE sql\n', E'\n LANGUAGE plpgsql\n')
    || E'AS $function$\n#variable_conflict use_column\nBEGIN\n  RETURN QUERY' || v_body || E';\nEND\n$function$';
END $$;
--> statement-breakpoint
SELECT streaming.rewrite_in_plpgsql('dwh.median_days(dwh.datamart_scope, integer[])');
--> statement-breakpoint
SELECT streaming.rewrite_in_plpgsql('streaming.claim_events(integer)');
--> statement-breakpoint
-- claim_events also no longer splits a note's actions out of order. Two claims run at once: one
-- row-locks a note's first event, the other skips that row (SKIP LOCKED) and locks the next
-- two, and whichever takes the note's advisory lock first processes what it holds. When the
-- second won, the note's later actions entered the stream before its first (or, with the
-- claims interleaved the other way, its third before its second). Now a claim leaves a note
-- alone when an event of it that could be claimed, older than one it holds, is not among its
-- own (another claim holds it): a note's events are processed oldest first, without gaps.
-- Events waiting out a retry delay do not hold the note up.
SELECT streaming.patch_function('streaming.claim_events(integer)',
$old$    SELECT n.note_id FROM (SELECT DISTINCT c.note_id FROM candidates c ORDER BY 1) n
    WHERE pg_try_advisory_xact_lock(7335002, n.note_id)$old$,
$new$    SELECT n.note_id
    FROM (SELECT c.note_id, max(c.id) AS last_id FROM candidates c GROUP BY c.note_id ORDER BY 1) n
    WHERE CASE WHEN EXISTS (SELECT 1 FROM streaming.events p
                            WHERE p.note_id = n.note_id AND p.id < n.last_id AND p.status = 'pending'
                              AND (p.available_at IS NULL OR p.available_at <= now())
                              AND p.id NOT IN (SELECT c.id FROM candidates c))
               THEN false
               ELSE pg_try_advisory_xact_lock(7335002, n.note_id) END$new$);
