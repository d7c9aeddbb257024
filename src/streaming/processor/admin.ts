import type pg from 'pg';
import { inTransaction } from '../../db/transaction.ts';

/**
 * Recomputes every datamart from the facts (batches wait meanwhile), and says so on
 * datamart_updated at commit: API processes drop the answers they cached.
 */
export async function rebuildDatamarts(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, (client) =>
    client.query(
      `SELECT dwh.rebuild_datamarts();
       SELECT pg_notify('datamart_updated', json_build_object('batch', 0, 'position', NULL, 'rebuild', true)::text)`,
    ),
  );
}

/** Queues the notes for reprocessing; returns how many were queued (unknown ids are skipped). */
export async function reprocessNotes(pool: pg.Pool, noteIds: number[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT streaming.enqueue_reprocess($1::int[]) AS n', [noteIds]);
  return rows[0]!.n;
}

/** Queues every note with an id in [from, to] for reprocessing, in chunks. */
export async function reprocessRange(pool: pg.Pool, from: number, to: number): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT streaming.enqueue_reprocess(array_agg(note_id)) AS n FROM notes WHERE note_id BETWEEN $1 AND $2`,
    [from, to],
  );
  return rows[0]!.n ?? 0;
}

/** Puts dead events back in the queue (all of them when ids is null); returns how many. */
export async function retryDeadLetters(pool: pg.Pool, ids: number[] | null): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT streaming.retry_dead_letters($1::bigint[]) AS n', [ids]);
  return rows[0]!.n;
}

export interface IntegrityReport {
  commentsWithoutFact: number;
  factsWithoutComment: number;
  notesAffected: number;
  /** Part of the above on notes that have events waiting: work in flight, not damage. */
  notesInFlight: number;
}

export async function integrityReport(pool: pg.Pool): Promise<IntegrityReport> {
  const { rows } = await pool.query<IntegrityReport>(
    `SELECT coalesce(sum(comments_without_fact), 0)::int AS "commentsWithoutFact",
            coalesce(sum(facts_without_comment), 0)::int AS "factsWithoutComment",
            count(*)::int AS "notesAffected",
            count(*) FILTER (WHERE in_flight)::int AS "notesInFlight"
     FROM streaming.integrity_differences()`,
  );
  return rows[0]!;
}
