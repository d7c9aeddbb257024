// Stats fields of where a user acts and who acts in a country (OSM-Notes-Analytics'
// countries_open_notes*, countries_solving_notes*, users_open_notes*, users_solving_notes*,
// ranking_countries_*_YYYY, ranking_users_*_YYYY): docs/parity.md.
import { checkPlaceArgs, countriesOfUsers, usersOfCountries, type CountryPlace, type UserPlace } from '../resolvers/stats-geography.ts';
import { loadByScope, ownerKey } from '../resolvers/stats-scope.ts';
import { builder } from './builder.ts';
import { Country } from './country.ts';
import { NoteAction } from './enums.ts';
import { Stats } from './stats.ts';
import { User } from './user.ts';

export const StatsPeriod = builder.enumType('StatsPeriod', {
  description: 'A period ending now (UTC calendar units).',
  values: {
    TODAY: { description: 'The current UTC day.' },
    THIS_MONTH: { description: 'The current calendar month (UTC).' },
    THIS_YEAR: { description: 'The current calendar year (UTC).' },
    ALL_TIME: { description: 'The whole history.' },
  } as const,
});

const CountryPlaceRef = builder.objectRef<CountryPlace>('CountryPlace').implement({
  description: 'A country in a ranking, with its count.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: 'Place: 1 for the largest count; equal counts share a place (1, 1, 3).' }),
    country: t.field({ type: Country, description: 'The country.', resolve: ({ rank: _r, count: _c, ...country }) => country }),
    count: t.exposeInt('count', { description: 'Actions of the kind asked in the period.' }),
  }),
});

const UserPlaceRef = builder.objectRef<UserPlace>('UserPlace').implement({
  description: 'A user in a ranking, with their count.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: 'Place: 1 for the largest count; equal counts share a place (1, 1, 3).' }),
    user: t.field({ type: User, description: 'The user.', resolve: (p) => p.userId }),
    count: t.exposeInt('count', { description: 'Actions of the kind asked in the period.' }),
  }),
});

builder.objectFields(Stats, (t) => {
  const placeArgs = {
    action: t.arg({ type: NoteAction, defaultValue: 'opened', required: true, description: 'The kind of action counted (default OPENED; CLOSED for solving).' }),
    period: t.arg({ type: StatsPeriod, defaultValue: 'ALL_TIME', required: true, description: 'The period (default ALL_TIME); ignored when year is given.' }),
    year: t.arg.int({ description: 'A calendar year (UTC) instead of the period: the ranking of that year.' }),
    first: t.arg.int({ defaultValue: 10, required: true, description: 'Places to return, at most (0 to MAX_PAGE_SIZE).' }),
  };
  return {
    topCountries: t.loadableList({
      type: CountryPlaceRef,
      byPath: true,
      description:
        "For a user: the countries of the notes they acted on, by their actions of one kind in a period, most first " +
        '(ties by country code). Empty for a country and for the world (for the world, see `top`).',
      args: placeArgs,
      load: async (keys: string[], ctx, args) => {
        checkPlaceArgs(args, ctx.config.MAX_PAGE_SIZE);
        return loadByScope(keys, (scope, ids) => countriesOfUsers(ctx.db, scope, ids, args));
      },
      resolve: (s) => ownerKey(s.owner),
    }),
    topUsers: t.loadableList({
      type: UserPlaceRef,
      byPath: true,
      description:
        'For a country: the users who acted on its notes, by their actions of one kind in a period, most first ' +
        '(ties by user id; anonymous actions left out). Empty for a user and for the world (for the world, see `top`).',
      args: placeArgs,
      load: async (keys: string[], ctx, args) => {
        checkPlaceArgs(args, ctx.config.MAX_PAGE_SIZE);
        return loadByScope(keys, (scope, ids) => usersOfCountries(ctx.db, scope, ids, args));
      },
      resolve: (s) => ownerKey(s.owner),
    }),
  };
});
