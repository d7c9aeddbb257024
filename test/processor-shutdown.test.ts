// Stopping a processor under load: it stops claiming at once, and a batch in flight that cannot
// finish within the stop grace (here: blocked by a lock on the facts table) is cancelled. It
// rolls back, its events stay pending with no attempt counted, and the next processor takes them.
import { afterAll, describe, expect, it } from 'vitest';
import { STOP_GRACE_MS, type Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { eventually } from './helpers/wait.ts';

/** main.ts exits the process this long after a stop signal, whatever is still running. */
const SHUTDOWN_DEADLINE_MS = 5_000;
const NOTES = 300;

const testDb = useTestDatabase();
const started: Processor[] = [];

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
});

function notes(): FixtureNote[] {
  return Array.from({ length: NOTES }, (_, i) => ({
    id: 31_000 + i,
    lat: 48.85,
    lon: 2.35,
    comments: [{ action: 'opened' as const, at: '2025-04-01T10:00:00Z', text: 'blocked', uid: 3, user: 'three' }],
  }));
}

async function outbox() {
  const { rows } = await testDb.database.pool.query<{ status: string; attempts: number; n: number }>(
    `SELECT status::text, attempts, count(*)::int AS n FROM streaming.events GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return rows;
}

describe('processor stop', () => {
  it('cancels a batch that outlasts the grace; its events stay pending and are processed later', async () => {
    const processor = await startProcessor(testDb);
    started.push(processor);
    // Hold a lock that every batch's fact inserts wait for.
    const blocker = await testDb.database.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE dwh.facts IN SHARE ROW EXCLUSIVE MODE');
      await insertNotes(testDb.database.pool, notes());
      await eventually(
        async () => {
          const { rows } = await testDb.database.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = 'facts' AND NOT l.granted`,
          );
          return rows[0]!.n > 0;
        },
        { what: 'a batch waiting for the facts table' },
      );

      const stopping = Date.now();
      const stopped = processor.stop().then(() => Date.now() - stopping);
      const deadline = new Promise<'deadline passed'>((resolve) => setTimeout(() => resolve('deadline passed'), SHUTDOWN_DEADLINE_MS).unref());
      const took = await Promise.race([stopped, deadline]);
      expect(took).not.toBe('deadline passed');
      // It waited for the batch (the grace), then cancelled rather than waiting for the lock.
      expect(took as number).toBeGreaterThanOrEqual(STOP_GRACE_MS - 50);
      expect(processor.batchesCommitted).toBe(0);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }

    // Nothing was lost or counted as a failure: every event is pending, untried.
    expect(await outbox()).toEqual([{ status: 'pending', attempts: 0, n: NOTES }]);
    const { rows } = await testDb.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'events' AND l.mode = 'RowShareLock'`,
    );
    expect(rows[0]!.n).toBe(0);

    const next = await startProcessor(testDb);
    started.push(next);
    await waitForDrained(testDb.database.pool);
    expect(await outbox()).toEqual([{ status: 'done', attempts: 0, n: NOTES }]);
  });

  it('stops at once when nothing is in flight', async () => {
    const processor = await startProcessor(testDb);
    const stopping = Date.now();
    await processor.stop();
    expect(Date.now() - stopping).toBeLessThan(STOP_GRACE_MS);
  });
});
