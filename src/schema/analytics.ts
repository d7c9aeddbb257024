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
    opened: t.exposeInt('opened'),
    commented: t.exposeInt('commented'),
    closed: t.exposeInt('closed'),
    reopened: t.exposeInt('reopened'),
    hidden: t.exposeInt('hidden'),
    total: t.exposeInt('total'),
  }),
});

const TopEntry = builder.objectRef<TopRow & { dimension: string }>('TopEntry').implement({
  description: 'One place in a ranking; the object field matching the dimension is set.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: '1 for the first.' }),
    value: t.exposeFloat('value'),
    key: t.exposeString('key', { description: 'Country code, OSM user id, application name or lower-case hashtag.' }),
    label: t.exposeString('label', { description: 'Country name, username, application name or hashtag as first seen.' }),
    country: t.field({
      type: Country,
      nullable: true,
      resolve: (e, _args, ctx) => (e.dimension === 'COUNTRY' ? loaders(ctx).countriesById.load(e.id) : null),
    }),
    user: t.field({ type: User, nullable: true, resolve: (e) => (e.dimension === 'USER' ? e.id : null) }),
    application: t.field({ type: Application, nullable: true, resolve: (e) => (e.dimension === 'APPLICATION' ? e.id : null) }),
    hashtag: t.field({
      type: Hashtag,
      nullable: true,
      resolve: (e) => (e.dimension === 'HASHTAG' ? { id: e.id, name: e.label } : null),
    }),
  }),
});

const Percentile = builder.objectRef<ResolutionDistribution['percentiles'][number]>('ResolutionPercentile').implement({
  fields: (t) => ({
    percentile: t.exposeFloat('percentile', { description: '0 to 100.' }),
    days: t.exposeFloat('days', { nullable: true, description: 'Continuous percentile; null without closes.' }),
  }),
});

const HistogramBucket = builder.objectRef<ResolutionDistribution['histogram'][number]>('ResolutionHistogramBucket').implement({
  fields: (t) => ({
    fromDays: t.exposeInt('fromDays', { description: 'Inclusive.' }),
    toDays: t.exposeInt('toDays', { nullable: true, description: 'Exclusive; null for the last, open-ended bucket.' }),
    closes: t.exposeInt('closes'),
  }),
});

const Distribution = builder.objectRef<ResolutionDistribution>('ResolutionDistribution').implement({
  description: 'Days from opening to close of the closing actions selected.',
  fields: (t) => ({
    closes: t.exposeInt('closes'),
    minDays: t.exposeInt('minDays', { nullable: true }),
    maxDays: t.exposeInt('maxDays', { nullable: true }),
    meanDays: t.exposeFloat('meanDays', { nullable: true }),
    percentiles: t.field({ type: [Percentile], resolve: (d) => d.percentiles }),
    histogram: t.field({ type: [HistogramBucket], resolve: (d) => d.histogram }),
  }),
});

const HourOfWeek = builder.objectRef<HourOfWeekRow>('HourOfWeekActivity').implement({
  description: 'Actions in one hour of the week (UTC).',
  fields: (t) => ({
    hourOfWeek: t.exposeInt('key', { description: 'ISO day of week × 100 + hour (Monday 00:00 → 100).' }),
    isoDayOfWeek: t.exposeInt('isoDayOfWeek', { description: '1 = Monday … 7 = Sunday.' }),
    dayName: t.exposeString('dayName'),
    hour: t.exposeInt('hour'),
    actions: t.exposeInt('actions'),
    opened: t.exposeInt('opened'),
    commented: t.exposeInt('commented'),
    closed: t.exposeInt('closed'),
  }),
});

const range = (args: { from?: Date | null; to?: Date | null }) => ({ from: args.from, to: args.to });

builder.queryFields((t) => ({
  activity: t.field({
    type: [ActivityPoint],
    description: 'Actions per bucket (with empty buckets) between from and to, or between the first and last action selected.',
    args: {
      groupBy: t.arg({ type: TimeBucket, required: true }),
      filter: t.arg({ type: FactFilterInput }),
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
      dimension: t.arg({ type: TopDimension, required: true }),
      metric: t.arg({ type: TopMetric, required: true }),
      period: t.arg({ type: PeriodInput }),
      filter: t.arg({ type: FactFilterInput }),
      limit: t.arg.int({ defaultValue: 10, required: true }),
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
      filter: t.arg({ type: FactFilterInput }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
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
      filter: t.arg({ type: FactFilterInput }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      limit: t.arg.int({ defaultValue: 168, required: true }),
    },
    complexity: { field: 5, multiplier: 1 },
    resolve: (_root, args, ctx) =>
      busiestHours(ctx.analyticsDb, { filter: factFilter(args.filter), range: range(args), limit: args.limit }, ctx.config.ANALYTICS_TIMEOUT_MS),
  }),
}));
