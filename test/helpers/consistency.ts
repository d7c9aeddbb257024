import type pg from 'pg';
import { expect } from 'vitest';
import { integrityReport, rebuildDatamarts } from '../../src/streaming/processor/admin.ts';
import { datamartSnapshot } from './processor.ts';

/** Exactly one fact per comment, nothing pending or dead, and datamarts equal to a rebuild. */
export async function expectConsistentWarehouse(pool: pg.Pool, expectedComments: number): Promise<void> {
  const { rows } = await pool.query(`
    SELECT (SELECT count(*)::int FROM note_comments) AS comments,
           (SELECT count(*)::int FROM dwh.facts) AS facts,
           (SELECT count(*)::int FROM (SELECT 1 FROM dwh.facts GROUP BY id_note, sequence_action HAVING count(*) > 1) d) AS duplicates,
           (SELECT count(*)::int FROM streaming.events WHERE status <> 'done') AS unfinished`);
  expect(rows[0]).toEqual({ comments: expectedComments, facts: expectedComments, duplicates: 0, unfinished: 0 });
  expect(await integrityReport(pool)).toMatchObject({ notesAffected: 0 });
  const incremental = await datamartSnapshot(pool);
  await rebuildDatamarts(pool);
  expect(await datamartSnapshot(pool)).toEqual(incremental);
}
