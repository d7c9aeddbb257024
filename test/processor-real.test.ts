// The processor on real OSM notes (OSM_NOTES_FIXTURES names the shared fixtures folder): the
// planet dump goes in through the importer, the processor turns it into facts and datamarts,
// and both equal the reference model computed from a direct parse of the same file.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDump } from '../src/ingest/import-dump.ts';
import { integrityReport, rebuildDatamarts } from '../src/streaming/processor/admin.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import type { FixtureNote } from './helpers/notes.ts';
import { datamartSnapshot, readDatamarts, readFacts, startProcessor, waitForDrained } from './helpers/processor.ts';
import { readPlanetDump } from './helpers/read-api.ts';
import { modelDatamarts, modelFacts } from './helpers/warehouse-model.ts';

const FOLDER = process.env.OSM_NOTES_FIXTURES;

describe.skipIf(!FOLDER)('processor on real OSM notes', () => {
  const testDb = useTestDatabase();
  let processor: Processor;
  let notes: FixtureNote[];

  beforeAll(async () => {
    const file = join(FOLDER!, 'planet_notes_real.osn.xml');
    notes = await readPlanetDump(file);
    processor = await startProcessor(testDb);
    const summary = await importDump({ pool: testDb.database.pool, file });
    expect(summary.complete).toBe(true);
    await waitForDrained(testDb.database.pool);
  });

  afterAll(async () => {
    await processor?.stop();
  });

  const lower = <T extends { hashtags: string[] }>(f: T) => ({ ...f, hashtags: f.hashtags.map((h) => h.toLowerCase()) });

  it('makes one fact per comment (98 notes, 397 comments), each equal to the model', async () => {
    const stored = await readFacts(testDb.database.pool);
    expect(notes).toHaveLength(98);
    expect(stored).toHaveLength(397);
    expect(stored.map(({ hashtagNumber: _n, ...f }) => lower(f))).toEqual(modelFacts(notes).map(lower));
    expect(await integrityReport(testDb.database.pool)).toMatchObject({ notesAffected: 0 });
  });

  it('gets the resolution measures of the many-times reopened note 6 right', async () => {
    const closes = (await readFacts(testDb.database.pool))
      .filter((f) => f.note === 6 && f.action === 'closed')
      .map((f) => [f.actionDate, f.daysToResolution, f.daysToResolutionActive, f.daysToResolutionFromReopen]);
    expect(closes).toEqual([
      ['2013-05-10', 16, 16, null],
      ['2022-05-18', 3311, 16 + 33, 33],
      ['2024-04-01', 3995, 16 + 33 + 0, 0],
      ['2024-09-12', 4159, 16 + 33 + 0 + 0, 0],
      ['2024-11-03', 4211, 16 + 33, 0],
      ['2025-04-02', 4361, 16 + 33, 0],
    ]);
  });

  it('fills country, user and global datamarts equal to the model, and to a rebuild', async () => {
    const pool = testDb.database.pool;
    const stored = await readDatamarts(pool);
    const expected = modelDatamarts(notes);
    expect(stored.global).toEqual(expected.global);
    expect(new Map([...stored.countries].sort())).toEqual(new Map([...expected.countries].sort()));
    expect(new Map([...stored.users].sort())).toEqual(new Map([...expected.users].sort()));
    const incremental = await datamartSnapshot(pool);
    await rebuildDatamarts(pool);
    expect(await datamartSnapshot(pool)).toEqual(incremental);
  });
});
