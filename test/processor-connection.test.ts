// The processor's lead loop keeps its connection from one batch to the next, so the claim and the
// ETL stay planned (a session plans them at their first run); a connection lost between batches
// is given up and the next batch runs on another.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';

const testDb = useTestDatabase();
let processor: Processor;

beforeAll(async () => {
  processor = await startProcessor(testDb);
});

afterAll(async () => {
  await processor.stop();
});

let nextNote = 100;
function oneNote(): FixtureNote {
  return { id: nextNote++, lat: 48.85, lon: 2.35, comments: [{ action: 'opened', at: '2025-03-01T10:00:00Z', text: 'kept', uid: 5, user: 'five' }] };
}

/** Sessions that have run a batch: each has the batch's temporary work tables. */
async function batchSessions(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'etl_source' AND relpersistence = 't'`);
  return rows[0]!.n;
}

/** Takes three pooled connections at once and gives them back oldest first, so the pool's next pick is not the one used last. */
async function shuffle(pool: pg.Pool): Promise<void> {
  const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
  for (const client of clients) client.release();
}

describe('the processor lead loop', () => {
  it('runs batch after batch on one connection, whatever else the pool hands out meanwhile', async () => {
    const { pool } = testDb.database;
    for (let i = 0; i < 8; i++) {
      await insertNotes(pool, [oneNote()]);
      await waitForDrained(pool);
      await shuffle(pool);
    }
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM streaming.batches');
    expect(rows[0]!.n).toBeGreaterThanOrEqual(8);
    expect(await batchSessions(pool)).toBe(1);
  });

  it('gives up a connection lost between batches and processes the next note on another', async () => {
    const { pool } = testDb.database;
    const { rows } = await pool.query<{ cut: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    expect(rows[0]!.cut).toBeGreaterThan(0);
    await insertNotes(pool, [oneNote()]);
    await waitForDrained(pool);
    const facts = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dwh.facts');
    expect(facts.rows[0]!.n).toBe(nextNote - 100);
    expect(await batchSessions(pool)).toBe(1);
  });
});
