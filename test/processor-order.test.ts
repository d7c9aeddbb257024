// A note's actions reach the stream in their order, however batches split them.
import { afterAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';

const testDb = useTestDatabase();
const running: Processor[] = [];

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

const threeActions = (id: number): FixtureNote => ({
  id,
  lat: 40.4,
  lon: -3.7,
  comments: [
    { action: 'opened', at: '2024-05-01T08:00:00Z', uid: 1, user: 'uno', text: 'bache' },
    { action: 'commented', at: '2024-05-01T09:00:00Z', uid: 2, user: 'dos', text: 'visto' },
    { action: 'closed', at: '2024-05-02T08:00:00Z', uid: 1, user: 'uno', text: 'arreglado' },
  ],
});

describe('stream order of a note', () => {
  it('follows the order of its actions with nine loops claiming batches of five', async () => {
    // Batches of five split the three actions of a note between claims, and nine loops claim
    // at once: one loop can hold a note's first action while another claims the rest.
    for (let i = 0; i < 3; i++) {
      running.push(await startProcessor(testDb, { PROCESSOR_BATCH_SIZE: '5', PROCESSOR_BACKLOG_BATCH_SIZE: '5', PROCESSOR_CONCURRENCY: '3' }));
    }
    const notes = Array.from({ length: 1_200 }, (_, i) => threeActions(10_000 + i));
    for (let i = 0; i < notes.length; i += 40) await insertNotes(testDb.database.pool, notes.slice(i, i + 40));
    await waitForDrained(testDb.database.pool, 120_000);

    const { rows } = await testDb.database.pool.query<{ note_id: number; actions: number[] }>(
      `SELECT note_id, array_agg(sequence_action ORDER BY position) AS actions
       FROM streaming.events WHERE kind = 'comment' GROUP BY note_id`,
    );
    expect(rows).toHaveLength(notes.length);
    const outOfOrder = rows.filter((r) => r.actions.join() !== '1,2,3');
    expect(outOfOrder).toEqual([]);
  });
});
