// Badges (OSM-Notes-Analytics' badge system): Stats.badges and DatamartUpdate.badgesEarned.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { BADGES, badgesOf, type BadgeDefinition } from '../resolvers/badges.ts';
import { loadByScope, ownerKey } from '../resolvers/stats-scope.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { DatamartUpdateType } from './events.ts';
import { Stats } from './stats.ts';

export const Badge = builder.objectRef<BadgeDefinition>('Badge').implement({
  description: "A badge of OSM-Notes-Analytics' badge system, derived from a user's figures (docs/parity.md).",
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Stable identifier, e.g. CLOSED_100.' }),
    name: t.exposeString('name', { description: 'Name, as OSM-Notes-Analytics names it.' }),
    description: t.exposeString('description', { description: 'What earns it.' }),
  }),
});

const badgeLoaders = createContextCache((ctx: GraphQLContext) =>
  new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => badgesOf(ctx.db, scope, ids))),
);

const BY_ID = new Map(BADGES.map((b) => [b.id, b]));

builder.objectFields(Stats, (t) => ({
  badges: t.field({
    type: [Badge],
    description: 'For a user: the badges their figures earn now, in a fixed order; empty for a country and the world.',
    resolve: (s, _args, ctx) => badgeLoaders(ctx).load(ownerKey(s.owner)),
  }),
}));

builder.objectFields(DatamartUpdateType, (t) => ({
  badgesEarned: t.field({
    type: [Badge],
    description:
      'On a USER update sent for badges: those the user has now and did not have at the previous check (checks run ' +
      'at most once a second, after batches); empty on the updates sent for batches.',
    resolve: (u) => (u.badgesEarned ?? []).map((id) => BY_ID.get(id)!),
  }),
}));
