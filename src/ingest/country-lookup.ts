import { borders, iso1A2Code } from '@rapideditor/country-coder';

/** The ISO code stored for positions in no country (the sea, Antarctica's gaps, bad coordinates). */
export const UNKNOWN_COUNTRY = { isoA2: 'ZZ', isoA3: 'ZZZ', name: 'Unknown / international waters' } as const;

export interface CountryInfo {
  isoA2: string;
  isoA3: string | null;
  name: string;
}

/** Every country and territory with an ISO 3166-1 code that country-coder knows, plus 'ZZ'. */
export function allCountries(): CountryInfo[] {
  const known = borders.features
    .map((f) => f.properties)
    .filter((p) => p.iso1A2 !== undefined)
    .map((p) => ({ isoA2: p.iso1A2 as string, isoA3: p.iso1A3 ?? null, name: p.nameEn }));
  return [...known, { ...UNKNOWN_COUNTRY }];
}

/**
 * ISO alpha-2 code of the territory at a position, offline; 'ZZ' when there is none.
 * iso1A2Code, not feature(): the smallest feature at a place may have no code of its own
 * (the contiguous United States, England, the European Netherlands), and iso1A2Code then
 * answers with the code of the country it belongs to.
 */
export function countryCodeAt(longitude: number, latitude: number): string {
  if (!Number.isFinite(longitude) || !Number.isFinite(latitude)) return UNKNOWN_COUNTRY.isoA2;
  return iso1A2Code([longitude, latitude], { level: 'territory' }) ?? UNKNOWN_COUNTRY.isoA2;
}
