import { describe, expect, it } from 'vitest';
import { connectClient } from '../src/db/client.ts';
import { expectedMigrationCount, migrateDatabase } from '../src/db/migrate.ts';
import { useTestDatabase } from './helpers/database.ts';

const testDb = useTestDatabase({ template: false });

async function catalog(url: string) {
  const client = await connectClient(url);
  try {
    const columns = await client.query<{ c: string }>(
      `SELECT table_schema || '.' || table_name || '.' || column_name || ':' || data_type AS c
       FROM information_schema.columns
       WHERE table_schema IN ('public', 'dwh', 'streaming') ORDER BY 1`,
    );
    const migrations = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    const seeded = await client.query<{ countries: number; hours: number; apps: number }>(
      `SELECT (SELECT count(*)::int FROM public.countries) AS countries,
              (SELECT count(*)::int FROM dwh.dimension_time_of_week) AS hours,
              (SELECT count(*)::int FROM dwh.dimension_applications) AS apps`,
    );
    return { columns: columns.rows.map((r) => r.c), migrations: migrations.rows[0]!.n, seeded: seeded.rows[0]! };
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('apply on an empty database and create the base, warehouse and streaming tables', async () => {
    await migrateDatabase(testDb.url);
    const after = await catalog(testDb.url);
    expect(after.migrations).toBe(expectedMigrationCount());
    for (const column of [
      'public.notes.note_id:integer',
      'public.note_comments.event:USER-DEFINED',
      'public.note_comments_text.body:text',
      'public.users.username:character varying',
      'dwh.facts.days_to_resolution_active:integer',
      'dwh.facts.recent_opened_dimension_id_date:integer',
      'dwh.fact_hashtags.dimension_hashtag_id:integer',
      'dwh.datamart_countries.history_whole_open:integer',
      'dwh.datamart_users.median_days_to_resolution:numeric',
      'dwh.datamart_global.resolution_rate:numeric',
      'streaming.events.position:bigint',
      'streaming.events.attempts:integer',
    ]) {
      expect(after.columns).toContain(column);
    }
    expect(after.seeded.hours).toBe(168);
    expect(after.seeded.apps).toBeGreaterThanOrEqual(15);
    expect(after.seeded.countries).toBeGreaterThan(200);
  });

  it('re-run as a no-op', async () => {
    const before = await catalog(testDb.url);
    await migrateDatabase(testDb.url);
    await migrateDatabase(testDb.url);
    expect(await catalog(testDb.url)).toEqual(before);
  });

  it('run safely from two processes at once', async () => {
    await Promise.all([migrateDatabase(testDb.url), migrateDatabase(testDb.url)]);
    expect((await catalog(testDb.url)).migrations).toBe(expectedMigrationCount());
  });
});
