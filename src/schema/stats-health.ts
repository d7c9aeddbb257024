// Stats fields of backlog health, application platforms, hashtag uses by role, a user's behaviour
// and contributor type (OSM-Notes-Analytics' notes_age_distribution, notes_*_last_30_days,
// new_vs_resolved_ratio, notes_health_score, mobile/desktop_apps_count, *_hashtag_count,
// notes_opened_but_not_closed_by_user, user_response_time, collaboration_patterns,
// id_contributor_type): docs/parity.md.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import {
  behaviourOf,
  contributorType,
  hashtagUsesOf,
  healthScore,
  newVsResolvedRatio,
  platformsOf,
  recentHealthOf,
  type Behaviour,
  type RecentHealth,
} from '../resolvers/stats-health.ts';
import { loadByScope, ownerKey } from '../resolvers/stats-scope.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { NoteAction } from './enums.ts';
import { Stats } from './stats.ts';

const healthLoaders = createContextCache((ctx: GraphQLContext) => ({
  recent: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => recentHealthOf(ctx.db, scope, ids))),
  platforms: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => platformsOf(ctx.db, scope, ids))),
  behaviour: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => behaviourOf(ctx.db, scope, ids))),
}));

const OpenAgeDistribution = builder.objectRef<RecentHealth>('OpenAgeDistribution').implement({
  description: 'Notes still open by age: whole days from their opening day to today (UTC).',
  fields: (t) => ({
    days0To7: t.exposeInt('openAge0To7', { description: 'Opened 0 to 7 days ago.' }),
    days8To30: t.exposeInt('openAge8To30', { description: 'Opened 8 to 30 days ago.' }),
    days31To90: t.exposeInt('openAge31To90', { description: 'Opened 31 to 90 days ago.' }),
    over90Days: t.exposeInt('openAgeOver90', { description: 'Opened more than 90 days ago.' }),
  }),
});

const UserBehaviour = builder.objectRef<Behaviour>('UserBehaviour').implement({
  description: "How a user works with others' notes and others with theirs, from the user's actions.",
  fields: (t) => ({
    notesOpenedNotClosedByUser: t.exposeInt('notesOpenedNotClosedByUser', {
      description: 'Notes the user opened and never closed themselves (still open, or closed by others only).',
    }),
    responseTimeDays: t.exposeFloat('responseTimeDays', {
      nullable: true,
      description: "Mean days from a note's creation to the user's first comment on it, over the notes others opened that the user commented on; 2 decimals.",
    }),
    mentionsGiven: t.exposeInt('mentionsGiven', { description: "The user's actions whose text mentions someone (@name)." }),
    mentionsReceived: t.exposeInt('mentionsReceived', { description: 'Actions by others, with a mention, on notes the user opened.' }),
    replies: t.exposeInt('replies', { description: 'Notes where the user commented after a comment by someone else.' }),
    collaborationScore: t.int({
      description: 'mentionsGiven + mentionsReceived + replies.',
      resolve: (b) => b.mentionsGiven + b.mentionsReceived + b.replies,
    }),
  }),
});

const ContributorTypeEnum = builder.enumType('ContributorType', {
  description: "OSM-Notes-Analytics' contributor types, decided in the order listed (the first that applies).",
  values: {
    JUST_STARTING: { description: 'First action less than 30 days ago.' },
    NEWBIE: { description: 'First action less than 90 days ago.' },
    ALL_TIME: { description: 'Active in 2013 (the first year of notes) and this year.' },
    HIT_AND_RUN: { description: 'Every action on one single day.' },
    JUNIOR: { description: 'First action this calendar year or the previous one.' },
    FORGOTTEN: { description: 'No action for more than 2,000 days.' },
    RETIRED: { description: 'No action for more than 1,800 days.' },
    INACTIVE: { description: 'No action for more than 720 days.' },
    SPORADIC: { description: 'Fewer than 25 actions.' },
    START_CLOSING: { description: 'Closes more than opens (closed / (opened + 1) > 1), fewer than 100 closes.' },
    CASUAL: { description: 'Fewer than 100 actions.' },
    HEAVY_CLOSING: { description: 'Closes more than opens, fewer than 400 closes.' },
    HEAVY: { description: 'Fewer than 400 actions.' },
    CRAZY_CLOSING: { description: 'Closes more than opens, fewer than 1,600 closes.' },
    CRAZY: { description: 'Fewer than 1,600 actions.' },
    ADDICTED_CLOSING: { description: 'Closes more than opens, fewer than 6,400 closes.' },
    ADDICTED: { description: 'Fewer than 6,400 actions.' },
    EPIC_CLOSING: { description: 'Closes more than opens, fewer than 25,600 closes.' },
    EPIC: { description: 'Fewer than 25,600 actions.' },
    BOT_CLOSING: { description: 'Closes more than opens, fewer than 102,400 closes.' },
    ROBOT: { description: 'Fewer than 102,400 actions.' },
    OOM_EXCEPTION: { description: '102,400 actions or more.' },
  } as const,
});

const recent = (ctx: GraphQLContext, key: string) => healthLoaders(ctx).recent.load(key);
const platforms = (ctx: GraphQLContext, key: string) => healthLoaders(ctx).platforms.load(key);

builder.objectFields(Stats, (t) => ({
  openAgeDistribution: t.field({
    type: OpenAgeDistribution,
    description: 'The notes still open (stillOpen) by age.',
    resolve: (s, _args, ctx) => recent(ctx, ownerKey(s.owner)),
  }),
  createdLast30Days: t.int({
    description: 'Opening actions in the last 30 days (today and the 29 days before, UTC).',
    resolve: async (s, _args, ctx) => (await recent(ctx, ownerKey(s.owner))).createdLast30Days,
  }),
  resolvedLast30Days: t.int({
    description: 'Closing actions in the last 30 days (today and the 29 days before, UTC).',
    resolve: async (s, _args, ctx) => (await recent(ctx, ownerKey(s.owner))).resolvedLast30Days,
  }),
  newVsResolvedRatio: t.float({
    nullable: true,
    description: 'createdLast30Days / resolvedLast30Days, 2 decimals; null without closes in those days.',
    resolve: async (s, _args, ctx) => newVsResolvedRatio(await recent(ctx, ownerKey(s.owner))),
  }),
  healthScore: t.float({
    description:
      'Notes health score, 0 to 100, 2 decimals: 0.4 × resolutionRate + 0.3 × (100 − min(100, stillOpen / opened × 100)) ' +
      '+ 0.3 × recent, where recent is 100 when the last 30 days closed at least as many as they opened (or opened none ' +
      'and nothing is open), resolved / created × 100 when fewer, 0 when none opened but some are open.',
    resolve: async (s, _args, ctx) => healthScore(s.row, await recent(ctx, ownerKey(s.owner))),
  }),
  mobileApplications: t.int({
    description: 'Applications of a mobile platform (android, ios) that opened at least one of the counted notes.',
    resolve: async (s, _args, ctx) => (await platforms(ctx, ownerKey(s.owner))).mobileApplications,
  }),
  desktopApplications: t.int({
    description: 'Applications of a desktop platform (web, desktop) that opened at least one of the counted notes.',
    resolve: async (s, _args, ctx) => (await platforms(ctx, ownerKey(s.owner))).desktopApplications,
  }),
  notesOpenedOnMobile: t.int({
    description: 'Notes opened with an application of a mobile platform (android, ios).',
    resolve: async (s, _args, ctx) => (await platforms(ctx, ownerKey(s.owner))).notesOpenedOnMobile,
  }),
  notesOpenedOnDesktop: t.int({
    description: 'Notes opened with an application of a desktop platform (web, desktop).',
    resolve: async (s, _args, ctx) => (await platforms(ctx, ownerKey(s.owner))).notesOpenedOnDesktop,
  }),
  hashtagUses: t.int({
    description: 'Hashtag uses in the texts of actions of one kind, whole history.',
    args: { action: t.arg({ type: NoteAction, required: true, description: 'The kind of action (OPENED, CLOSED, COMMENTED, …).' }) },
    resolve: async (s, args, ctx) => (await hashtagUsesOf(ctx.db, s.owner.scope, [s.owner.id], args.action))[0]!,
  }),
  behaviour: t.field({
    type: UserBehaviour,
    nullable: true,
    description: "For a user: how they work with others' notes (read from their actions); null for a country and the world.",
    resolve: (s, _args, ctx) => healthLoaders(ctx).behaviour.load(ownerKey(s.owner)),
  }),
  contributorType: t.field({
    type: ContributorTypeEnum,
    nullable: true,
    description: 'For a user: their contributor type (see ContributorType); null for a country, the world, or a user without actions.',
    resolve: (s) => (s.owner.scope === 'user' ? contributorType(s.row, new Date().toISOString().slice(0, 10)) : null),
  }),
}));
