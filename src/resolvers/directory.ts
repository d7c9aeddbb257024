// Reference rows that rarely change (countries, applications) are kept in memory per database,
// so that resolving a country code or a fact's country costs no SQL. Rows only ever get added
// (a country's dimension row when its first note is processed, an application version), so a
// miss reloads once and a hit is always right.
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { countries, dimensionApplications, dimensionCountries } from '../db/tables.ts';
import { UserInputError } from '../errors.ts';

export interface CountryRow {
  /** public.countries key. */
  countryId: number;
  /** dwh.dimension_countries key; null until the country's first note is processed. */
  dimensionCountryId: number | null;
  code: string;
  iso3: string | null;
  name: string;
}

export interface ApplicationRow {
  applicationId: number;
  name: string;
  platform: string | null;
  priority: number;
}

interface Directory {
  countriesByCode: Map<string, CountryRow>;
  countriesById: Map<number, CountryRow>;
  countriesByDimension: Map<number, CountryRow>;
  applicationsById: Map<number, ApplicationRow>;
  applicationsByName: Map<string, ApplicationRow>;
}

const cache = new WeakMap<Database, Promise<Directory>>();
/** The directory once loaded, for synchronous lookups (a page of facts resolves 20 at once). */
const loaded = new WeakMap<Database, Directory>();

function directory(db: Database, reload = false): Promise<Directory> {
  let entry = cache.get(db);
  if (!entry || reload) {
    entry = loadDirectory(db);
    cache.set(db, entry);
    entry.then((found) => loaded.set(db, found)).catch(() => cache.delete(db));
  }
  return entry;
}

async function loadDirectory(db: Database): Promise<Directory> {
  const [countryRows, applicationRows]: [CountryRow[], ApplicationRow[]] = await Promise.all([
    db.orm
      .select({
        countryId: countries.countryId,
        dimensionCountryId: dimensionCountries.dimensionCountryId,
        // char(2) and char(3) columns: without trim, 'ZZ' could come back padded.
        code: sql<string>`trim(${countries.isoA2})`,
        iso3: sql<string | null>`trim(${countries.isoA3})`,
        name: countries.countryName,
      })
      .from(countries)
      .leftJoin(dimensionCountries, eq(dimensionCountries.countryId, countries.countryId)),
    db.orm
      .select({
        applicationId: dimensionApplications.dimensionApplicationId,
        name: dimensionApplications.applicationName,
        platform: dimensionApplications.platform,
        priority: dimensionApplications.priority,
      })
      .from(dimensionApplications),
  ]);
  return {
    countriesByCode: new Map(countryRows.map((c) => [c.code, c])),
    countriesById: new Map(countryRows.map((c) => [c.countryId, c])),
    countriesByDimension: new Map(
      countryRows.filter((c) => c.dimensionCountryId !== null).map((c) => [c.dimensionCountryId!, c]),
    ),
    applicationsById: new Map(applicationRows.map((a) => [a.applicationId, a])),
    applicationsByName: new Map(applicationRows.map((a) => [a.name.toLowerCase(), a])),
  };
}

/** The country of an ISO 3166-1 alpha-2 code (any case); UserInputError when there is none. */
export async function countryByCode(db: Database, code: string, argument = 'code'): Promise<CountryRow> {
  const normalized = code.trim().toUpperCase();
  const found = (await directory(db)).countriesByCode.get(normalized);
  if (found) return found;
  throw new UserInputError(
    `unknown country code ${JSON.stringify(code)}; use an ISO 3166-1 alpha-2 code such as FR, or ZZ for notes in no country`,
    argument,
    code,
  );
}

/** The country's warehouse key, reloading once if its first note was processed since. */
export async function dimensionCountryId(db: Database, country: CountryRow): Promise<number | null> {
  if (country.dimensionCountryId !== null) return country.dimensionCountryId;
  return (await directory(db, true)).countriesById.get(country.countryId)?.dimensionCountryId ?? null;
}

export async function countriesByIds(db: Database, ids: readonly number[]): Promise<(CountryRow | null)[]> {
  const found = await directory(db);
  return ids.map((id) => found.countriesById.get(id) ?? null);
}

export async function countriesByDimensionIds(db: Database, ids: readonly number[]): Promise<(CountryRow | null)[]> {
  let found = await directory(db);
  if (ids.some((id) => !found.countriesByDimension.has(id))) found = await directory(db, true);
  return ids.map((id) => found.countriesByDimension.get(id) ?? null);
}

export async function allApplications(db: Database): Promise<ApplicationRow[]> {
  return [...(await directory(db)).applicationsById.values()].sort((a, b) => a.priority - b.priority);
}

/** An application by id without waiting when the directory is loaded already. */
export function applicationById(db: Database, id: number): ApplicationRow | null | Promise<ApplicationRow | null> {
  const found = loaded.get(db)?.applicationsById.get(id);
  return found ?? applicationsByIds(db, [id]).then((rows) => rows[0] ?? null);
}

/** A country by warehouse key without waiting when the directory knows it already. */
export function countryByDimensionId(db: Database, key: number): CountryRow | null | Promise<CountryRow | null> {
  const found = loaded.get(db)?.countriesByDimension.get(key);
  return found ?? countriesByDimensionIds(db, [key]).then((rows) => rows[0] ?? null);
}

export async function applicationsByIds(db: Database, ids: readonly number[]): Promise<(ApplicationRow | null)[]> {
  const found = await directory(db);
  return ids.map((id) => found.applicationsById.get(id) ?? null);
}

/** The application of a name (any case); UserInputError listing the known names otherwise. */
export async function applicationByName(db: Database, name: string, argument = 'application'): Promise<ApplicationRow> {
  const found = await directory(db);
  const application = found.applicationsByName.get(name.trim().toLowerCase());
  if (application) return application;
  const known = [...found.applicationsById.values()].map((a) => a.name).sort();
  throw new UserInputError(`unknown application ${JSON.stringify(name)}; known: ${known.join(', ')}`, argument, name);
}
