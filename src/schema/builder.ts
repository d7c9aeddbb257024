import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { GraphQLContext } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    Date: { Input: Date; Output: Date | string };
    GeoJSON: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ComplexityPlugin, DataloaderPlugin, RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    // A connection's cost is its page size times its node's (set on each connection field);
    // the edges list must not multiply it again by the default list factor.
    edgesFieldOptions: { complexity: { field: 0, multiplier: 1 } },
    pageInfoFieldOptions: { complexity: 0 },
  },
  // Field costs only: src/http/limits.ts checks them once, before execution. (A `limit` here would
  // check again during execution, on the document other plugins rewrote, and fail as an
  // internal error.)
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
  },
});

builder.queryType({});
