import DataLoader from 'dataloader';
import { createContextCache } from '@pothos/core';
import { hashtagUses, hashtagYears, listHashtags, type HashtagRow } from '../resolvers/hashtags.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { SortDirection } from './enums.ts';
import { defaultDirection, pageComplexity, readLimits } from './page.ts';
import { YearCount } from './year-count.ts';

const hashtagLoaders = createContextCache((ctx: GraphQLContext) => ({
  uses: new DataLoader((ids: readonly number[]) => hashtagUses(ctx.db, ids)),
  years: new DataLoader((ids: readonly number[]) => hashtagYears(ctx.db, ids)),
}));

export const Hashtag = builder.objectRef<HashtagRow>('Hashtag').implement({
  description: "A '#word' in note texts; matched in any case, named as first seen.",
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Its warehouse key.' }),
    name: t.exposeString('name', { description: "Without the '#'." }),
    uses: t.int({
      description: 'Uses in all texts, whole history.',
      resolve: (h, _args, ctx) => h.uses ?? hashtagLoaders(ctx).uses.load(h.id),
    }),
    usesByYear: t.field({
      type: [YearCount],
      description: 'Uses per year, oldest first (years without any left out).',
      resolve: (h, _args, ctx) => hashtagLoaders(ctx).years.load(h.id),
    }),
  }),
});

const HashtagOrderField = builder.enumType('HashtagOrderField', {
  description: 'What hashtags are ordered by.',
  values: {
    USES: { description: 'Uses, whole history.' },
    NAME: { description: 'The lower-case text.' },
  } as const,
});

const HashtagOrder = builder.inputType('HashtagOrder', {
  description: 'The order of a hashtags list.',
  fields: (t) => ({
    field: t.field({ type: HashtagOrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirection, description: 'Default: DESC for USES, ASC for NAME.' }),
  }),
});

builder.queryField('hashtags', (t) =>
  t.connection({
    type: Hashtag,
    description: 'Hashtags, most used first by default.',
    args: {
      search: t.arg.string({ description: "Hashtags starting with this text ('#' optional, any case)." }),
      orderBy: t.arg({ type: HashtagOrder, description: 'Most used first when omitted.' }),
    },
    complexity: pageComplexity,
    resolve: (_root, args, ctx) => {
      const field = args.orderBy?.field ?? 'USES';
      const direction = args.orderBy?.direction ?? defaultDirection(field, ['NAME']);
      return listHashtags(ctx.analyticsDb, { ...args, order: { field, direction } }, readLimits(ctx));
    },
  }),
);
