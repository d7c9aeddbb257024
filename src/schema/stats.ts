import DataLoader from 'dataloader';
import { backlogOf, checkBacklogDays, DEFAULT_BACKLOG_DAYS, type StatsRow } from '../resolvers/stats.ts';
import { applicationsOf, checkBreakdown, hashtagsOfOwners, type YearRow } from '../resolvers/stats-breakdowns.ts';
import { loadByScope, ownerKey, type StatsOwner } from '../resolvers/stats-scope.ts';
import { Application } from './application.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { Hashtag } from './hashtag.ts';
import { loaders } from './loaders.ts';

export interface StatsShape {
  owner: StatsOwner;
  row: StatsRow;
}

/** The Stats of an owner: from a row a list query already read, else through the loader. */
export async function statsFor(ctx: GraphQLContext, owner: StatsOwner, row?: StatsRow): Promise<StatsShape> {
  return { owner, row: row ?? (await loaders(ctx).stats.load(ownerKey(owner))) };
}

const YearStats = builder.objectRef<YearRow>('YearStats').implement({
  description: 'Figures of one calendar year (UTC): actions made in that year, closes made in that year.',
  fields: (t) => ({
    year: t.exposeInt('year'),
    opened: t.exposeInt('opened'),
    commented: t.exposeInt('commented'),
    closed: t.exposeInt('closed'),
    closedWithComment: t.exposeInt('closedWithComment'),
    reopened: t.exposeInt('reopened'),
    hidden: t.exposeInt('hidden'),
    commentsWithText: t.exposeInt('commentsWithText'),
    avgCommentLength: t.exposeFloat('avgCommentLength', { nullable: true }),
    commentsWithUrlPct: t.exposeFloat('commentsWithUrlPct', { nullable: true }),
    commentsWithMentionPct: t.exposeFloat('commentsWithMentionPct', { nullable: true }),
    resolvedCloses: t.exposeInt('resolvedCloses', { description: 'Closes with a days-to-resolution value.' }),
    avgDaysToResolution: t.exposeFloat('avgDaysToResolution', { nullable: true }),
    medianDaysToResolution: t.exposeFloat('medianDaysToResolution', { nullable: true }),
    applicationsUsed: t.exposeInt('applicationsUsed'),
    firstActionDate: t.field({ type: 'Date', nullable: true, resolve: (y) => y.firstActionDate }),
    lastActionDate: t.field({ type: 'Date', nullable: true, resolve: (y) => y.lastActionDate }),
  }),
});

const ApplicationCount = builder.objectRef<{ applicationId: number; notes: number }>('ApplicationCount').implement({
  fields: (t) => ({
    application: t.field({ type: Application, resolve: (a) => a.applicationId }),
    notesOpened: t.exposeInt('notes'),
  }),
});

const HashtagCount = builder.objectRef<{ id: number; name: string; uses: number }>('HashtagCount').implement({
  fields: (t) => ({
    hashtag: t.field({ type: Hashtag, resolve: (h) => ({ id: h.id, name: h.name }) }),
    uses: t.exposeInt('uses'),
  }),
});

export const Stats = builder.objectRef<StatsShape>('Stats').implement({
  description:
    'Datamart figures of a country, a user or the whole world. For a country: actions on its notes; for a ' +
    'user: actions the user made, and (stillOpen, resolved, backlog, resolutionRate) notes the user opened.',
  fields: (t) => ({
    opened: t.int({ resolve: (s) => s.row.opened }),
    commented: t.int({ resolve: (s) => s.row.commented }),
    closed: t.int({ resolve: (s) => s.row.closed }),
    closedWithComment: t.int({ description: 'Closes with a non-empty text.', resolve: (s) => s.row.closedWithComment }),
    reopened: t.int({ resolve: (s) => s.row.reopened }),
    hidden: t.int({ resolve: (s) => s.row.hidden }),
    actions: t.int({
      description: 'All actions: opened + commented + closed + reopened + hidden.',
      resolve: ({ row: r }) => r.opened + r.commented + r.closed + r.reopened + r.hidden,
    }),
    stillOpen: t.int({ description: 'Notes whose last open/close action opens them.', resolve: (s) => s.row.stillOpen }),
    resolved: t.int({ description: 'Notes whose last open/close action closes them.', resolve: (s) => s.row.resolved }),
    backlog: t.int({
      description: `Notes still open that were opened more than olderThanDays days before today (UTC); default ${DEFAULT_BACKLOG_DAYS}.`,
      args: { olderThanDays: t.arg.int({ defaultValue: DEFAULT_BACKLOG_DAYS, required: true }) },
      resolve: (s, args, ctx) => {
        checkBacklogDays(args.olderThanDays);
        if (args.olderThanDays === DEFAULT_BACKLOG_DAYS) return s.row.backlog;
        return backlogLoaders(ctx, args.olderThanDays).load(ownerKey(s.owner));
      },
    }),
    resolutionRate: t.float({
      nullable: true,
      description: 'resolved / (resolved + stillOpen) × 100, 2 decimals.',
      resolve: (s) => s.row.resolutionRate,
    }),
    avgDaysToResolution: t.float({ nullable: true, resolve: (s) => s.row.avgDaysToResolution }),
    medianDaysToResolution: t.float({ nullable: true, resolve: (s) => s.row.medianDaysToResolution }),
    avgCommentLength: t.float({ nullable: true, description: 'Characters, over actions with text.', resolve: (s) => s.row.avgCommentLength }),
    commentsWithUrlPct: t.float({ nullable: true, resolve: (s) => s.row.commentsWithUrlPct }),
    commentsWithMentionPct: t.float({ nullable: true, resolve: (s) => s.row.commentsWithMentionPct }),
    applicationsUsed: t.int({ description: 'Applications that opened at least one note.', resolve: (s) => s.row.applicationsUsed }),
    firstActionDate: t.field({ type: 'Date', nullable: true, resolve: (s) => s.row.firstActionDate }),
    lastActionDate: t.field({ type: 'Date', nullable: true, resolve: (s) => s.row.lastActionDate }),
    lastYearActivity: t.string({
      description:
        '371 digits, one per day ending today (UTC), oldest first: 0 for no action, else min(9, ceil(log2(n + 1))) ' +
        'for n actions (1 → 1, 2–3 → 2, 4–7 → 3, …, 256 or more → 9).',
      resolve: (s, _args, ctx) => loaders(ctx).lastYearActivity.load(ownerKey(s.owner)),
    }),
    years: t.field({
      type: [YearStats],
      description: 'Per-year figures, oldest first (years without actions are left out).',
      resolve: (s, _args, ctx) => loaders(ctx).years.load(ownerKey(s.owner)),
    }),
    applications: t.loadableList({
      type: ApplicationCount,
      byPath: true,
      description: 'Applications by notes opened with them, most first (in `year` only, when given).',
      args: { year: t.arg.int(), first: t.arg.int({ defaultValue: 10, required: true }) },
      load: async (keys: string[], ctx, args) => {
        checkBreakdown(args, ctx.config.MAX_PAGE_SIZE);
        return loadByScope(keys, (scope, ids) => applicationsOf(ctx.db, scope, ids, args));
      },
      resolve: (s) => ownerKey(s.owner),
    }),
    topHashtags: t.loadableList({
      type: HashtagCount,
      byPath: true,
      description: 'Hashtags by uses, most first (in `year` only, when given).',
      args: { year: t.arg.int(), first: t.arg.int({ defaultValue: 10, required: true }) },
      load: async (keys: string[], ctx, args) => {
        checkBreakdown(args, ctx.config.MAX_PAGE_SIZE);
        return loadByScope(keys, (scope, ids) => hashtagsOfOwners(ctx.db, scope, ids, args));
      },
      resolve: (s) => ownerKey(s.owner),
    }),
  }),
});

const backlogLoaderCache = new WeakMap<GraphQLContext, Map<number, DataLoader<string, number>>>();

/** One loader per olderThanDays value asked in the request. */
function backlogLoaders(ctx: GraphQLContext, days: number) {
  let byDays = backlogLoaderCache.get(ctx);
  if (!byDays) backlogLoaderCache.set(ctx, (byDays = new Map()));
  let loader = byDays.get(days);
  if (!loader) {
    loader = new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => backlogOf(ctx.db, scope, ids, days)));
    byDays.set(days, loader);
  }
  return loader;
}

builder.queryField('globalStats', (t) =>
  t.field({
    type: Stats,
    description: 'Figures of every note in the warehouse.',
    resolve: (_root, _args, ctx) => statsFor(ctx, { scope: 'global', id: 0 }),
  }),
);
