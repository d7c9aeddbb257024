import DataLoader from 'dataloader';
import { backlogOf, checkBacklogDays, DEFAULT_BACKLOG_DAYS, type StatsRow } from '../resolvers/stats.ts';
import { applicationsOf, checkBreakdown, hashtagsOfOwners, type YearRow } from '../resolvers/stats-breakdowns.ts';
import type { MonthRow } from '../resolvers/stats-months.ts';
import { loadByScope, ownerKey, type StatsOwner } from '../resolvers/stats-scope.ts';
import { Application } from './application.ts';
import { NoteAction } from './enums.ts';
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

const MonthResolution = builder.objectRef<MonthRow>('MonthResolution').implement({
  description:
    'Resolution figures of one calendar month (UTC): openings and closes made in it, and the days to resolution of its closes.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year (UTC).' }),
    month: t.exposeInt('month', { description: 'The month, 1 (January) to 12.' }),
    opened: t.exposeInt('opened', { description: 'Opening actions in the month.' }),
    closed: t.exposeInt('closed', { description: 'Closing actions in the month.' }),
    resolvedCloses: t.exposeInt('resolvedCloses', { description: 'Closes in the month with a days-to-resolution value.' }),
    avgDaysToResolution: t.float({
      nullable: true,
      description: 'Mean days to resolution of the closes made in the month (2 decimals); null without closes.',
      resolve: (m) => m.avgDaysToResolution,
    }),
    medianDaysToResolution: t.float({
      nullable: true,
      description: 'Continuous median days to resolution of the closes made in the month; null without closes.',
      resolve: (m) => m.medianDaysToResolution,
    }),
    resolutionRate: t.float({
      nullable: true,
      description: 'Closes / openings of the month × 100 (2 decimals); null in a month without openings.',
      resolve: (m) => m.resolutionRate,
    }),
  }),
});

const YearStats = builder.objectRef<YearRow>('YearStats').implement({
  description: 'Figures of one calendar year (UTC): actions made in that year, closes made in that year.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year (UTC).' }),
    opened: t.exposeInt('opened', { description: 'Opening actions in the year.' }),
    commented: t.exposeInt('commented', { description: 'Comment actions in the year.' }),
    closed: t.exposeInt('closed', { description: 'Closing actions in the year.' }),
    closedWithComment: t.exposeInt('closedWithComment', { description: 'Closes in the year with a non-empty text.' }),
    reopened: t.exposeInt('reopened', { description: 'Reopening actions in the year.' }),
    hidden: t.exposeInt('hidden', { description: 'Hiding actions in the year.' }),
    commentsWithText: t.exposeInt('commentsWithText', { description: 'Actions in the year with a non-empty text, of any kind.' }),
    avgCommentLength: t.exposeFloat('avgCommentLength', {
      nullable: true,
      description: 'Mean characters per text, over the actions with text; null without any.',
    }),
    commentsWithUrlPct: t.exposeFloat('commentsWithUrlPct', {
      nullable: true,
      description: 'Share of the actions with text that contain http:// or https://, × 100, 2 decimals.',
    }),
    commentsWithMentionPct: t.exposeFloat('commentsWithMentionPct', {
      nullable: true,
      description: 'Share of the actions with text that mention someone (@name), × 100, 2 decimals.',
    }),
    resolvedCloses: t.exposeInt('resolvedCloses', { description: 'Closes with a days-to-resolution value.' }),
    avgDaysToResolution: t.exposeFloat('avgDaysToResolution', {
      nullable: true,
      description: 'Mean days from opening to close of the closes made in the year, 2 decimals.',
    }),
    medianDaysToResolution: t.exposeFloat('medianDaysToResolution', {
      nullable: true,
      description: 'Continuous median of the same days (the mean of the two middle values for an even count).',
    }),
    applicationsUsed: t.exposeInt('applicationsUsed', { description: 'Applications that opened at least one of the counted notes in the year.' }),
    firstActionDate: t.field({ type: 'Date', nullable: true, description: 'First UTC day of the year with an action.', resolve: (y) => y.firstActionDate }),
    lastActionDate: t.field({ type: 'Date', nullable: true, description: 'Last UTC day of the year with an action.', resolve: (y) => y.lastActionDate }),
  }),
});

const ApplicationCount = builder.objectRef<{ applicationId: number; notes: number }>('ApplicationCount').implement({
  description: 'An application and the notes opened with it among those a Stats counts.',
  fields: (t) => ({
    application: t.field({ type: Application, description: 'The application.', resolve: (a) => a.applicationId }),
    notesOpened: t.exposeInt('notes', { description: 'Notes opened with it (in the year asked, if any).' }),
  }),
});

const HashtagCount = builder.objectRef<{ id: number; name: string; uses: number }>('HashtagCount').implement({
  description: 'A hashtag and its uses among the actions a Stats counts.',
  fields: (t) => ({
    hashtag: t.field({ type: Hashtag, description: 'The hashtag.', resolve: (h) => ({ id: h.id, name: h.name }) }),
    uses: t.exposeInt('uses', { description: 'Uses in action texts (in the year asked, if any).' }),
  }),
});

export const Stats = builder.objectRef<StatsShape>('Stats').implement({
  description:
    'Datamart figures of a country, a user or the whole world. For a country: actions on its notes; for a ' +
    'user: actions the user made, and (stillOpen, resolved, backlog, resolutionRate) notes the user opened.',
  fields: (t) => ({
    opened: t.int({ description: 'Opening actions, whole history.', resolve: (s) => s.row.opened }),
    commented: t.int({ description: 'Comment actions, whole history.', resolve: (s) => s.row.commented }),
    closed: t.int({ description: 'Closing actions, whole history.', resolve: (s) => s.row.closed }),
    closedWithComment: t.int({ description: 'Closes with a non-empty text.', resolve: (s) => s.row.closedWithComment }),
    reopened: t.int({ description: 'Reopening actions, whole history.', resolve: (s) => s.row.reopened }),
    hidden: t.int({ description: 'Hiding actions, whole history.', resolve: (s) => s.row.hidden }),
    actions: t.int({
      description: 'All actions: opened + commented + closed + reopened + hidden.',
      resolve: ({ row: r }) => r.opened + r.commented + r.closed + r.reopened + r.hidden,
    }),
    stillOpen: t.int({ description: 'Notes whose last open/close action opens them.', resolve: (s) => s.row.stillOpen }),
    resolved: t.int({ description: 'Notes whose last open/close action closes them.', resolve: (s) => s.row.resolved }),
    backlog: t.int({
      description: `Notes still open that were opened more than olderThanDays days before today (UTC); default ${DEFAULT_BACKLOG_DAYS}.`,
      args: {
        olderThanDays: t.arg.int({
          defaultValue: DEFAULT_BACKLOG_DAYS,
          required: true,
          description: 'Age in days (0 to 36600) past which an open note counts as backlog.',
        }),
      },
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
    avgDaysToResolution: t.float({
      nullable: true,
      description: 'Mean days from opening to close over the closing actions, 2 decimals; null without closes.',
      resolve: (s) => s.row.avgDaysToResolution,
    }),
    medianDaysToResolution: t.float({
      nullable: true,
      description: 'Continuous median of the same days (the mean of the two middle values for an even count).',
      resolve: (s) => s.row.medianDaysToResolution,
    }),
    avgCommentLength: t.float({ nullable: true, description: 'Characters, over actions with text.', resolve: (s) => s.row.avgCommentLength }),
    commentsWithUrlPct: t.float({
      nullable: true,
      description: 'Share of the actions with text that contain http:// or https://, × 100, 2 decimals.',
      resolve: (s) => s.row.commentsWithUrlPct,
    }),
    commentsWithMentionPct: t.float({
      nullable: true,
      description: 'Share of the actions with text that mention someone (@name), × 100, 2 decimals.',
      resolve: (s) => s.row.commentsWithMentionPct,
    }),
    applicationsUsed: t.int({ description: 'Applications that opened at least one note.', resolve: (s) => s.row.applicationsUsed }),
    firstActionDate: t.field({ type: 'Date', nullable: true, description: 'First UTC day with an action.', resolve: (s) => s.row.firstActionDate }),
    lastActionDate: t.field({ type: 'Date', nullable: true, description: 'Last UTC day with an action.', resolve: (s) => s.row.lastActionDate }),
    lastYearActivity: t.string({
      deprecationReason: 'Use activityCalendar: the same days as { date, count } with the exact counts.',
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
    resolutionByMonth: t.field({
      type: [MonthResolution],
      description: 'Resolution figures per calendar month (UTC), oldest first (months without openings or closes are left out).',
      resolve: (s, _args, ctx) => loaders(ctx).months.load(ownerKey(s.owner)),
    }),
    applications: t.loadableList({
      type: ApplicationCount,
      byPath: true,
      description: 'Applications by notes opened with them, most first (in `year` only, when given).',
      args: {
        year: t.arg.int({ description: 'Only this calendar year (UTC); whole history when omitted.' }),
        first: t.arg.int({ defaultValue: 10, required: true, description: 'How many, at most (0 to MAX_PAGE_SIZE).' }),
      },
      load: async (keys: string[], ctx, args) => {
        checkBreakdown(args, ctx.config.MAX_PAGE_SIZE);
        return loadByScope(keys, (scope, ids) => applicationsOf(ctx.db, scope, ids, args));
      },
      resolve: (s) => ownerKey(s.owner),
    }),
    topHashtags: t.loadableList({
      type: HashtagCount,
      byPath: true,
      description: 'Hashtags by uses, most first (in `year` only, and in actions of kind `action` only, when given).',
      args: {
        year: t.arg.int({ description: 'Only this calendar year (UTC); whole history when omitted.' }),
        action: t.arg({
          type: NoteAction,
          description: 'Only hashtags in actions of this kind (OPENED: openings, CLOSED: resolutions, COMMENTED: comments); all kinds when omitted.',
        }),
        first: t.arg.int({ defaultValue: 10, required: true, description: 'How many, at most (0 to MAX_PAGE_SIZE).' }),
      },
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
