import { afterAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { eventually } from './helpers/wait.ts';

// A backlog written while no processor ran: the processor analyses the tables it grew before
// its first batch, rather than planning that batch from the statistics of an emptier warehouse,
// and drains it in batches that grow from PROCESSOR_BATCH_SIZE to PROCESSOR_BACKLOG_BATCH_SIZE.
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

    processor = await startProcessor(testDb, { PROCESSOR_BATCH_SIZE: '100', PROCESSOR_BACKLOG_BATCH_SIZE: '400' });
    await waitForDrained(pool);
    const { rows } = await pool.query<{ analysed: Date | null; first_batch: Date }>(
      `SELECT (SELECT last_analyze FROM pg_stat_user_tables WHERE relid = 'streaming.events'::regclass) AS analysed,
              (SELECT min(started_at) FROM streaming.batches) AS first_batch`,
    );
    expect(rows[0]!.analysed).not.toBeNull();
    expect(rows[0]!.analysed!.getTime()).toBeLessThanOrEqual(rows[0]!.first_batch.getTime());
  });

  it('drains it in batches grown up to the backlog batch size, one fact per comment', async () => {
    const pool = testDb.database.pool;
    const { rows } = await pool.query<{ events: number }>('SELECT events FROM streaming.batches ORDER BY batch_id');
    const sizes = rows.map((r) => r.events);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(backlog.length);
    expect(Math.max(...sizes)).toBe(400);
    expect(sizes.filter((n) => n > 100).length).toBeGreaterThan(sizes.length / 2);
    const facts = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dwh.facts');
    expect(facts.rows[0]!.n).toBe(backlog.length);
  });
});
