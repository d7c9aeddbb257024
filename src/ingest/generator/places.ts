// Where synthetic notes are: towns well inside their country (a jitter of JITTER_DEGREES keeps
// them there; test/ingest-generator.test.ts checks every place with countryCodeAt), weighted
// roughly like real OSM note activity, plus open sea for the "unknown" country.

export interface Place {
  name: string;
  lon: number;
  lat: number;
  /** ISO 3166-1 alpha-2 expected from countryCodeAt; 'ZZ' at sea. */
  country: string;
  language: Language;
  weight: number;
}

export type Language = 'en' | 'de' | 'fr' | 'es' | 'it' | 'pt' | 'nl' | 'pl' | 'ru' | 'ja' | 'other';

/** How far a note may be from its place, in degrees (about 2 km). */
export const JITTER_DEGREES = 0.02;

const p = (name: string, lon: number, lat: number, country: string, language: Language, weight: number): Place => ({
  name, lon, lat, country, language, weight,
});

export const PLACES: readonly Place[] = [
  p('Berlin', 13.4, 52.52, 'DE', 'de', 8),
  p('München', 11.58, 48.14, 'DE', 'de', 6),
  p('Kassel', 9.48, 51.31, 'DE', 'de', 3),
  p('Paris', 2.35, 48.86, 'FR', 'fr', 7),
  p('Lyon', 4.84, 45.76, 'FR', 'fr', 4),
  p('Madrid', -3.7, 40.42, 'ES', 'es', 4),
  p('Roma', 12.5, 41.9, 'IT', 'it', 3),
  p('Milano', 9.19, 45.46, 'IT', 'it', 3),
  p('Évora', -7.91, 38.57, 'PT', 'pt', 1),
  p('Utrecht', 5.12, 52.09, 'NL', 'nl', 3),
  p('Bruxelles', 4.35, 50.85, 'BE', 'fr', 2),
  p('Warszawa', 21.01, 52.23, 'PL', 'pl', 4),
  p('Praha', 14.42, 50.09, 'CZ', 'other', 2),
  p('Wien', 16.37, 48.21, 'AT', 'de', 2),
  p('Bern', 7.45, 46.95, 'CH', 'de', 2),
  p('Birmingham', -1.89, 52.49, 'GB', 'en', 4),
  p('Athlone', -7.94, 53.42, 'IE', 'en', 1),
  p('Uppsala', 17.64, 59.86, 'SE', 'other', 1),
  p('Hamar', 11.07, 60.79, 'NO', 'other', 1),
  p('Tampere', 23.76, 61.5, 'FI', 'other', 1),
  p('Odense', 10.39, 55.4, 'DK', 'other', 1),
  p('Budapest', 19.04, 47.5, 'HU', 'other', 1),
  p('București', 26.1, 44.43, 'RO', 'other', 1),
  p('Larissa', 22.42, 39.64, 'GR', 'other', 1),
  p('Moskva', 37.62, 55.75, 'RU', 'ru', 4),
  p('Kyiv', 30.52, 50.45, 'UA', 'ru', 2),
  p('Ankara', 32.85, 39.93, 'TR', 'other', 1),
  p('Denver', -104.99, 39.74, 'US', 'en', 5),
  p('Kansas City', -94.58, 39.1, 'US', 'en', 3),
  p('Ottawa', -75.7, 45.42, 'CA', 'en', 2),
  p('Ciudad de México', -99.13, 19.43, 'MX', 'es', 2),
  p('Bogotá', -74.07, 4.71, 'CO', 'es', 1),
  p('Cusco', -71.97, -13.53, 'PE', 'es', 1),
  p('Santiago', -70.65, -33.45, 'CL', 'es', 1),
  p('Córdoba', -64.18, -31.42, 'AR', 'es', 1),
  p('Brasília', -47.88, -15.79, 'BR', 'pt', 2),
  p('São Paulo', -46.63, -23.55, 'BR', 'pt', 2),
  p('Delhi', 77.21, 28.61, 'IN', 'en', 2),
  p('Bengaluru', 77.59, 12.97, 'IN', 'en', 2),
  p('Kyoto', 135.77, 35.01, 'JP', 'ja', 2),
  p('Seoul', 126.98, 37.57, 'KR', 'other', 1),
  p('Taipei', 121.56, 25.04, 'TW', 'other', 1),
  p('Bangkok', 100.5, 13.76, 'TH', 'other', 1),
  p('Bandung', 107.61, -6.91, 'ID', 'other', 1),
  p('Canberra', 149.13, -35.28, 'AU', 'en', 1),
  p('Hamilton', 175.28, -37.79, 'NZ', 'en', 1),
  p('Nairobi', 36.82, -1.29, 'KE', 'en', 1),
  p('Abuja', 7.49, 9.06, 'NG', 'en', 1),
  p('Johannesburg', 28.05, -26.2, 'ZA', 'en', 1),
  p('Cairo', 31.24, 30.04, 'EG', 'other', 1),
  // Open sea: no country, stored as the "unknown" country (about 1% of notes).
  p('North Atlantic', -30, 35, 'ZZ', 'en', 0.3),
  p('Pacific', -140, 10, 'ZZ', 'en', 0.2),
  p('Indian Ocean', 70, -10, 'ZZ', 'en', 0.2),
];

export const PLACE_WEIGHTS: readonly number[] = PLACES.map((place) => place.weight);
