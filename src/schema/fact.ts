import { applicationById, countryByDimensionId } from '../resolvers/directory.ts';
import { checkRange } from '../resolvers/fact-filter.ts';
import { dayKeyToDate, listFacts, type FactRow } from '../resolvers/facts.ts';
import { Application } from './application.ts';
import { builder } from './builder.ts';
import { Country } from './country.ts';
import { NoteAction, SortDirection } from './enums.ts';
import { Hashtag } from './hashtag.ts';
import { factFilter, FactFilterInput } from './inputs.ts';
import { loaders, present } from './loaders.ts';
import { pageComplexity, readLimits } from './page.ts';
import { User } from './user.ts';

const factKey = (f: FactRow) => `${f.noteId}:${f.sequenceAction}`;

export const Fact = builder.objectRef<FactRow>('Fact').implement({
  description: 'One note action as the warehouse holds it (dwh.facts); definitions in WAREHOUSE.md.',
  fields: (t) => ({
    noteId: t.exposeInt('noteId'),
    sequenceAction: t.exposeInt('sequenceAction'),
    action: t.field({ type: NoteAction, resolve: (f) => f.action }),
    actionAt: t.field({ type: 'DateTime', resolve: (f) => f.actionAt }),
    actionDate: t.field({ type: 'Date', description: 'UTC day of the action.', resolve: (f) => dayKeyToDate(f.actionDayKey) }),
    hourOfWeek: t.exposeInt('hourOfWeek', { description: 'ISO day of week × 100 + UTC hour: Monday 00:00 → 100, Sunday 23:00 → 723.' }),
    country: t.field({
      type: Country,
      resolve: (f, _args, ctx) => {
        const country = countryByDimensionId(ctx.db, f.dimensionCountryId);
        return country instanceof Promise ? country.then((c) => present(c, 'country')) : present(country, 'country');
      },
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'Who made the action; null when anonymous.',
      resolve: (f) => f.actionUser,
    }),
    openedDate: t.field({ type: 'Date', resolve: (f) => dayKeyToDate(f.openedDayKey) }),
    openedBy: t.field({
      type: User,
      nullable: true,
      description: 'Who opened the note; null when anonymous.',
      resolve: (f, _args, ctx) => (f.openedUserKey === null ? null : loaders(ctx).usersByDimension.load(f.openedUserKey)),
    }),
    closedDate: t.field({
      type: 'Date',
      nullable: true,
      description: 'Set on closing actions.',
      resolve: (f) => (f.closedDayKey === null ? null : dayKeyToDate(f.closedDayKey)),
    }),
    closedBy: t.field({
      type: User,
      nullable: true,
      description: 'Who closed, on closing actions.',
      resolve: (f, _args, ctx) => (f.closedUserKey === null ? null : loaders(ctx).usersByDimension.load(f.closedUserKey)),
    }),
    application: t.field({
      type: Application,
      nullable: true,
      description: 'The application the note was opened with.',
      resolve: (f, _args, ctx) => (f.applicationId === null ? null : applicationById(ctx.db, f.applicationId)),
    }),
    applicationVersion: t.exposeString('applicationVersion', { nullable: true }),
    recentOpenedDate: t.field({
      type: 'Date',
      description: 'Day of the latest opening or reopening up to this action.',
      resolve: (f) => dayKeyToDate(f.recentOpenedDayKey),
    }),
    daysToResolution: t.exposeInt('daysToResolution', { nullable: true, description: 'On closes: days since the opening.' }),
    daysToResolutionActive: t.exposeInt('daysToResolutionActive', { nullable: true, description: 'On closes: days the note was open in all.' }),
    daysToResolutionFromReopen: t.exposeInt('daysToResolutionFromReopen', {
      nullable: true,
      description: 'On closes: days since the latest reopening (null if never reopened).',
    }),
    commentLength: t.exposeInt('commentLength', { nullable: true, description: 'Characters of the text; null without text.' }),
    hasUrl: t.exposeBoolean('hasUrl'),
    hasMention: t.exposeBoolean('hasMention'),
    hashtagCount: t.exposeInt('hashtagCount'),
    hashtags: t.field({
      type: [Hashtag],
      description: 'Hashtags in the text, in order.',
      resolve: (f, _args, ctx) => (f.hashtagCount === 0 ? [] : loaders(ctx).hashtagsOfFact.load(factKey(f))),
    }),
    totalCommentsOnNote: t.exposeInt('totalCommentsOnNote', { description: 'Comments on the note so far.' }),
    totalReopeningsOnNote: t.exposeInt('totalReopeningsOnNote', { description: 'Reopenings of the note so far.' }),
    totalActionsOnNote: t.exposeInt('totalActionsOnNote', { description: 'Actions on the note so far, this one included.' }),
  }),
});

builder.queryField('facts', (t) =>
  t.connection({
    type: Fact,
    description: 'Facts by action time (then note and sequence): oldest first unless direction is DESC.',
    args: {
      filter: t.arg({ type: FactFilterInput }),
      from: t.arg({ type: 'DateTime', description: 'Actions at or after this instant.' }),
      to: t.arg({ type: 'DateTime', description: 'Actions before this instant.' }),
      direction: t.arg({ type: SortDirection }),
    },
    complexity: pageComplexity,
    resolve: (_root, args, ctx) => {
      const range = { from: args.from, to: args.to };
      checkRange(range);
      return listFacts(ctx.analyticsDb, { ...args, filter: factFilter(args.filter), range }, readLimits(ctx));
    },
  }),
);
