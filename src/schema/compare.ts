// Countries or users side by side: their Stats (every figure the Stats type has) in one query,
// loaded in one statement per scope by the Stats loaders.
import { countriesToCompare, MAX_COMPARED, usersToCompare } from '../resolvers/compare.ts';
import { builder } from './builder.ts';
import { Country } from './country.ts';
import { User } from './user.ts';

/** Each compared entry costs like one item of a page. */
const listComplexity = (count: number | undefined) => ({ field: 1, multiplier: Math.max(1, Math.min(count ?? 1, MAX_COMPARED)) });

builder.queryFields((t) => ({
  compareCountries: t.field({
    type: [Country],
    description: `Up to ${MAX_COMPARED} countries side by side, in the order given: ask for the same fields of each (\`stats { … }\`).`,
    args: {
      codes: t.arg.stringList({
        required: true,
        description: `1 to ${MAX_COMPARED} ISO 3166-1 alpha-2 codes, any case, each once (ZZ: notes in no country).`,
      }),
    },
    complexity: (args) => listComplexity(args.codes?.length),
    resolve: (_root, args, ctx) => countriesToCompare(ctx.db, args.codes),
  }),
  compareUsers: t.field({
    type: [User],
    description: `Up to ${MAX_COMPARED} users side by side, in the order given; give ids or usernames. Unknown users are refused.`,
    args: {
      ids: t.arg.intList({ description: `1 to ${MAX_COMPARED} OSM user ids, each once.` }),
      usernames: t.arg.stringList({
        description: `1 to ${MAX_COMPARED} usernames, each once: exact, else the first case-insensitive match.`,
      }),
    },
    complexity: (args) => listComplexity(args.ids?.length ?? args.usernames?.length),
    resolve: (_root, args, ctx) => usersToCompare(ctx.db, args),
  }),
}));
