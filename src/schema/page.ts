// What every list field shares: its cost for the complexity limit, and the limits a list
// resolver needs from the configuration.
import type { GraphQLContext } from './context.ts';

/** A page costs its size times its node's cost; oversize `first` is refused later, clearly. */
export function pageComplexity(args: { first?: number | null }, ctx: GraphQLContext) {
  const size = Math.max(0, Math.min(args.first ?? 20, ctx.config.MAX_PAGE_SIZE));
  return { field: 1, multiplier: size };
}

export function readLimits(ctx: GraphQLContext) {
  return { maxPageSize: ctx.config.MAX_PAGE_SIZE, timeoutMs: ctx.config.ANALYTICS_TIMEOUT_MS };
}

/** Text orderings read best A→Z, figures largest first. */
export function defaultDirection(field: string, ascendingFields: readonly string[]): 'ASC' | 'DESC' {
  return ascendingFields.includes(field) ? 'ASC' : 'DESC';
}
