// Stats.activityCalendar: actions per day as a list, for calendar heatmaps (issue 24). It
// replaces lastYearActivity's digit string, which stays, deprecated, for existing clients.
import { activityCalendarOf, CALENDAR_DAYS, checkCalendarDays, type DayCount } from '../resolvers/activity-calendar.ts';
import { loadByScope, ownerKey } from '../resolvers/stats-scope.ts';
import { builder } from './builder.ts';
import { Stats } from './stats.ts';

export const DayCountType = builder.objectRef<DayCount>('DayCount').implement({
  description: 'Actions on one UTC day (of one kind, where the field asks for a kind).',
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The day (UTC).', resolve: (d) => d.date }),
    count: t.exposeInt('count', { description: 'Actions made that day (0 for none).' }),
  }),
});

builder.objectField(Stats, 'activityCalendar', (t) =>
  t.loadableList({
    type: DayCountType,
    byPath: true,
    description:
      'Actions per UTC day for the `days` days ending today, oldest first, every day present (count 0 for a day ' +
      'without actions): what lastYearActivity encodes as digits, as numbers.',
    args: {
      days: t.arg.int({
        defaultValue: CALENDAR_DAYS,
        required: true,
        description: `Days ending today (1 to 3660); ${CALENDAR_DAYS} by default, 53 weeks as lastYearActivity.`,
      }),
    },
    complexity: (args: { days: number }) => ({ field: 1, multiplier: Math.max(1, Math.ceil(args.days / 100)) }),
    load: async (keys: string[], ctx, args) => {
      checkCalendarDays(args.days);
      return loadByScope(keys, (scope, ids) => activityCalendarOf(ctx.db, scope, ids, args.days));
    },
    resolve: (s) => ownerKey(s.owner),
  }),
);
