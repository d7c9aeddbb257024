import type { Config } from '../../config.ts';
import { inTransaction, type Connections } from '../../db/transaction.ts';
import type { Logger } from '../../log.ts';

// Held for the length of one maintenance run, so that only one processor sweeps at a time.
const MAINTENANCE_LOCK = 7_335_004;

/**
 * The safety net (seed 000's periodic batch ETL): notes whose comments and facts disagree and
 * that have no event waiting are queued for reprocessing. Then processed outbox rows older
 * than the retention are deleted (resuming subscribers cannot go back further than that).
 */
export async function runMaintenance(pool: Connections, config: Config, log: Logger): Promise<void> {
  const done = await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      MAINTENANCE_LOCK,
    ]);
    if (!rows[0]?.locked) return null; // another processor is at it
    const repaired = await client.query<{ n: number }>(
      `SELECT streaming.enqueue_reprocess(array_agg(note_id)) AS n
       FROM streaming.integrity_differences() WHERE NOT in_flight`,
    );
    const removed = await client.query(
      `WITH horizon AS (
         SELECT last_position FROM streaming.batches
         WHERE committed_at < now() - make_interval(hours => $1)
         ORDER BY batch_id DESC LIMIT 1
       ), gone AS (
         DELETE FROM streaming.events e USING horizon h
         WHERE e.status = 'done' AND e.position <= h.last_position
       )
       DELETE FROM streaming.batches b USING horizon h WHERE b.last_position <= h.last_position`,
      [config.OUTBOX_RETENTION_HOURS],
    );
    await client.query(`DELETE FROM streaming.processors WHERE heartbeat_at < now() - interval '1 hour'`);
    return { queued: repaired.rows[0]?.n ?? 0, batchesRemoved: removed.rowCount ?? 0 };
  });
  if (!done) return;
  if (done.queued > 0) log.warn({ notes: done.queued }, 'sweep found notes whose facts disagree with their comments; reprocessing');
  if (done.batchesRemoved > 0) log.info({ batches: done.batchesRemoved }, 'old outbox rows removed');
}
