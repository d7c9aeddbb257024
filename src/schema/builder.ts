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
    edgesFieldOptions: { complexity: { field: 0, multiplier: 1 }, description: 'The items of this page, in order.' },
    pageInfoFieldOptions: { complexity: 0, description: 'Whether there is more, and the cursors to get it.' },
    defaultConnectionTypeOptions: { description: 'One page of a list (Relay connection): pass pageInfo.endCursor as `after` for the next.' },
    defaultEdgeTypeOptions: { description: 'An item of a page and its cursor.' },
    nodeFieldOptions: { description: 'The item.' },
    cursorFieldOptions: { description: 'Pass as `after` to continue after this item.' },
    pageInfoTypeOptions: { description: 'Where a page stands in its list.' },
    hasNextPageFieldOptions: { description: 'More items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Always false: lists are read forwards only.' },
    startCursorFieldOptions: { description: "The first item's cursor; null on an empty page." },
    endCursorFieldOptions: { description: "The last item's cursor (the next page's `after`); null on an empty page." },
    firstArgOptions: { description: 'Page size (default 20, at most MAX_PAGE_SIZE).' },
    afterArgOptions: { description: "A cursor from this list: the page starts after it." },
    lastArgOptions: { description: 'Not supported: lists are read forwards (first/after).' },
    beforeArgOptions: { description: 'Not supported: lists are read forwards (first/after).' },
  },
  // Field costs only: src/http/limits.ts checks them once, before execution. (A `limit` here would
  // check again during execution, on the document other plugins rewrote, and fail as an
  // internal error.)
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
  },
});

builder.queryType({
  description: 'Notes, warehouse facts and datamart figures, analytics over facts, and the health of the pipeline.',
});
