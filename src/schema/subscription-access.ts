// SUBSCRIPTION_TOKEN is checked in the subscribe function of every Subscription field: graphql-ws,
// SSE over GET or POST with any Accept header, and any transport added later all start a
// subscription there and nowhere else.
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { UnauthorizedError } from '../errors.ts';
import type { GraphQLContext } from './context.ts';

export const SUBSCRIPTION_TOKEN_NEEDED =
  'subscriptions need the token: send "Authorization: Bearer <SUBSCRIPTION_TOKEN>" (or connectionParams { token } over graphql-ws)';

/** Wraps each Subscription field's subscribe function in the token check (once per schema). */
export function guardSubscriptions(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const subscribe = field.subscribe as GraphQLFieldResolver<unknown, GraphQLContext> | undefined;
    if (!subscribe) continue;
    field.subscribe = (root, args, ctx: GraphQLContext, info) => {
      if (!ctx.access.subscriber) throw new UnauthorizedError(SUBSCRIPTION_TOKEN_NEEDED, ctx.clientAddress);
      return subscribe(root, args, ctx, info);
    };
  }
  return schema;
}
