// Per-request dataloaders shared by several fields (a fact's user, opener and closer use one
// loader; a note's facts and application use one), so a query costs one statement per kind
// of related object whatever the page size.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { countriesByDimensionIds, countriesByIds } from '../resolvers/directory.ts';
import { factsOfNotes, hashtagsOfFacts } from '../resolvers/facts.ts';
import { commentsOfNotes, notesByIds } from '../resolvers/notes.ts';
import { lastYearActivityOf, statsOf } from '../resolvers/stats.ts';
import { yearsOf } from '../resolvers/stats-breakdowns.ts';
import { monthsOf } from '../resolvers/stats-months.ts';
import { loadByScope } from '../resolvers/stats-scope.ts';
import { usersByDimensionIds } from '../resolvers/users.ts';
import type { GraphQLContext } from './context.ts';

export const loaders = createContextCache((ctx: GraphQLContext) => {
  // Each loader is made when a request first uses it: most requests need one or two of them.
  return lazily({
    usersByDimension: () => new DataLoader((keys: readonly number[]) => usersByDimensionIds(ctx.db, keys)),
    countriesById: () => new DataLoader((ids: readonly number[]) => countriesByIds(ctx.db, ids)),
    countriesByDimension: () => new DataLoader((keys: readonly number[]) => countriesByDimensionIds(ctx.db, keys)),
    notes: () => new DataLoader((ids: readonly number[]) => notesByIds(ctx.db, ids)),
    commentsOfNote: () => new DataLoader((ids: readonly number[]) => commentsOfNotes(ctx.db, ids)),
    factsOfNote: () => new DataLoader((ids: readonly number[]) => factsOfNotes(ctx.db, ids)),
    /** Keyed "note:sequence". */
    hashtagsOfFact: () => new DataLoader((keys: readonly string[]) => hashtagsOfFacts(ctx.db, keys)),
    /** Keyed "scope:id" (see stats-scope.ts). */
    stats: () => new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => statsOf(ctx.db, scope, ids))),
    lastYearActivity: () =>
      new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => lastYearActivityOf(ctx.db, scope, ids))),
    years: () => new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => yearsOf(ctx.db, scope, ids))),
    months: () => new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => monthsOf(ctx.db, scope, ids))),
  });
});

/** An object whose properties are made by their maker on first read, then kept. */
function lazily<T extends Record<string, () => unknown>>(makers: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const made: Partial<Record<keyof T, unknown>> = {};
  const object = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const key of Object.keys(makers) as (keyof T)[]) {
    Object.defineProperty(object, key, { get: () => (made[key] ??= makers[key]!()) });
  }
  return object;
}

/** Rejects a missing row (the loader gave null) with a logged internal error. */
export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} not found`);
  return value;
}
