// Databases made before migrations 0000-0024 were squashed into drizzle/0000_baseline.sql (an
// old .data folder): made here by applying those 25 migrations, kept as they were in
// test/fixtures/pre-squash-drizzle, with drizzle's own migrator, as the old notes-stream did.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../src/db/client.ts';
import { expectedMigrationCount, FUNCTIONS_FOLDER, migrateDatabase } from '../src/db/migrate.ts';
import { readSqlFiles } from '../src/db/sql-files.ts';
import { type Catalog, catalogOf, scratchDatabase } from './helpers/catalog.ts';
import { useTestDatabase } from './helpers/database.ts';

const PRE_SQUASH = fileURLToPath(new URL('./fixtures/pre-squash-drizzle', import.meta.url));
const fresh = useTestDatabase();
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A database migrated by the old notes-stream, from `folder` (the 25 squashed migrations). */
async function oldDatabase(folder = PRE_SQUASH): Promise<string> {
  const database = await scratchDatabase();
  cleanups.push(database.drop);
  const client = await connectClient(database.url);
  try {
    await client.query('SET client_min_messages = warning');
    await migrate(drizzle(client), { migrationsFolder: folder });
  } finally {
    await client.end();
  }
  return database.url;
}

/** A copy of the old migrations, changed by `change` (given the folder). */
function changedCopy(change: (folder: string) => void): string {
  const folder = mkdtempSync(join(tmpdir(), 'notes-stream-pre-squash-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  cpSync(PRE_SQUASH, folder, { recursive: true });
  change(folder);
  return folder;
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = await connectClient(url);
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** One note with `comments` actions, written and processed as the processor would. */
async function writeAndProcess(url: string, note: number, comments: number): Promise<void> {
  await query(
    url,
    `INSERT INTO public.users VALUES (1, 'mapper') ON CONFLICT DO NOTHING;
     INSERT INTO public.notes (note_id, latitude, longitude, created_at) VALUES (${note}, 1, 2, now())
       ON CONFLICT DO NOTHING;
     INSERT INTO public.note_comments (note_id, sequence_action, event, created_at, id_user)
     SELECT ${note}, s, CASE WHEN s = 1 THEN 'opened' ELSE 'commented' END::note_event_enum, now(), 1
     FROM generate_series(1, ${comments}) s ON CONFLICT DO NOTHING;
     INSERT INTO public.note_comments_text (note_id, sequence_action, body)
     SELECT ${note}, s, 'text #tag ' || s FROM generate_series(1, ${comments}) s ON CONFLICT DO NOTHING;
     SELECT * FROM streaming.claim_and_process(1000, 'squash test');`,
  );
}

const HELPERS = [
  'streaming.patch_function(regprocedure,text,text)',
  'streaming.patch_function_passages(regprocedure,text[],text[])',
  'streaming.patch_function_everywhere(regprocedure,text[],text[],integer[])',
  'streaming.rewrite_in_plpgsql(regprocedure)',
  'guard_referenced_keys(regclass,text,regclass,text,text)',
  'check_references_with(regclass,regproc)',
];

describe('databases migrated before the squash', () => {
  let before: Catalog;
  let upgraded: string;
  beforeAll(async () => {
    upgraded = await oldDatabase();
    await writeAndProcess(upgraded, 1, 3);
    before = await catalogOf(upgraded);
  });

  it('are upgraded in place when they have the 25 squashed migrations', async () => {
    const result = await migrateDatabase(upgraded);
    expect(result).toEqual({ upgradedFromSquashed: true, functionFiles: readSqlFiles(FUNCTIONS_FOLDER).map((f) => f.name) });
    expect(await query(upgraded, 'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).toEqual([
      { n: expectedMigrationCount() },
    ]);
    // The same schema, functions, views and triggers as a database migrated from the baseline,
    // and none of the text-patching helpers it had.
    const after = await catalogOf(upgraded);
    expect(after).toEqual(await catalogOf(fresh.url));
    for (const helper of HELPERS) {
      expect(Object.keys(before.functions)).toContain(helper);
      expect(Object.keys(after.functions)).not.toContain(helper);
    }
    // Its data kept, and processed on by the new functions.
    await writeAndProcess(upgraded, 2, 2);
    expect(await query(upgraded, 'SELECT id_note, count(*)::int AS facts FROM dwh.facts GROUP BY 1 ORDER BY 1')).toEqual([
      { id_note: 1, facts: 3 },
      { id_note: 2, facts: 2 },
    ]);
    expect(await query(upgraded, 'SELECT history_whole_open AS opened FROM dwh.datamart_global')).toEqual([{ opened: 2 }]);
    expect(await migrateDatabase(upgraded)).toEqual({ upgradedFromSquashed: false, functionFiles: [] });
  });

  it('are refused, in one line naming the reset, with only some of the squashed migrations', async () => {
    const folder = changedCopy((dir) => {
      const path = join(dir, 'meta/_journal.json');
      const journal = JSON.parse(readFileSync(path, 'utf8')) as { entries: unknown[] };
      writeFileSync(path, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 20) }));
    });
    const url = await oldDatabase(folder);
    const refusal = await migrateDatabase(url).catch((error: unknown) => (error as Error).message);
    expect(refusal).toMatch(/cannot be upgraded \(it has 20 of the 25 migrations squashed at commit f67b5be\)/);
    expect(refusal).toMatch(/rm -rf \.data.*DATABASE_URL/);
    expect(refusal).not.toContain('\n');
    expect(await query(url, 'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).toEqual([{ n: 20 }]);
  });

  it('are refused when a squashed migration they applied was a different version of the file', async () => {
    const folder = changedCopy((dir) => {
      const path = join(dir, '0024_batch_deltas_grouped.sql');
      writeFileSync(path, readFileSync(path, 'utf8') + '\n-- an earlier version\n');
    });
    const url = await oldDatabase(folder);
    await expect(migrateDatabase(url)).rejects.toThrow(/1 of its 25 migrations differ from those squashed .*rm -rf \.data/);
  });
});
