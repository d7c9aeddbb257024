// Who the benchmark's subscribers watch, shared by the writer (which spreads notes over these
// countries), the subscriber processes and the check of what the filtered subscribers received.
export const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'BR', 'IN', 'GB', 'IT', 'ES', 'PL', 'NL', 'RU', 'CA', 'AU', 'MX', 'AR', 'ZZ'];

/**
 * The country that subscriber i of a crowd process watches: one in ten watches a country (a
 * dashboard, a bot); the others watch one mapper's id, which the anonymous writers never match.
 */
export function watchedCountry(i: number): string | null {
  return i % 10 === 0 ? COUNTRIES[(i / 10) % COUNTRIES.length]! : null;
}

/** Deliveries a crowd process of `count` subscribers must receive, given the events per country. */
export function expectedDeliveries(count: number, eventsByCountry: Map<string, number>): number {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const country = watchedCountry(i);
    if (country) total += eventsByCountry.get(country) ?? 0;
  }
  return total;
}
