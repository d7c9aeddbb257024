import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { writeConcurrently } from './helpers/writers.ts';

// Under a steady stream of single commits the processor claims on a pace and stops hearing
// note_inserted (each notification it hears costs the writers: issue 25); when the stream stops
// it listens again, so the next commit after a pause is heard, not found by the poll.
const testDb = useTestDatabase();
let processor: Processor;

beforeAll(async () => {
  processor = await startProcessor(testDb, { PROCESSOR_STREAM_PACE_MS: '20' });
});

afterAll(async () => {
  await processor?.stop();
});

const count = async (sql: string) => (await testDb.database.pool.query<{ n: number }>(sql)).rows[0]!.n;

describe('a processor following a steady stream of commits', () => {
  it('takes it in batches of several and hears few of its notifications', async () => {
    const heardBefore = processor.listener.notifications;
    await writeConcurrently(testDb.url, { writers: 1, comments: 1_500, firstNoteId: 10_000 });
    await waitForDrained(testDb.database.pool);
    const commits = await count('SELECT count(DISTINCT note_id)::int AS n FROM streaming.events');
    const batches = await count('SELECT count(*)::int AS n FROM streaming.batches');
    const heard = processor.listener.notifications - heardBefore;
    expect(commits).toBeGreaterThan(400);
    expect(batches).toBeLessThan(commits / 2);
    expect(heard).toBeLessThan(commits / 2);
    expect(await count(`SELECT count(*)::int AS n FROM dwh.facts`)).toBe(1_500);
  });

  it('listens again once the stream stops: a commit after a pause is heard and processed', async () => {
    await new Promise((r) => setTimeout(r, 200));
    expect(processor.listener.isMuted('note_inserted')).toBe(false);
    const heardBefore = processor.listener.notifications;
    await writeConcurrently(testDb.url, { writers: 1, comments: 1, firstNoteId: 20_000 });
    await expect.poll(() => processor.listener.notifications, { timeout: 5_000 }).toBeGreaterThan(heardBefore);
    await waitForDrained(testDb.database.pool);
    expect(await count(`SELECT count(*)::int AS n FROM dwh.facts WHERE id_note = 20000`)).toBe(1);
  });
});
