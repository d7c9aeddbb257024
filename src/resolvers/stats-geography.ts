// Where a user acts and who acts in a country: rankings of countries for a user and of users for a
// country, by actions of one kind in a period, from datamart_user_countries (user × country ×
// month, kept by every batch). Today's ranking reads the day's facts through the (user,
// action_at) and (country, action_at) indexes.
import { sql, type SQL } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { groupBy } from './notes.ts';
import type { Action } from './stats-activity.ts';
import { scopeKeys, TODAY, type Scope } from './stats-scope.ts';

export type StatsPeriod = 'TODAY' | 'THIS_MONTH' | 'THIS_YEAR' | 'ALL_TIME';

export interface PlaceArgs {
  action: Action;
  period: StatsPeriod;
  year?: number | null;
  first: number;
}

export interface CountryPlace {
  rank: number;
  count: number;
  countryId: number;
  dimensionCountryId: number;
  code: string;
  iso3: string | null;
  name: string;
}

export interface UserPlace {
  rank: number;
  count: number;
  userId: number;
}

export function checkPlaceArgs(args: PlaceArgs, max: number): void {
  if (!Number.isInteger(args.first) || args.first < 0 || args.first > max) {
    throw new UserInputError(`first must be between 0 and ${max}, got ${args.first}`, 'first', args.first);
  }
  if (args.year != null && (!Number.isInteger(args.year) || args.year < 1900 || args.year > 9999)) {
    throw new UserInputError(`year must be a year from 1900 to 9999, got ${args.year}`, 'year', args.year);
  }
}

/** The months of datamart_user_countries (aliased `m`) in the period: a year asked wins. */
function monthRange(args: PlaceArgs): SQL {
  if (args.year != null) return sql`m.month >= make_date(${args.year}::int, 1, 1) AND m.month < make_date(${args.year}::int + 1, 1, 1)`;
  switch (args.period) {
    case 'ALL_TIME':
      return sql`true`;
    case 'THIS_YEAR':
      return sql`m.month >= date_trunc('year', ${TODAY})::date AND m.month <= ${TODAY}`;
    case 'THIS_MONTH':
    case 'TODAY':
      return sql`m.month = date_trunc('month', ${TODAY})::date`;
  }
}

/**
 * (owner key, other key, actions) of the period: from the monthly table, or for today from the
 * facts of today (the monthly rows cannot split a month). `side` names the owner's column.
 */
function placeCounts(side: 'user' | 'country', args: PlaceArgs): SQL {
  const [own, other] = side === 'user' ? ['dimension_user_id', 'dimension_country_id'] : ['dimension_country_id', 'dimension_user_id'];
  if (args.period === 'TODAY' && args.year == null) {
    const [factOwn, factOther] =
      side === 'user' ? ['action_dimension_id_user', 'dimension_id_country'] : ['dimension_id_country', 'action_dimension_id_user'];
    return sql`SELECT f.${sql.raw(factOwn)} AS owner, f.${sql.raw(factOther)} AS other, count(*)::int AS count
      FROM dwh.facts f
      WHERE f.${sql.raw(factOwn)} IN (SELECT k.key FROM k) AND f.action_comment = ${args.action}
        AND f.action_dimension_id_user IS NOT NULL
        AND f.action_at >= ${TODAY}::timestamp AT TIME ZONE 'UTC' AND f.action_at < (${TODAY} + 1)::timestamp AT TIME ZONE 'UTC'
      GROUP BY 1, 2`;
  }
  return sql`SELECT m.${sql.raw(own)} AS owner, m.${sql.raw(other)} AS other, sum(m.actions)::int AS count
    FROM dwh.datamart_user_countries m
    WHERE m.${sql.raw(own)} IN (SELECT k.key FROM k) AND m.action = ${args.action} AND ${monthRange(args)}
    GROUP BY 1, 2 HAVING sum(m.actions) > 0`;
}

/**
 * A user's countries by their actions of one kind in the period, most first, ranked with ties
 * sharing a place (1, 1, 3), ties listed by country code; per id. Empty for other scopes.
 */
export async function countriesOfUsers(db: Reader, scope: Scope, ids: readonly number[], args: PlaceArgs): Promise<CountryPlace[][]> {
  if (scope !== 'user') return ids.map(() => []);
  const rows = await db.rows<CountryPlace & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    c AS (${placeCounts('user', args)}),
    ranked AS (
      SELECT k.id, c.count, d.country_id AS "countryId", d.dimension_country_id AS "dimensionCountryId",
             d.iso_a2 AS code, d.iso_a3 AS iso3, d.country_name AS name,
             rank() OVER (PARTITION BY k.id ORDER BY c.count DESC)::int AS rank,
             row_number() OVER (PARTITION BY k.id ORDER BY c.count DESC, d.iso_a2) AS place
      FROM k JOIN c ON c.owner = k.key
      JOIN dwh.dimension_countries d ON d.dimension_country_id = c.other
    )
    SELECT * FROM ranked WHERE place <= ${args.first} ORDER BY id, place`);
  return groupBy(ids, rows, (r) => r.id).map((group) => group.map(({ id: _id, ...place }) => place));
}

/** A country's users by their actions of one kind in the period, as countriesOfUsers (ties by user id). */
export async function usersOfCountries(db: Reader, scope: Scope, ids: readonly number[], args: PlaceArgs): Promise<UserPlace[][]> {
  if (scope !== 'country') return ids.map(() => []);
  const rows = await db.rows<UserPlace & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    c AS (${placeCounts('country', args)}),
    ranked AS (
      SELECT k.id, c.count, u.user_id AS "userId",
             rank() OVER (PARTITION BY k.id ORDER BY c.count DESC)::int AS rank,
             row_number() OVER (PARTITION BY k.id ORDER BY c.count DESC, u.user_id) AS place
      FROM k JOIN c ON c.owner = k.key
      JOIN dwh.dimension_users u ON u.dimension_user_id = c.other
    )
    SELECT id, count, "userId", rank FROM ranked WHERE place <= ${args.first} ORDER BY id, place`);
  return groupBy(ids, rows, (r) => r.id).map((group) => group.map(({ id: _id, ...place }) => place));
}
