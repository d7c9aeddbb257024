import type { StatsRow } from '../resolvers/stats.ts';
import { findUser, listUsers, usersByIds, type UserRow } from '../resolvers/users.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { FIGURE_ORDER_VALUES, FigureOrderDescription } from './figure-order.ts';
import { SortDirection } from './enums.ts';
import { defaultDirection, pageComplexity, readLimits } from './page.ts';
import { Stats, statsFor } from './stats.ts';

export type UserShape = UserRow & { stats?: StatsRow };

export const User = builder.loadableObject('User', {
  description: 'An OpenStreetMap user who opened or commented on notes.',
  load: async (ids: number[], ctx: GraphQLContext) =>
    (await usersByIds(ctx.db, ids)).map((u, i) => u ?? new Error(`user ${ids[i]} not found`)),
  sort: (u: UserShape) => u.userId,
  fields: (t) => ({
    id: t.exposeInt('userId', { description: 'OSM user id.' }),
    username: t.exposeString('username', { description: 'Current username.' }),
    stats: t.field({
      type: Stats,
      description: 'Figures of the actions this user made, and of the notes this user opened (stillOpen, resolved, backlog).',
      resolve: (u, _args, ctx) => statsFor(ctx, { scope: 'user', id: u.userId }, u.stats),
    }),
  }),
});

const UserOrderField = builder.enumType('UserOrderField', {
  description: 'What users are ordered by: their id, username, or a figure of their Stats.',
  values: {
    ID: { description: 'OSM user id.' },
    USERNAME: { description: 'Current username.' },
    ...FIGURE_ORDER_VALUES,
  } as const,
});

const UserOrder = builder.inputType('UserOrder', {
  description: FigureOrderDescription,
  fields: (t) => ({
    field: t.field({ type: UserOrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirection, description: 'ASC for ID and USERNAME, DESC for figures, when omitted.' }),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    type: User,
    nullable: true,
    description: 'A user by OSM id or by username (exactly one of them); null when unknown.',
    args: {
      id: t.arg.int({ description: 'OSM user id.' }),
      username: t.arg.string({ description: 'Username: exact, else the first case-insensitive match.' }),
    },
    resolve: (_root, args, ctx) => findUser(ctx.db, args),
  }),
  users: t.connection({
    type: User,
    description: 'Users with warehouse figures (who acted on notes), by id unless orderBy says otherwise.',
    args: {
      search: t.arg.string({ description: 'Usernames starting with this text (any case).' }),
      orderBy: t.arg({ type: UserOrder, description: 'By id when omitted.' }),
    },
    complexity: pageComplexity,
    resolve: async (_root, args, ctx) => {
      const field = args.orderBy?.field ?? 'ID';
      const direction = args.orderBy?.direction ?? defaultDirection(field, ['ID', 'USERNAME']);
      const page = await listUsers(ctx.analyticsDb, { ...args, order: { field, direction } }, readLimits(ctx));
      return {
        ...page,
        edges: page.edges.map((e) => ({ cursor: e.cursor, node: { userId: e.node.userId, username: e.node.username, stats: e.node.stats } })),
      };
    },
  }),
}));
