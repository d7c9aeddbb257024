import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrityReport, rebuildDatamarts, reprocessNotes } from '../src/streaming/processor/admin.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';
import { datamartSnapshot, readDatamarts, readFacts, startProcessor, waitForDrained } from './helpers/processor.ts';
import { detectApplication, modelDatamarts, modelFacts } from './helpers/warehouse-model.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
let processor: Processor;

beforeAll(async () => {
  processor = await startProcessor(testDb);
  // Two transactions, so batches see notes arrive in parts, as from a live feed.
  await insertNotes(testDb.database.pool, FIXTURE_NOTES.slice(0, 6));
  await insertNotes(testDb.database.pool, FIXTURE_NOTES.slice(6));
  await waitForDrained(testDb.database.pool);
});

afterAll(async () => {
  await processor.stop();
});

const lowerTags = <T extends { hashtags: string[] }>(f: T) => ({ ...f, hashtags: f.hashtags.map((h) => h.toLowerCase()) });

describe('micro-ETL on the hand-written notes', () => {
  it('stores exactly one fact per comment, each equal to the reference model', async () => {
    const stored = await readFacts(testDb.database.pool);
    const expected = modelFacts(FIXTURE_NOTES);
    expect(stored).toHaveLength(FIXTURE_NOTES.reduce((n, note) => n + note.comments.length, 0));
    expect(stored.map(({ hashtagNumber: _n, ...f }) => lowerTags(f))).toEqual(expected.map(lowerTags));
    for (const fact of stored) {
      expect(fact.hashtagNumber).toBe(fact.hashtags.length);
    }
  });

  it('gets the resolution measures of reopened and twice-closed notes right', async () => {
    const facts = await readFacts(testDb.database.pool);
    const closes = facts.filter((f) => f.action === 'closed').map((f) => [f.note, f.seq, f.daysToResolution, f.daysToResolutionActive, f.daysToResolutionFromReopen]);
    expect(closes).toEqual(
      expect.arrayContaining([
        [1002, 2, 3, 3, null], // opened 2023-12-30, closed 2024-01-02
        [1002, 5, 21, 13, 10], // reopened 01-10, closed 01-20: open 3 + 10 days
        [1008, 3, 411, 400, null], // a close of a closed note adds no open days
        [1010, 3, 3, 3, 2], // reopened while open: the span still runs from the opening
      ]),
    );
  });

  it('fills country, user and global datamarts equal to the reference model', async () => {
    const stored = await readDatamarts(testDb.database.pool);
    const expected = modelDatamarts(FIXTURE_NOTES);
    expect(stored.global).toEqual(expected.global);
    expect(new Map([...stored.countries].sort())).toEqual(new Map([...expected.countries].sort()));
    expect(new Map([...stored.users].sort())).toEqual(new Map([...expected.users].sort()));
    expect(expected.countries.has('ZZ')).toBe(true);
  });

  it('reports no integrity differences when healthy', async () => {
    expect(await integrityReport(testDb.database.pool)).toEqual({
      commentsWithoutFact: 0,
      factsWithoutComment: 0,
      notesAffected: 0,
      notesInFlight: 0,
    });
  });

  it('keeps the incremental datamarts equal to a rebuild from facts', async () => {
    const incremental = await datamartSnapshot(testDb.database.pool);
    await rebuildDatamarts(testDb.database.pool);
    expect(await datamartSnapshot(testDb.database.pool)).toEqual(incremental);
  });

  it('changes nothing when events are replayed', async () => {
    const before = await datamartSnapshot(testDb.database.pool);
    const factsBefore = await readFacts(testDb.database.pool);
    await testDb.database.pool.query(`UPDATE streaming.events SET status = 'pending'`);
    processor.wake();
    await waitForDrained(testDb.database.pool);
    expect(await readFacts(testDb.database.pool)).toEqual(factsBefore);
    expect(await datamartSnapshot(testDb.database.pool)).toEqual(before);
  });

  it('follows later changes: a new comment, a late text, a deleted comment', async () => {
    const pool = testDb.database.pool;
    const note = FIXTURE_NOTES.find((n) => n.id === 1003)!;
    const changed = { ...note, comments: [...note.comments, { action: 'closed' as const, at: '2024-05-11T00:00:00Z', uid: 2, user: 'bob' }] };
    await insertNotes(pool, [changed]);
    await waitForDrained(pool);
    // A text written after its comment committed reaches the fact.
    await pool.query(`INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES (1003, 2, 'Fixed #late')`);
    await waitForDrained(pool);
    const withText = { ...changed, comments: [changed.comments[0]!, { ...changed.comments[1]!, text: 'Fixed #late' }] };
    const others = FIXTURE_NOTES.filter((n) => n.id !== 1003);
    expect((await readFacts(pool)).map(lowerTags).filter((f) => f.note === 1003)).toEqual(
      modelFacts([withText]).map(lowerTags).map((f) => expect.objectContaining(f)),
    );
    expect((await readDatamarts(pool)).global).toEqual(modelDatamarts([...others, withText]).global);
    // Deleting a comment and reprocessing the note takes its fact and contributions away.
    await pool.query(`DELETE FROM note_comments_text WHERE note_id = 1003 AND sequence_action = 2;
                      DELETE FROM note_comments WHERE note_id = 1003 AND sequence_action = 2`);
    expect(await reprocessNotes(pool, [1003, 999_999])).toBe(1);
    await waitForDrained(pool);
    expect((await readDatamarts(pool)).global).toEqual(modelDatamarts(FIXTURE_NOTES).global);
    const incremental = await datamartSnapshot(pool);
    await rebuildDatamarts(pool);
    expect(await datamartSnapshot(pool)).toEqual(incremental);
  });
});

describe('application detection', () => {
  // Each seeded pattern has a keyword that must occur before its regular expression is tried;
  // a keyword that missed some spelling would lose that application here.
  const OPENINGS = [
    'Shop closed\n\nVIA STREETCOMPLETE 60.1', 'via streetcomplete', '#MAPSME', '#everydoor 1.2',
    '#osmand', '#locusmap 4.20.1', '#OrganicMaps   Android 2024.03.05', '#organicmaps IOS', '#ORGANICMAPS',
    '#OsmReport', '  ONOSM.ORG shop', '#mapcomplete 0.40', '#MAPY.CZ', '#mapycz', 'Edited (with iD 2.27)',
    'did it', 'i saw it in ID', 'josm 1.5', 'XJOSM', 'Vespucci 19.1', 'GO MAP!! 4.1', 'potlatch', 'MAPILLARY',
    'no application here', 'StreetComplete without via',
  ];

  it('finds what the model finds in every letter case, keyword or not', async () => {
    const pool = testDb.database.pool;
    const notes = OPENINGS.map((text, i) => ({
      id: 950_000 + i, lat: 48.85, lon: 2.35,
      comments: [{ action: 'opened' as const, at: '2024-05-01T10:00:00Z', text }],
    }));
    await insertNotes(pool, notes);
    await waitForDrained(pool);
    const { rows } = await pool.query<{ note: number; application: string | null; version: string | null }>(
      `SELECT f.id_note AS note, a.application_name AS application, v.version
       FROM dwh.facts f
       LEFT JOIN dwh.dimension_applications a ON a.dimension_application_id = f.dimension_application_creation
       LEFT JOIN dwh.dimension_application_versions v ON v.dimension_application_version_id = f.dimension_application_version
       WHERE f.id_note >= 950000 ORDER BY f.id_note`,
    );
    const expected = notes.map((n) => {
      const app = detectApplication(n.comments[0]!.text);
      return { note: n.id, application: app?.name ?? null, version: app?.version ?? null };
    });
    expect(rows).toEqual(expected);
    expect(new Set(rows.map((r) => r.application)).size).toBeGreaterThanOrEqual(19); // 18 applications and none
  });
});

describe('table statistics', () => {
  it('analyses a table whose row count doubled, and not one that grew by less', async () => {
    const pool = testDb.database.pool;
    const stats = async () =>
      (
        await pool.query<{ at: Date | null; mods: string }>(
          `SELECT last_analyze AS at, n_mod_since_analyze AS mods FROM pg_stat_user_tables WHERE relid = 'public.users'::regclass`,
        )
      ).rows[0]!;
    await pool.query(`INSERT INTO users (user_id, username) SELECT u, 'bulk ' || u FROM generate_series(800001, 802000) u`);
    const before = (await stats()).at;
    // Counters reach pg_stat_user_tables up to a second after the insert's commit (the
    // processor's own timer may be the caller that gets there first).
    await eventually(
      async () => {
        await pool.query('SELECT streaming.refresh_statistics()');
        const at = (await stats()).at;
        return at !== null && at?.getTime() !== before?.getTime();
      },
      { what: 'users to be analysed', intervalMs: 200 },
    );

    // 60 % more rows (1,200 changes, past the old one-tenth rule): left alone.
    await pool.query(`INSERT INTO users (user_id, username) SELECT u, 'more ' || u FROM generate_series(810001, 811200) u`);
    await eventually(async () => Number((await stats()).mods) >= 1_200, { what: 'the inserts to be counted', intervalMs: 100 });
    const { rows } = await pool.query<{ tables: string[] }>('SELECT streaming.refresh_statistics() AS tables');
    expect(rows[0]!.tables).not.toContain('public.users');
  });

  it('analyses once a table that holds data but has no statistics, as after pg_upgrade or a restore', async () => {
    const pool = testDb.database.pool;
    // Loaded, then indexed: the index build records the row count, so the table has not grown
    // against it, and nothing has analysed it (1.4 MB, past the 1 MB floor).
    await pool.query(`CREATE TABLE public.statistics_probe AS
                      SELECT i AS id, repeat('x', 100) AS filler FROM generate_series(1, 12000) i`);
    await pool.query('CREATE INDEX ON public.statistics_probe (id)');
    try {
      const analysed = async () =>
        (await pool.query(`SELECT 1 FROM pg_stats WHERE schemaname = 'public' AND tablename = 'statistics_probe'`))
          .rowCount! > 0;
      expect(await analysed()).toBe(false);
      // Either this call or the processor's timer analyses it.
      await eventually(
        async () => {
          await pool.query('SELECT streaming.refresh_statistics()');
          return analysed();
        },
        { what: 'statistics_probe to be analysed', intervalMs: 200 },
      );
      const { rows } = await pool.query<{ tables: string[] }>('SELECT streaming.refresh_statistics() AS tables');
      expect(rows[0]!.tables).not.toContain('public.statistics_probe');
    } finally {
      await pool.query('DROP TABLE public.statistics_probe');
    }
  });
});

describe('safety-net sweep', () => {
  it('finds a comment written without its outbox event and has the processor make its fact', async () => {
    const pool = testDb.database.pool;
    await waitForDrained(pool);
    // A loader that bypasses triggers (replica role) leaves a comment the outbox never saw.
    const client = await pool.connect();
    try {
      await client.query(`BEGIN; SET LOCAL session_replication_role = replica`);
      await client.query(`INSERT INTO notes (note_id, latitude, longitude, created_at, status)
                          VALUES (4242, 48.85, 2.35, '2024-06-01T10:00:00Z', 'open')`);
      await client.query(`INSERT INTO note_comments (note_id, sequence_action, event, created_at)
                          VALUES (4242, 1, 'opened', '2024-06-01T10:00:00Z')`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await integrityReport(pool)).toMatchObject({ commentsWithoutFact: 1, notesAffected: 1 });
    await processor.runMaintenance();
    await waitForDrained(pool);
    expect(await integrityReport(pool)).toMatchObject({ commentsWithoutFact: 0, notesAffected: 0 });
    expect((await readFacts(pool)).filter((f) => f.note === 4242).map((f) => [f.seq, f.action])).toEqual([[1, 'opened']]);
    const incremental = await datamartSnapshot(pool);
    await rebuildDatamarts(pool);
    expect(await datamartSnapshot(pool)).toEqual(incremental);
  });
});
