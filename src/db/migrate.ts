import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { allCountries } from '../ingest/country-lookup.ts';
import { connectClient } from './client.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

// Any constant shared by all instances: concurrent starts migrate one after the other.
const MIGRATION_LOCK = 7_335_001;

/** Applies pending migrations (a no-op when there are none) and seeds reference rows. */
export async function migrateDatabase(url: string): Promise<void> {
  const client = await connectClient(url, 'notes-stream migrate');
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await seedCountries(client);
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
