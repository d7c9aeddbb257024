import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { CountryRow } from './directory.ts';
import { figureSort, type FigureOrderField } from './figure-order.ts';
import { cursorValues, encodeCursor, keysetAfter, orderBy, pageSize, toConnection, type PageArgs, type SortDirection, limitSql } from './pagination.ts';
import { withStatementTimeout } from './read-transaction.ts';
import { backlogSql, DEFAULT_BACKLOG_DAYS, STATS_COLUMNS, type StatsRow } from './stats.ts';

export { countryByCode as findCountry } from './directory.ts';

export interface ListCountriesArgs extends PageArgs {
  order?: { field: FigureOrderField | 'CODE' | 'NAME'; direction: SortDirection } | null;
}

export type CountryListRow = CountryRow & { stats: StatsRow };

/** Countries with warehouse figures (at least one note action), ordered by code or a figure. */
export async function listCountries(db: Database, args: ListCountriesArgs, limits: { maxPageSize: number; timeoutMs: number }) {
  const limit = pageSize(args, limits.maxPageSize);
  const field = args.order?.field ?? 'CODE';
  const direction = args.order?.direction ?? 'ASC';
  const byText = field === 'CODE' || field === 'NAME';
  const sortValue: SQL =
    field === 'CODE' ? sql`d.iso_a2` : field === 'NAME' ? sql`d.country_name` : figureSort(field, 'country', sql`m.dimension_country_id`);
  const kind = `country-${field}`;
  const where: SQL[] = [];
  if (args.after) {
    const values = cursorValues(kind, args.after, [byText ? 'string' : 'number', 'string']);
    where.push(keysetAfter([sortValue, sql`d.iso_a2`], values, direction));
  }
  const rows = await withStatementTimeout(db, limits.timeoutMs, (tx) =>
    tx.rows<CountryRow & StatsRow & { sort_value: number | string }>(sql`
      SELECT d.country_id AS "countryId", d.dimension_country_id AS "dimensionCountryId", d.iso_a2 AS code,
             d.iso_a3 AS iso3, d.country_name AS name, ${sortValue} AS sort_value, ${STATS_COLUMNS},
             ${backlogSql('country', sql`m.dimension_country_id`, DEFAULT_BACKLOG_DAYS, sql`m.notes_still_open`)} AS backlog
      FROM dwh.datamart_countries m
      JOIN dwh.dimension_countries d ON d.dimension_country_id = m.dimension_country_id
      WHERE ${where.length ? sql.join(where, sql` AND `) : sql`true`}
      ORDER BY ${orderBy([sql`sort_value`, sql`d.iso_a2`], direction)}
      ${limitSql(limit + 1)}`),
  );
  return toConnection(
    rows.map(({ countryId, dimensionCountryId, code, iso3, name, sort_value, ...stats }) => ({
      country: { countryId, dimensionCountryId, code, iso3, name },
      sortValue: sort_value,
      stats,
    })),
    limit,
    (r) => encodeCursor(kind, [r.sortValue, r.country.code]),
  );
}
