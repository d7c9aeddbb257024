// Side-by-side comparison of countries or users: the lists clients give, checked and resolved to
// the rows whose Stats the schema then loads in one batch.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { countryByCode, type CountryRow } from './directory.ts';
import { usersByIds, type UserRow } from './users.ts';

/** Most countries or users compared in one query. */
export const MAX_COMPARED = 10;

/** Checks a list's size and that no entry repeats (as `key` reads them). */
function checkList<T>(items: readonly T[], argument: string, key: (item: T) => string): void {
  if (items.length === 0 || items.length > MAX_COMPARED) {
    throw new UserInputError(
      `${argument} must list 1 to ${MAX_COMPARED} entries to compare, got ${items.length}`,
      argument,
      items.length,
    );
  }
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw new UserInputError(`${argument} lists ${JSON.stringify(item)} twice`, argument, item);
    seen.add(k);
  }
}

/** The countries of ISO alpha-2 codes (any case), in the order given. */
export async function countriesToCompare(db: Database, codes: readonly string[]): Promise<CountryRow[]> {
  checkList(codes, 'codes', (code) => code.trim().toUpperCase());
  return Promise.all(codes.map((code) => countryByCode(db, code, 'codes')));
}

/** Users by OSM id or by username (exactly one list), in the order given; unknown ones are refused. */
export async function usersToCompare(
  db: Database,
  by: { ids?: readonly number[] | null; usernames?: readonly string[] | null },
): Promise<UserRow[]> {
  if ((by.ids == null) === (by.usernames == null)) {
    throw new UserInputError('give exactly one of ids and usernames', by.ids == null ? 'ids' : 'usernames');
  }
  if (by.ids != null) {
    checkList(by.ids, 'ids', String);
    const found = await usersByIds(db, by.ids);
    return found.map((user, i) => user ?? unknown('ids', by.ids![i]!));
  }
  const names = by.usernames!;
  checkList(names, 'usernames', (name) => name.toLowerCase());
  const found = await usersByUsernames(db, names);
  return found.map((user, i) => user ?? unknown('usernames', names[i]!));
}

function unknown(argument: string, value: number | string): never {
  throw new UserInputError(`unknown user ${JSON.stringify(value)} in ${argument}`, argument, value);
}

/** Users by current username, as user(username) finds them: exact, else the first case-insensitive match. */
async function usersByUsernames(db: Database, names: readonly string[]): Promise<(UserRow | null)[]> {
  // One join (index probes on lower(username), migration 0009) rather than one query per name.
  const rows = await db.rows<UserRow & { position: number }>(sql`
    SELECT DISTINCT ON (x.position) x.position::int AS position, u.user_id AS "userId", u.username
    FROM unnest(${sql.param([...names])}::text[]) WITH ORDINALITY x(name, position)
    JOIN public.users u ON lower(u.username) = lower(x.name)
    ORDER BY x.position, u.username = x.name DESC, u.user_id`);
  const byPosition = new Map(rows.map(({ position, ...user }) => [position, user]));
  return names.map((_name, i) => byPosition.get(i + 1) ?? null);
}
