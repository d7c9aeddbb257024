// Stats fields of when an owner acts (OSM-Notes-Analytics' history_day/month/year counters,
// first/latest note ids, dates_most_open/closed, working_hours_of_week_*): docs/parity.md.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import {
  actionMarksOf,
  periodCountsOf,
  peakDaysOf,
  workingHoursOf,
  type ActionMark,
  type ActionMarks,
  type WorkingHours,
} from '../resolvers/stats-activity.ts';
import { checkBreakdown } from '../resolvers/stats-breakdowns.ts';
import type { ActionCounts } from '../resolvers/stats.ts';
import { loadByScope, ownerKey } from '../resolvers/stats-scope.ts';
import { DayCountType } from './activity-calendar.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { NoteAction } from './enums.ts';
import { Stats } from './stats.ts';

const activityLoaders = createContextCache((ctx: GraphQLContext) => ({
  periods: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => periodCountsOf(ctx.db, scope, ids))),
  marks: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => actionMarksOf(ctx.db, scope, ids))),
  hours: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => workingHoursOf(ctx.db, scope, ids))),
}));

const PeriodActionCounts = builder.objectRef<ActionCounts>('PeriodActionCounts').implement({
  description: 'Actions of each kind made in a period (UTC): today, this calendar month or this calendar year.',
  fields: (t) => ({
    opened: t.exposeInt('opened', { description: 'Opening actions in the period.' }),
    commented: t.exposeInt('commented', { description: 'Comment actions in the period.' }),
    closed: t.exposeInt('closed', { description: 'Closing actions in the period.' }),
    closedWithComment: t.exposeInt('closedWithComment', { description: 'Closes in the period with a non-empty text.' }),
    reopened: t.exposeInt('reopened', { description: 'Reopening actions in the period.' }),
    hidden: t.exposeInt('hidden', { description: 'Hiding actions in the period.' }),
  }),
});

const ActionMarkRef = builder.objectRef<ActionMark>('ActionMark').implement({
  description: 'One action: its note and time.',
  fields: (t) => ({
    noteId: t.exposeInt('noteId', { description: 'The note acted on.' }),
    at: t.field({ type: 'DateTime', description: 'When (UTC).', resolve: (m) => m.at }),
  }),
});

const ActionMarksRef = builder.objectRef<ActionMarks>('ActionMarks').implement({
  description: 'The first and the latest action of one kind among those a Stats counts.',
  fields: (t) => ({
    action: t.field({ type: NoteAction, description: 'The kind of action.', resolve: (m) => m.action }),
    count: t.exposeInt('count', { description: 'Actions of this kind, whole history.' }),
    first: t.field({
      type: ActionMarkRef,
      description: 'The earliest action of this kind (ties: the lower note id).',
      resolve: (m) => m.first,
    }),
    latest: t.field({
      type: ActionMarkRef,
      description: 'The latest action of this kind (ties: the higher note id).',
      resolve: (m) => m.latest,
    }),
  }),
});

const WorkingHoursRef = builder.objectRef<WorkingHours>('WorkingHours').implement({
  description:
    'Actions per hour of the week (UTC): 168 counts, Monday 00:00-00:59 first, then each hour in turn, ' +
    'Sunday 23:00-23:59 last (index = (ISO day of week - 1) × 24 + hour).',
  fields: (t) => ({
    opening: t.intList({ description: 'Opening actions per hour of the week.', resolve: (h) => h.opening }),
    commenting: t.intList({ description: 'Comment actions per hour of the week.', resolve: (h) => h.commenting }),
    closing: t.intList({ description: 'Closing actions per hour of the week.', resolve: (h) => h.closing }),
  }),
});

const todayUtc = () => new Date().toISOString().slice(0, 10);
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

builder.objectFields(Stats, (t) => ({
  today: t.field({
    type: PeriodActionCounts,
    description: 'Actions made today (UTC day).',
    resolve: async (s, _args, ctx) => (await activityLoaders(ctx).periods.load(ownerKey(s.owner))).today,
  }),
  thisMonth: t.field({
    type: PeriodActionCounts,
    description: 'Actions made in the current calendar month (UTC), today included.',
    resolve: async (s, _args, ctx) => (await activityLoaders(ctx).periods.load(ownerKey(s.owner))).thisMonth,
  }),
  thisYear: t.field({
    type: PeriodActionCounts,
    description: 'Actions made in the current calendar year (UTC), today included.',
    resolve: async (s, _args, ctx) => (await activityLoaders(ctx).periods.load(ownerKey(s.owner))).thisYear,
  }),
  actionMarks: t.field({
    type: [ActionMarksRef],
    description: 'For each kind of action made (opened, closed, reopened, commented, hidden, in that order): its count, first and latest.',
    resolve: (s, _args, ctx) => activityLoaders(ctx).marks.load(ownerKey(s.owner)),
  }),
  dateStartedCreating: t.field({
    type: 'Date',
    nullable: true,
    description: 'UTC day of the first opening action; null without one.',
    resolve: async (s, _args, ctx) =>
      (await activityLoaders(ctx).marks.load(ownerKey(s.owner))).find((m) => m.action === 'opened')?.first.at.toISOString().slice(0, 10) ?? null,
  }),
  dateStartedSolving: t.field({
    type: 'Date',
    nullable: true,
    description: 'UTC day of the first closing action; null without one.',
    resolve: async (s, _args, ctx) =>
      (await activityLoaders(ctx).marks.load(ownerKey(s.owner))).find((m) => m.action === 'closed')?.first.at.toISOString().slice(0, 10) ?? null,
  }),
  daysSinceLastAction: t.int({
    nullable: true,
    description: 'Whole days from the last UTC day with an action to today (0 when active today); null without actions.',
    resolve: (s) => (s.row.lastActionDate == null ? null : dayNumber(todayUtc()) - dayNumber(String(s.row.lastActionDate))),
  }),
  peakDays: t.loadableList({
    type: DayCountType,
    byPath: true,
    description: 'The UTC days with most actions of one kind, most first (ties: the earlier day first).',
    args: {
      action: t.arg({ type: NoteAction, defaultValue: 'opened', required: true, description: 'The kind of action counted (default OPENED).' }),
      first: t.arg.int({ defaultValue: 10, required: true, description: 'How many days, at most (0 to MAX_PAGE_SIZE).' }),
    },
    load: async (keys: string[], ctx, args) => {
      checkBreakdown(args, ctx.config.MAX_PAGE_SIZE);
      return loadByScope(keys, (scope, ids) => peakDaysOf(ctx.db, scope, ids, args));
    },
    resolve: (s) => ownerKey(s.owner),
  }),
  workingHours: t.field({
    type: WorkingHoursRef,
    description: 'Openings, comments and closes per hour of the week (UTC).',
    resolve: (s, _args, ctx) => activityLoaders(ctx).hours.load(ownerKey(s.owner)),
  }),
}));
