import type pg from 'pg';
import type { Logger } from '../../log.ts';
import type { BatchResult } from './batch-result.ts';

// Longer id lists are left out of datamart_updated (flag "more"), so that a payload never nears
// the 8,000-byte NOTIFY limit; listeners read rows anyway.
const MAX_IDS = 200;

/**
 * Announces committed batches (fact_processed, and datamart_updated when they touched a country
 * or user) in a transaction of their own, after the batches' commit.
 *
 * Why not in the batch's transaction: PostgreSQL serialises the commits of every transaction that
 * issued NOTIFY on one lock, held through the commit's WAL flush. Notifying inside the batch
 * made writers (whose outbox trigger notifies) wait for the batch's flush and the batch for
 * theirs. This transaction writes no data, so it commits without waiting for the flush
 * (synchronous_commit off): a crash can lose the notification, never data, and a lost
 * notification costs listeners one poll (they read rows, never payloads). A failure here is
 * logged, not raised: the batch has committed.
 */
export async function announceBatches(client: pg.PoolClient, batches: readonly BatchResult[], log: Logger): Promise<void> {
  if (batches.length === 0) return;
  const statements = ['SET LOCAL synchronous_commit = off'];
  for (const batch of batches) {
    const notify = (channel: string, payload: object) =>
      `SELECT pg_notify('${channel}', ${client.escapeLiteral(JSON.stringify(payload))})`;
    statements.push(notify('fact_processed', { batch: batch.batchId, from: batch.firstPosition, to: batch.lastPosition, events: batch.events }));
    const countries = batch.countries ?? [];
    const users = batch.users ?? [];
    if (countries.length + users.length > 0) {
      statements.push(
        notify('datamart_updated', {
          batch: batch.batchId,
          position: batch.lastPosition,
          global: true,
          countries: countries.length <= MAX_IDS ? countries : null,
          users: users.length <= MAX_IDS ? users : null,
          more: countries.length > MAX_IDS || users.length > MAX_IDS,
        }),
      );
    }
  }
  // One simple query: its statements run as one implicit transaction, in one round trip.
  await client.query(statements.join(';\n')).catch((error: unknown) => log.warn({ err: error }, 'a committed batch could not be announced'));
}
