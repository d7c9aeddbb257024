// The orderings by a Stats figure that the countries and users lists share.
import type { FigureOrderField } from '../resolvers/figure-order.ts';

export const FIGURE_ORDER_VALUES = {
  OPENED: { description: 'Stats.opened.' },
  COMMENTED: { description: 'Stats.commented.' },
  CLOSED: { description: 'Stats.closed.' },
  REOPENED: { description: 'Stats.reopened.' },
  ACTIONS: { description: 'Stats.actions.' },
  STILL_OPEN: { description: 'Stats.stillOpen.' },
  RESOLVED: { description: 'Stats.resolved.' },
  BACKLOG: { description: 'Stats.backlog with the default 30 days.' },
  RESOLUTION_RATE: { description: 'Stats.resolutionRate (missing rates sort below every value).' },
  AVG_DAYS_TO_RESOLUTION: { description: 'Stats.avgDaysToResolution (missing averages sort below every value).' },
  MEDIAN_DAYS_TO_RESOLUTION: { description: 'Stats.medianDaysToResolution (missing medians sort below every value).' },
  LAST_ACTION: { description: 'Stats.lastActionDate.' },
} as const satisfies Record<FigureOrderField, { description: string }>;

export const FigureOrderDescription =
  'Default direction: ASC for names and codes, DESC for figures. BACKLOG uses notes opened more than 30 days ago; ' +
  'missing averages and rates sort below every value.';

