// Ad-hoc analytics over facts: each field is one SQL statement run under the analytics
// statement timeout (ANALYTICS_TIMEOUT_MS).
import { activity, type ActivityBucket } from '../resolvers/activity.ts';
import { busiestHours, resolutionDistribution, type HourOfWeekRow, type ResolutionDistribution } from '../resolvers/distributions.ts';
import { periodRange, top, type TopRow } from '../resolvers/top.ts';
import { Application } from './application.ts';
import { builder } from './builder.ts';
import { Country } from './country.ts';
import { SortDirection, TimeBucket, TopDimension, TopMetric } from './enums.ts';
import { Hashtag } from './hashtag.ts';
import { factFilter, FactFilterInput, period, PeriodInput } from './inputs.ts';
import { loaders } from './loaders.ts';
import { readLimits } from './page.ts';
import { User } from './user.ts';

const ActivityPoint = builder.objectRef<ActivityBucket>('ActivityPoint').implement({
  description: 'Actions in one bucket of a time series.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Start of the bucket (UTC).', resolve: (b) => b.start }),
    opened: t.exposeInt('opened', { description: 'Opening actions in the bucket.' }),
    commented: t.exposeInt('commented', { description: 'Comment actions in the bucket.' }),
    closed: t.exposeInt('closed', { description: 'Closing actions in the bucket.' }),
    reopened: t.exposeInt('reopened', { description: 'Reopening actions in the bucket.' }),
    hidden: t.exposeInt('hidden', { description: 'Hiding actions in the bucket.' }),
    total: t.exposeInt('total', { description: 'All actions in the bucket.' }),
  }),
});

const TopEntry = builder.objectRef<TopRow & { dimension: string }>('TopEntry').implement({
  description: 'One place in a ranking; the object field matching the dimension is set.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: '1 for the first.' }),
    value: t.exposeFloat('value', { description: 'The metric: a count, or days for the resolution metrics.' }),
    key: t.exposeString('key', { description: 'Country code, OSM user id, application name or lower-case hashtag.' }),
    label: t.exposeString('label', { description: 'Country name, username, application name or hashtag as first seen.' }),
    country: t.field({
      type: Country,
      nullable: true,
      description: 'Set when ranking COUNTRY.',
      resolve: (e, _args, ctx) => (e.dimension === 'COUNTRY' ? loaders(ctx).countriesById.load(e.id) : null),
    }),
    user: t.field({ type: User, nullable: true, description: 'Set when ranking USER.', resolve: (e) => (e.dimension === 'USER' ? e.id : null) }),
    application: t.field({
      type: Application,
      nullable: true,
      description: 'Set when ranking APPLICATION.',
      resolve: (e) => (e.dimension === 'APPLICATION' ? e.id : null),
    }),
    hashtag: t.field({
      type: Hashtag,
      nullable: true,
      description: 'Set when ranking HASHTAG.',
      resolve: (e) => (e.dimension === 'HASHTAG' ? { id: e.id, name: e.label } : null),
    }),
  }),
});

const Percentile = builder.objectRef<ResolutionDistribution['percentiles'][number]>('ResolutionPercentile').implement({
  description: 'One percentile of the days to resolution.',
  fields: (t) => ({
    percentile: t.exposeFloat('percentile', { description: '0 to 100.' }),
    days: t.exposeFloat('days', { nullable: true, description: 'Continuous percentile; null without closes.' }),
  }),
});

const HistogramBucket = builder.objectRef<ResolutionDistribution['histogram'][number]>('ResolutionHistogramBucket').implement({
  description: 'Closes whose days to resolution fall in [fromDays, toDays).',
  fields: (t) => ({
    fromDays: t.exposeInt('fromDays', { description: 'Inclusive.' }),
    toDays: t.exposeInt('toDays', { nullable: true, description: 'Exclusive; null for the last, open-ended bucket.' }),
    closes: t.exposeInt('closes', { description: 'Closes in the bucket.' }),
  }),
});

const Distribution = builder.objectRef<ResolutionDistribution>('ResolutionDistribution').implement({
  description: 'Days from opening to close of the closing actions selected.',
  fields: (t) => ({
    closes: t.exposeInt('closes', { description: 'Closing actions selected (with a days-to-resolution value).' }),
    minDays: t.exposeInt('minDays', { nullable: true, description: 'Fewest days; null without closes.' }),
    maxDays: t.exposeInt('maxDays', { nullable: true, description: 'Most days; null without closes.' }),
    meanDays: t.exposeFloat('meanDays', { nullable: true, description: 'Mean days, 2 decimals; null without closes.' }),
    percentiles: t.field({ type: [Percentile], description: 'The percentiles asked for, in the order asked.', resolve: (d) => d.percentiles }),
    histogram: t.field({ type: [HistogramBucket], description: 'Closes per range of days, shortest first.', resolve: (d) => d.histogram }),
  }),
});

const HourOfWeek = builder.objectRef<HourOfWeekRow>('HourOfWeekActivity').implement({
  description: 'Actions in one hour of the week (UTC).',
  fields: (t) => ({
    hourOfWeek: t.exposeInt('key', { description: 'ISO day of week × 100 + hour (Monday 00:00 → 100).' }),
    isoDayOfWeek: t.exposeInt('isoDayOfWeek', { description: '1 = Monday … 7 = Sunday.' }),
    dayName: t.exposeString('dayName', { description: 'English name of the day (Monday …).' }),
    hour: t.exposeInt('hour', { description: 'Hour of the day, 0 to 23 (UTC).' }),
    actions: t.exposeInt('actions', { description: 'Actions selected in this hour of the week.' }),
    opened: t.exposeInt('opened', { description: 'Of which openings.' }),
    commented: t.exposeInt('commented', { description: 'Of which comments.' }),
    closed: t.exposeInt('closed', { description: 'Of which closes.' }),
  }),
});

const range = (args: { from?: Date | null; to?: Date | null }) => ({ from: args.from, to: args.to });

builder.queryFields((t) => ({
  activity: t.field({
    type: [ActivityPoint],
    description: 'Actions per bucket (with empty buckets) between from and to, or between the first and last action selected.',
    args: {
      groupBy: t.arg({ type: TimeBucket, required: true, description: 'The bucket length.' }),
      filter: t.arg({ type: FactFilterInput, description: 'Only the actions that match.' }),
      from: t.arg({ type: 'DateTime', description: 'Inclusive.' }),
      to: t.arg({ type: 'DateTime', description: 'Exclusive.' }),
    },
    complexity: { field: 5, multiplier: 1 },
    resolve: (_root, args, ctx) =>
      activity(ctx.analyticsDb, { groupBy: args.groupBy, filter: factFilter(args.filter), range: range(args) }, ctx.config.ANALYTICS_TIMEOUT_MS),
  }),
  top: t.field({
    type: [TopEntry],
    description: 'A ranking by a measure of the facts in a period (all time when omitted).',
    args: {
      dimension: t.arg({ type: TopDimension, required: true, description: 'What to rank.' }),
      metric: t.arg({ type: TopMetric, required: true, description: 'What to rank by.' }),
      period: t.arg({ type: PeriodInput, description: 'The actions of this period only; all time when omitted.' }),
      filter: t.arg({ type: FactFilterInput, description: 'Only the actions that match.' }),
      limit: t.arg.int({ defaultValue: 10, required: true, description: 'Places to return (1 to MAX_PAGE_SIZE).' }),
      direction: t.arg({ type: SortDirection, description: 'DESC (default): largest first.' }),
    },
    complexity: (args: { limit?: number | null }) => ({ field: 5, multiplier: Math.max(1, Math.min(args.limit ?? 10, 100)) }),
    resolve: async (_root, args, ctx) => {
      periodRange(args.period);
      const rows = await top(
        ctx.analyticsDb,
        { ...args, period: period(args.period), filter: factFilter(args.filter) },
        readLimits(ctx),
      );
      return rows.map((r) => ({ ...r, dimension: args.dimension }));
    },
  }),
  resolutionTimes: t.field({
    type: Distribution,
    description: 'Distribution of days to resolution over the closes selected (closes made in [from, to)).',
    args: {
      filter: t.arg({ type: FactFilterInput, description: 'Only the closes that match.' }),
      from: t.arg({ type: 'DateTime', description: 'Closes at or after this instant.' }),
      to: t.arg({ type: 'DateTime', description: 'Closes before this instant.' }),
      percentiles: t.arg.floatList({ description: 'Default: 10, 25, 50, 75, 90, 95, 99.' }),
    },
    complexity: 5,
    resolve: (_root, args, ctx) =>
      resolutionDistribution(
        ctx.analyticsDb,
        { filter: factFilter(args.filter), range: range(args), percentiles: args.percentiles },
        ctx.config.ANALYTICS_TIMEOUT_MS,
      ),
  }),
  busiestHours: t.field({
    type: [HourOfWeek],
    description: 'Hours of the week (UTC) by actions selected, busiest first; all 168 unless limit is given.',
    args: {
      filter: t.arg({ type: FactFilterInput, description: 'Only the actions that match.' }),
      from: t.arg({ type: 'DateTime', description: 'Actions at or after this instant.' }),
      to: t.arg({ type: 'DateTime', description: 'Actions before this instant.' }),
      limit: t.arg.int({ defaultValue: 168, required: true, description: 'Hours to return (1 to 168).' }),
    },
    complexity: { field: 5, multiplier: 1 },
    resolve: (_root, args, ctx) =>
      busiestHours(ctx.analyticsDb, { filter: factFilter(args.filter), range: range(args), limit: args.limit }, ctx.config.ANALYTICS_TIMEOUT_MS),
  }),
}));
