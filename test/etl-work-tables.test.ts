import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';

// The batch's temporary work tables keep their storage from one batch to the next (truncating
// them at each commit made every batch plan its statements again), are emptied after each use,
// and are truncated once their two widest pass 224 kB (about 512 kB in all), so they cannot grow
// without bound (nor slow scans down).
const testDb = useTestDatabase();
let session: pg.PoolClient;

const note = (id: number, texts: string[]): FixtureNote => ({
  id,
  lat: 48.85,
  lon: 2.35,
  comments: texts.map((text, i) => ({ action: i === 0 ? 'opened' : 'commented', at: `2024-03-01T10:0${i % 10}:00Z`, uid: 7, user: 'ana', text })),
});

async function processBatch(): Promise<number> {
  const { rows } = await session.query<{ events: number }>("SELECT events FROM streaming.claim_and_process(500, 'work-tables test')");
  return rows[0]?.events ?? 0;
}

async function workTables(): Promise<{ rows: number; bytes: number }> {
  const { rows } = await session.query<{ rows: number; bytes: string }>(
    `SELECT (SELECT count(*) FROM pg_temp.etl_source)::int + (SELECT count(*) FROM pg_temp.etl_facts)::int AS rows,
            pg_table_size('pg_temp.etl_source') + pg_relation_size('pg_temp.etl_facts') AS bytes`,
  );
  return { rows: rows[0]!.rows, bytes: Number(rows[0]!.bytes) };
}

beforeAll(async () => {
  session = await testDb.database.pool.connect();
});

afterAll(() => {
  session.release();
});

describe('the micro-ETL work tables', () => {
  it('are empty after a batch but keep their storage, and are truncated past 224 kB of the widest two', async () => {
    await insertNotes(testDb.database.pool, [note(1, ['first #one'])]);
    expect(await processBatch()).toBe(1);
    const small = await workTables();
    expect(small.rows).toBe(0);
    expect(small.bytes).toBeGreaterThan(0);

    // 8 comments of 100 KB that do not compress: ~800 kB of text in etl_source.
    const long = Array.from({ length: 8 }, () => randomBytes(75_000).toString('base64'));
    await insertNotes(testDb.database.pool, [note(2, long)]);
    expect(await processBatch()).toBe(8);
    const truncated = await workTables();
    expect(truncated.rows).toBe(0);
    expect(truncated.bytes).toBeLessThanOrEqual(8192); // the empty TOAST index's metapage

    await insertNotes(testDb.database.pool, [note(3, ['after #two'])]);
    expect(await processBatch()).toBe(1);
    const { rows: facts } = await session.query<{ id_note: number; comment_length: number; hashtag_number: number }>(
      'SELECT id_note, comment_length, hashtag_number FROM dwh.facts ORDER BY id_note, sequence_action',
    );
    expect(facts).toHaveLength(10);
    expect(facts.filter((f) => f.id_note === 2).every((f) => f.comment_length === 100_000)).toBe(true);
    expect(facts.find((f) => f.id_note === 3)).toMatchObject({ comment_length: 10, hashtag_number: 1 });
    const { rows: global } = await session.query<{ history_whole_open: number; history_whole_commented: number }>(
      'SELECT history_whole_open, history_whole_commented FROM dwh.datamart_global',
    );
    expect(global).toEqual([{ history_whole_open: 3, history_whole_commented: 7 }]);
  });

  it('replace the tables an older version of the functions left in the session', async () => {
    // What a connection that ran batches with the functions of before etl_fact_groups holds: etl_fact_keys, no
    // etl_fact_groups (stand-ins of the wrong shape, so that reusing them would fail).
    const { rows: tables } = await session.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'`,
    );
    for (const { name } of tables) await session.query(`DROP TABLE pg_temp.${name}`);
    await session.query('CREATE TEMP TABLE etl_source (stale integer); CREATE TEMP TABLE etl_fact_keys (stale integer)');

    await insertNotes(testDb.database.pool, [note(4, ['again #three', 'and again'])]);
    expect(await processBatch()).toBe(2);
    const { rows: present } = await session.query<{ keys: string | null; groups: string | null }>(
      `SELECT to_regclass('pg_temp.etl_fact_keys')::text AS keys, to_regclass('pg_temp.etl_fact_groups')::text AS groups`,
    );
    expect(present[0]).toMatchObject({ keys: null, groups: expect.any(String) });
    const { rows: global } = await session.query<{ history_whole_open: number; history_whole_commented: number }>(
      'SELECT history_whole_open, history_whole_commented FROM dwh.datamart_global',
    );
    expect(global).toEqual([{ history_whole_open: 4, history_whole_commented: 8 }]);
  });
});
