// notes.id_country from a position: country-coder gives the ISO code offline, and a map loaded
// once from public.countries turns it into the row id (codes the table lacks count as 'ZZ').
import type pg from 'pg';
import { countryCodeAt, UNKNOWN_COUNTRY } from './country-lookup.ts';

export type CountryIdAt = (longitude: number, latitude: number) => number;

export async function loadCountryIds(db: pg.Pool | pg.PoolClient): Promise<CountryIdAt> {
  const { rows } = await db.query<{ country_id: number; iso_a2: string }>('SELECT country_id, iso_a2 FROM countries');
  const ids = new Map(rows.map((r) => [r.iso_a2, r.country_id]));
  const unknown = ids.get(UNKNOWN_COUNTRY.isoA2);
  if (unknown === undefined) throw new Error(`countries has no '${UNKNOWN_COUNTRY.isoA2}' row: run the migrations`);
  return (longitude, latitude) => ids.get(countryCodeAt(longitude, latitude)) ?? unknown;
}
