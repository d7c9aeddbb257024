// Rolling-window rankings and the pipeline's recent history: what the live dashboard
// (/dashboard) reads besides note events and alerts, public like every other field.
import type { DashboardFeeds } from '../dashboard/feeds.ts';
import { HISTORY_SECONDS, type PipelineSample } from '../dashboard/pipeline-history.ts';
import { checkRankingLimit, rollingRankings, type RankedItem, type RollingRankings } from '../dashboard/rolling-rankings.ts';
import { UserInputError } from '../errors.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';

const RollingWindowEnum = builder.enumType('RollingWindow', {
  description: 'A window of action time that ends now.',
  values: {
    LAST_10_MINUTES: { value: 'LAST_10_MINUTES', description: 'The last 10 minutes.' },
    LAST_HOUR: { value: 'LAST_HOUR', description: 'The last 60 minutes.' },
  } as const,
});

const RankedItemType = builder.objectRef<RankedItem>('RankedItem').implement({
  description: 'One place of a rolling ranking.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: '1 for the most actions; ties are broken by key.' }),
    key: t.exposeString('key', { description: 'Country code, hashtag, application name or OSM user id.' }),
    label: t.exposeString('label', { description: 'Country name, hashtag, application name or username.' }),
    actions: t.exposeInt('actions', {
      description: 'Actions in the window: on notes of the country, with the hashtag in their text, on notes opened with the application, made by the user.',
    }),
  }),
});

const RollingRankingsType = builder.objectRef<RollingRankings>('RollingRankings').implement({
  description:
    'The countries, hashtags, applications and users with the most note actions whose action time is in a window ' +
    'ending now, computed from the warehouse facts when asked (see docs/dashboard.md).',
  fields: (t) => ({
    window: t.field({ type: RollingWindowEnum, description: 'The window.', resolve: (r) => r.window }),
    from: t.field({ type: 'DateTime', description: 'Start of the window (exclusive).', resolve: (r) => r.from }),
    to: t.field({ type: 'DateTime', description: 'End of the window (inclusive): when the rankings were computed.', resolve: (r) => r.to }),
    actions: t.exposeInt('actions', { description: 'Every action in the window, anonymous ones and those of any country included.' }),
    countries: t.field({ type: [RankedItemType], description: 'Countries by actions on their notes.', resolve: (r) => r.countries }),
    hashtags: t.field({ type: [RankedItemType], description: 'Hashtags by uses in action texts.', resolve: (r) => r.hashtags }),
    applications: t.field({
      type: [RankedItemType],
      description: 'Applications by actions on the notes opened with them.',
      resolve: (r) => r.applications,
    }),
    users: t.field({ type: [RankedItemType], description: 'Users by actions they made (anonymous actions are left out).', resolve: (r) => r.users }),
  }),
});

const PipelineSampleType = builder.objectRef<PipelineSample>('PipelineSample').implement({
  description: "The pipeline's figures at one moment, as the alert rules read them.",
  fields: (t) => ({
    at: t.field({ type: 'DateTime', description: "When the figures were read (the database's clock).", resolve: (s) => s.at }),
    receivedPerSecond: t.exposeFloat('receivedPerSecond', {
      nullable: true,
      description: 'Events written to the outbox per second since the previous sample; null for the first.',
    }),
    processedPerSecond: t.exposeFloat('processedPerSecond', {
      nullable: true,
      description: 'Events processed (in batches committed) per second since the previous sample; null for the first.',
    }),
    lagSeconds: t.exposeFloat('lagSeconds', { description: 'Age of the oldest event waiting to be processed; 0 when none waits.' }),
    backlog: t.exposeInt('backlog', { description: 'Events waiting in the outbox.' }),
    deadLetters: t.exposeInt('deadLetters', { description: 'Events dead-lettered after too many failures.' }),
    processorsLive: t.exposeInt('processorsLive', { description: 'Processors with a heartbeat in the last 15 s.' }),
    listenerDownSeconds: t.exposeFloat('listenerDownSeconds', {
      description: "Longest time a LISTEN connection (a processor's or this server's) has been down; 0 while all are up.",
    }),
    subscribers: t.exposeInt('subscribers', { description: 'Open event and datamart subscriptions of this server.' }),
  }),
});

const PipelineHistoryType = builder
  .objectRef<{ intervalSeconds: number; samples: PipelineSample[] }>('PipelineHistory')
  .implement({
    description: "This server's recent samples of the pipeline's figures (kept for an hour, in memory, since it started).",
    fields: (t) => ({
      intervalSeconds: t.exposeInt('intervalSeconds', { description: 'Seconds between samples (ALERT_EVALUATION_SECONDS).' }),
      samples: t.field({ type: [PipelineSampleType], description: 'Oldest first.', resolve: (h) => h.samples }),
    }),
  });

function feedsOf(ctx: GraphQLContext): DashboardFeeds {
  if (!ctx.dashboard) throw new Error('dashboard feeds are not available in this process');
  return ctx.dashboard;
}

builder.queryFields((t) => ({
  rollingRankings: t.field({
    type: RollingRankingsType,
    description: 'Top countries, hashtags, applications and users by note actions in the window ending now.',
    args: {
      window: t.arg({ type: RollingWindowEnum, required: true, description: 'LAST_10_MINUTES or LAST_HOUR.' }),
      limit: t.arg.int({ defaultValue: 10, required: true, description: 'Places per ranking (1 to 50).' }),
    },
    complexity: { field: 5, multiplier: 1 },
    resolve: (_root, args, ctx) => rollingRankings(ctx.analyticsDb, args.window, args.limit),
  }),
  pipelineHistory: t.field({
    type: PipelineHistoryType,
    description: "The pipeline's figures sampled every ALERT_EVALUATION_SECONDS over the last `lastSeconds` (at most an hour).",
    args: {
      lastSeconds: t.arg.int({ defaultValue: 900, required: true, description: `Seconds back from now, 1 to ${HISTORY_SECONDS}.` }),
    },
    resolve: (_root, args, ctx) => {
      if (args.lastSeconds < 1 || args.lastSeconds > HISTORY_SECONDS) {
        throw new UserInputError(`lastSeconds must be between 1 and ${HISTORY_SECONDS}, got ${args.lastSeconds}`, 'lastSeconds', args.lastSeconds);
      }
      const { history } = feedsOf(ctx);
      return { intervalSeconds: history.intervalSeconds, samples: history.samples(args.lastSeconds) };
    },
  }),
}));

builder.subscriptionFields((t) => ({
  rollingRankingsChanged: t.field({
    type: RollingRankingsType,
    description:
      'The rollingRankings query, sent now, then after each batch of processed facts (at most once a second) and ' +
      'every 15 s without one, as the window slides.',
    args: {
      window: t.arg({ type: RollingWindowEnum, required: true, description: 'LAST_10_MINUTES or LAST_HOUR.' }),
      limit: t.arg.int({ defaultValue: 10, required: true, description: 'Places per ranking (1 to 50).' }),
    },
    subscribe: (_root, args, ctx) => {
      checkRankingLimit(args.limit);
      return feedsOf(ctx).rankings.stream(args.window, args.limit);
    },
    resolve: (rankings: RollingRankings) => rankings,
  }),
  pipelineSampled: t.field({
    type: PipelineSampleType,
    description: 'Each new sample of pipelineHistory, every ALERT_EVALUATION_SECONDS.',
    subscribe: (_root, _args, ctx) => feedsOf(ctx).history.stream(),
    resolve: (sample: PipelineSample) => sample,
  }),
}));
