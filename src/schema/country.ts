import { findCountry, listCountries } from '../resolvers/countries.ts';
import type { CountryRow } from '../resolvers/directory.ts';
import type { StatsRow } from '../resolvers/stats.ts';
import { builder } from './builder.ts';
import { SortDirection } from './enums.ts';
import { FIGURE_ORDER_VALUES, FigureOrderDescription } from './figure-order.ts';
import { defaultDirection, pageComplexity, readLimits } from './page.ts';
import { Stats, statsFor } from './stats.ts';

/** A country, with its figures when the list query that found it read them already. */
export type CountryShape = CountryRow & { stats?: StatsRow };

export const Country = builder.objectRef<CountryShape>('Country').implement({
  description: "A country (ISO 3166-1), or 'ZZ' for notes in no country (sea, unknown places).",
  fields: (t) => ({
    code: t.exposeString('code', { description: 'ISO 3166-1 alpha-2 code.' }),
    iso3: t.exposeString('iso3', { nullable: true, description: 'ISO 3166-1 alpha-3 code.' }),
    name: t.exposeString('name', { description: 'English name.' }),
    stats: t.field({
      type: Stats,
      description: 'Figures of the actions on notes in this country (zeros when it has none).',
      resolve: (c, _args, ctx) => statsFor(ctx, { scope: 'country', id: c.countryId }, c.stats),
    }),
  }),
});

const CountryOrderField = builder.enumType('CountryOrderField', {
  description: 'What countries are ordered by: their code, name, or a figure of their Stats.',
  values: {
    CODE: { description: 'ISO 3166-1 alpha-2 code.' },
    NAME: { description: 'English name.' },
    ...FIGURE_ORDER_VALUES,
  } as const,
});

const CountryOrder = builder.inputType('CountryOrder', {
  description: FigureOrderDescription,
  fields: (t) => ({
    field: t.field({ type: CountryOrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirection, description: 'ASC for CODE and NAME, DESC for figures, when omitted.' }),
  }),
});

builder.queryFields((t) => ({
  country: t.field({
    type: Country,
    description: 'A country by ISO 3166-1 alpha-2 code (any case); ZZ for notes in no country.',
    args: { code: t.arg.string({ required: true, description: 'ISO 3166-1 alpha-2 code, any case (ZZ: no country).' }) },
    resolve: (_root, args, ctx) => findCountry(ctx.db, args.code),
  }),
  countries: t.connection({
    type: Country,
    description: 'Countries with at least one note action, by code unless orderBy says otherwise.',
    args: { orderBy: t.arg({ type: CountryOrder, description: 'By code when omitted.' }) },
    complexity: pageComplexity,
    resolve: async (_root, args, ctx) => {
      const field = args.orderBy?.field ?? 'CODE';
      const direction = args.orderBy?.direction ?? defaultDirection(field, ['CODE', 'NAME']);
      const page = await listCountries(ctx.analyticsDb, { ...args, order: { field, direction } }, readLimits(ctx));
      return {
        ...page,
        edges: page.edges.map((e) => ({ cursor: e.cursor, node: { ...e.node.country, stats: e.node.stats } })),
      };
    },
  }),
}));
