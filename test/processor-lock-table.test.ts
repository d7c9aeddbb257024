import { afterAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { eventually } from './helpers/wait.ts';

// Each claimed note holds an advisory lock until its batch commits, and the server's lock table
// (max_locks_per_transaction × max_connections: ~12,000 locks on default settings) is shared by
// every session. A claim past it fails with "out of shared memory"; the loop then halves its
// batches instead of retrying the same claim, or blaming the events.
const testDb = useTestDatabase();
let processor: Processor | undefined;
// The largest claim the configuration allows, and a backlog that holds it after a first batch.
const CLAIM = 20_000;
const NOTES = 30_000;

afterAll(async () => {
  await processor?.stop();
});

describe('a claim larger than the server lock table', () => {
  it('is halved until it fits, and the backlog drains with no failure', async (ctx) => {
    const pool = testDb.database.pool;
    const { rows: capacity } = await pool.query<{ locks: number }>(
      `SELECT current_setting('max_locks_per_transaction')::int * current_setting('max_connections')::int AS locks`,
    );
    // The table holds about twice its nominal size; a claim is at most 20,000 events.
    if (capacity[0]!.locks * 2.5 > CLAIM) ctx.skip();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO notes (note_id, latitude, longitude, created_at)
                          SELECT n, 48.85, 2.35, '2024-05-01T10:00:00Z' FROM generate_series(1, ${NOTES}) n`);
      await client.query(`INSERT INTO note_comments (note_id, sequence_action, event, created_at)
                          SELECT n, 1, 'opened', '2024-05-01T10:00:00Z' FROM generate_series(1, ${NOTES}) n`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }

    // A first batch of 10,000 fits; the next claim, doubled to 20,000, does not.
    processor = await startProcessor(testDb, {
      PROCESSOR_CONCURRENCY: '1',
      PROCESSOR_BATCH_SIZE: String(CLAIM / 2),
      PROCESSOR_BACKLOG_BATCH_SIZE: String(CLAIM),
    });
    await waitForDrained(pool, 60_000);

    const { rows } = await pool.query<{ facts: number; dead: number; largest: number; batches: number }>(
      `SELECT (SELECT count(*)::int FROM dwh.facts) AS facts,
              (SELECT count(*)::int FROM streaming.events WHERE status = 'dead') AS dead,
              (SELECT max(events) FROM streaming.batches) AS largest,
              (SELECT count(*)::int FROM streaming.batches) AS batches`,
    );
    expect(rows[0]).toMatchObject({ facts: NOTES, dead: 0 });
    expect(rows[0]).toMatchObject({ largest: CLAIM / 2, batches: 3 });
    // The outbox shows the last batch as done at its commit, a moment before the loop counts it.
    const started = processor;
    await eventually(() => started.eventsProcessed === NOTES, { what: 'the processor to count every event' });
    expect(processor.eventsFailed).toBe(0);
  });
});
