import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { allCountries } from '../ingest/country-lookup.ts';
import { connectClient } from './client.ts';
import { applySqlFiles } from './sql-files.ts';
import { upgradeSquashedHistory } from './squashed-migrations.ts';

/** Schema migrations (drizzle-kit), never edited once committed. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Functions, views and triggers, one per file, applied after the migrations when changed. */
export const FUNCTIONS_FOLDER = fileURLToPath(new URL('../../drizzle/functions', import.meta.url));

// Any constant shared by all instances: concurrent starts migrate one after the other.
const MIGRATION_LOCK = 7_335_001;

export interface MigrationResult {
  /** The database had the migrations from before the squash and now has the baseline's. */
  upgradedFromSquashed: boolean;
  /** Files of the functions folder applied by this run (changed since last applied). */
  functionFiles: string[];
}

/**
 * Applies pending schema migrations, then the function files whose text changed (a no-op when
 * nothing did), and seeds reference rows. `functionsFolder` is for tests.
 */
export async function migrateDatabase(
  url: string,
  options: { functionsFolder?: string } = {},
): Promise<MigrationResult> {
  const client = await connectClient(url, 'notes-stream migrate');
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
    const upgradedFromSquashed = await upgradeSquashedHistory(client, migrations[0]!);
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const functionFiles = await applySqlFiles(client, options.functionsFolder ?? FUNCTIONS_FOLDER);
    await seedCountries(client);
    return { upgradedFromSquashed, functionFiles };
  } finally {
    await client.end();
  }
}

async function seedCountries(client: Awaited<ReturnType<typeof connectClient>>): Promise<void> {
  const countries = allCountries();
  await client.query(
    `INSERT INTO public.countries (iso_a2, iso_a3, country_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (iso_a2) DO UPDATE SET iso_a3 = EXCLUDED.iso_a3, country_name = EXCLUDED.country_name
     WHERE (countries.iso_a3, countries.country_name) IS DISTINCT FROM (EXCLUDED.iso_a3, EXCLUDED.country_name)`,
    [countries.map((c) => c.isoA2), countries.map((c) => c.isoA3), countries.map((c) => c.name)],
  );
}

/** How many migrations the code on disk expects to be applied (for /readyz). */
export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}
