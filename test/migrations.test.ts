import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient } from '../src/db/client.ts';
import { expectedMigrationCount, FUNCTIONS_FOLDER, migrateDatabase, MIGRATIONS_FOLDER } from '../src/db/migrate.ts';
import { readSqlFiles } from '../src/db/sql-files.ts';
import { catalogOf, readCatalog } from './helpers/catalog.ts';
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

/** When each function file was last applied, by file. */
async function appliedFiles(url: string): Promise<Record<string, string>> {
  const client = await connectClient(url);
  try {
    const { rows } = await client.query<{ file: string; at: string }>(
      `SELECT file, applied_at::text AS at FROM notes_stream_meta.sql_files`,
    );
    return Object.fromEntries(rows.map((r) => [r.file, r.at]));
  } finally {
    await client.end();
  }
}

/** The dollar-quoted body a file gives the function `name` (schema.name), if it writes one. */
function bodyInFile(text: string, name: string): string | undefined {
  const escaped = name.replace(/\./g, '\\.');
  return new RegExp(`CREATE OR REPLACE FUNCTION ${escaped}\\([\\s\\S]*?\\nAS \\$\\$([\\s\\S]*?)\\$\\$;`).exec(text)?.[1];
}

// Functions that a file builds from a template (their body is not written out in the file).
const GENERATED = ['dwh.upsert_datamart_totals'];

const copies: string[] = [];
afterAll(() => {
  for (const folder of copies) rmSync(folder, { recursive: true, force: true });
});

/** A copy of drizzle/functions to change in a test. */
function copyOfFunctions(): string {
  const folder = mkdtempSync(join(tmpdir(), 'notes-stream-functions-'));
  copies.push(folder);
  cpSync(FUNCTIONS_FOLDER, folder, { recursive: true });
  return folder;
}

describe('migrations', () => {
  it('apply on an empty database and create the base, warehouse and streaming tables', async () => {
    const result = await migrateDatabase(testDb.url);
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
    // Every function file, in the declared order, and each recorded.
    const files = readSqlFiles(FUNCTIONS_FOLDER).map((f) => f.name);
    expect(result).toEqual({ upgradedFromSquashed: false, functionFiles: files });
    expect(Object.keys(await appliedFiles(testDb.url)).sort()).toEqual([...files].sort());
  });

  it('re-run as a no-op', async () => {
    const before = await catalog(testDb.url);
    const definitions = await catalogOf(testDb.url);
    const applied = await appliedFiles(testDb.url);
    expect((await migrateDatabase(testDb.url)).functionFiles).toEqual([]);
    expect((await migrateDatabase(testDb.url)).functionFiles).toEqual([]);
    expect(await catalog(testDb.url)).toEqual(before);
    expect(await catalogOf(testDb.url)).toEqual(definitions);
    expect(await appliedFiles(testDb.url)).toEqual(applied);
  });

  it('run safely from two processes at once', async () => {
    await Promise.all([migrateDatabase(testDb.url), migrateDatabase(testDb.url)]);
    expect((await catalog(testDb.url)).migrations).toBe(expectedMigrationCount());
  });

  it("leave each stored function's body equal to its file", async () => {
    const { bodies } = await catalogOf(testDb.url);
    expect(Object.keys(bodies).length).toBeGreaterThan(30);
    for (const [name, body] of Object.entries(bodies)) {
      const [schema, fn] = name.split('.');
      const text = readFileSync(join(FUNCTIONS_FOLDER, schema!, `${fn}.sql`), 'utf8');
      const written = bodyInFile(text, name);
      if (written === undefined) expect(GENERATED, `${name} has no body in its file`).toContain(name);
      else expect(body, name).toBe(written);
    }
  });

  it('leave every function, view and trigger as applying its file again would', async () => {
    const client = await connectClient(testDb.url);
    try {
      for (const file of readSqlFiles(FUNCTIONS_FOLDER)) {
        await client.query('BEGIN');
        const before = await readCatalog(client);
        await client.query(file.text);
        const after = await readCatalog(client);
        await client.query('ROLLBACK');
        expect(after, file.name).toEqual(before);
      }
    } finally {
      await client.end();
    }
  });

  it('apply a changed function file again at the next run, and no other', async () => {
    const folder = copyOfFunctions();
    const changed = 'streaming/claim_and_process.sql';
    const text = readFileSync(join(folder, changed), 'utf8');
    writeFileSync(join(folder, changed), text.replace('BEGIN\n', 'BEGIN\n  -- changed by the migrations test\n'));
    const definitions = await catalogOf(testDb.url);
    const applied = await appliedFiles(testDb.url);

    expect((await migrateDatabase(testDb.url, { functionsFolder: folder })).functionFiles).toEqual([changed]);
    const after = await catalogOf(testDb.url);
    expect(after.bodies['streaming.claim_and_process']).toContain('-- changed by the migrations test');
    const others = (c: typeof after) => ({ ...c.bodies, 'streaming.claim_and_process': '' });
    expect(others(after)).toEqual(others(definitions));
    const appliedAfter = await appliedFiles(testDb.url);
    expect({ ...appliedAfter, [changed]: '' }).toEqual({ ...applied, [changed]: '' });
    expect(appliedAfter[changed]).not.toBe(applied[changed]);

    expect((await migrateDatabase(testDb.url, { functionsFolder: folder })).functionFiles).toEqual([]);
    // Back to the files of the repository.
    expect((await migrateDatabase(testDb.url)).functionFiles).toEqual([changed]);
    expect((await catalogOf(testDb.url)).bodies).toEqual(definitions.bodies);
  });

  it('roll back every file of a run when one fails, naming the file and line', async () => {
    const folder = copyOfFunctions();
    writeFileSync(join(folder, 'dwh/key_date.sql'), '-- a comment\nCREATE OR REPLACE FUNCTION dwh.key_date(key integer)\nRETURNS date LANGUAGE sql AS $$ SELECT nonsense $$;\n');
    writeFileSync(join(folder, 'dwh/utc_date.sql'), readFileSync(join(folder, 'dwh/utc_date.sql'), 'utf8') + '\n-- touched\n');
    const applied = await appliedFiles(testDb.url);
    const definitions = await catalogOf(testDb.url);
    await expect(migrateDatabase(testDb.url, { functionsFolder: folder })).rejects.toThrow(
      /functions-.*\/dwh\/key_date\.sql line 3: column "nonsense" does not exist/,
    );
    expect(await appliedFiles(testDb.url)).toEqual(applied);
    expect(await catalogOf(testDb.url)).toEqual(definitions);
  });

  it('refuse a function folder whose order.txt leaves a file out', async () => {
    const folder = copyOfFunctions();
    writeFileSync(join(folder, 'dwh/forgotten.sql'), 'SELECT 1;\n');
    await expect(migrateDatabase(testDb.url, { functionsFolder: folder })).rejects.toThrow(
      /order\.txt does not list dwh\/forgotten\.sql/,
    );
  });

  it('keep drizzle/ free of files that rewrite the text of others', () => {
    const files = readdirSync(MIGRATIONS_FOLDER, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      expect(readFileSync(join(MIGRATIONS_FOLDER, file), 'utf8'), file).not.toMatch(/pg_get_functiondef|patch_function/);
    }
  });
});
