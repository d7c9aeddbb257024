// Stats field of comments per note (OSM-Notes-Analytics' avg_comments_per_note): docs/parity.md.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { notesCommentedOf } from '../resolvers/stats-comments.ts';
import { loadByScope, ownerKey } from '../resolvers/stats-scope.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { Stats } from './stats.ts';

const commentLoaders = createContextCache((ctx: GraphQLContext) => ({
  notesCommented: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => notesCommentedOf(ctx.db, scope, ids))),
}));

builder.objectFields(Stats, (t) => ({
  avgCommentsPerNote: t.float({
    nullable: true,
    description:
      'For a user or a country: comment actions counted (`commented`) / distinct notes they were made on, 2 decimals; ' +
      'null without comments and for the world.',
    resolve: async (s, _args, ctx) => {
      const notes = await commentLoaders(ctx).notesCommented.load(ownerKey(s.owner));
      return notes ? Math.round((100 * s.row.commented) / notes) / 100 : null;
    },
  }),
}));
