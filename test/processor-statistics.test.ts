import { afterAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { eventually } from './helpers/wait.ts';

// A backlog written while no processor ran: the processor analyses the tables it grew before
// its first batch, rather than planning that batch from the statistics of an emptier warehouse.
const testDb = useTestDatabase();
let processor: Processor | undefined;

afterAll(async () => {
  await processor?.stop();
});

const backlog: FixtureNote[] = Array.from({ length: 3_000 }, (_, i) => ({
  id: 600_000 + i,
  lat: 48.85,
  lon: 2.35,
  comments: [{ action: 'opened', at: '2024-05-01T10:00:00Z', uid: 11, user: 'lea', text: `backlog ${i} #stats` }],
}));

describe('a processor started on a backlog', () => {
  it('analyses the grown tables before it claims its first batch', async () => {
    const pool = testDb.database.pool;
    await insertNotes(pool, backlog);
    // Modification counters reach pg_stat_user_tables up to a second after the commit.
    await eventually(
      async () => {
        const { rows } = await pool.query<{ n: string }>(
          `SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relid = 'streaming.events'::regclass`,
        );
        return Number(rows[0]?.n ?? 0) >= backlog.length;
      },
      { what: 'the backlog to show in the table statistics', intervalMs: 100 },
    );

    processor = await startProcessor(testDb);
    await waitForDrained(pool);
    const { rows } = await pool.query<{ analysed: Date | null; first_batch: Date }>(
      `SELECT (SELECT last_analyze FROM pg_stat_user_tables WHERE relid = 'streaming.events'::regclass) AS analysed,
              (SELECT min(started_at) FROM streaming.batches) AS first_batch`,
    );
    expect(rows[0]!.analysed).not.toBeNull();
    expect(rows[0]!.analysed!.getTime()).toBeLessThanOrEqual(rows[0]!.first_batch.getTime());
  });
});
