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
  description: 'One note action as the warehouse holds it (dwh.facts); definitions in docs/warehouse.md.',
  fields: (t) => ({
    noteId: t.exposeInt('noteId', { description: 'The OSM note id.' }),
    sequenceAction: t.exposeInt('sequenceAction', { description: "The action's number in its note: 1 for the opening, then 2, 3, …" }),
    action: t.field({ type: NoteAction, description: 'What the action did.', resolve: (f) => f.action }),
    actionAt: t.field({ type: 'DateTime', description: 'When the action was made.', resolve: (f) => f.actionAt }),
    actionDate: t.field({ type: 'Date', description: 'UTC day of the action.', resolve: (f) => dayKeyToDate(f.actionDayKey) }),
    hourOfWeek: t.exposeInt('hourOfWeek', { description: 'ISO day of week × 100 + UTC hour: Monday 00:00 → 100, Sunday 23:00 → 723.' }),
    country: t.field({
      type: Country,
      description: "The note's country (ZZ for none).",
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
    openedDate: t.field({ type: 'Date', description: "UTC day of the note's opening.", resolve: (f) => dayKeyToDate(f.openedDayKey) }),
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
    applicationVersion: t.exposeString('applicationVersion', {
      nullable: true,
      description: 'The version found after the application name in the opening text, if any.',
    }),
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
    hasUrl: t.exposeBoolean('hasUrl', { description: 'The text contains http:// or https:// (any case); false without text.' }),
    hasMention: t.exposeBoolean('hasMention', { description: 'The text mentions someone (@ then a word character); false without text.' }),
    hashtagCount: t.exposeInt('hashtagCount', { description: 'Hashtags in the text.' }),
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
      filter: t.arg({ type: FactFilterInput, description: 'Only the facts that match.' }),
      from: t.arg({ type: 'DateTime', description: 'Actions at or after this instant.' }),
      to: t.arg({ type: 'DateTime', description: 'Actions before this instant.' }),
      direction: t.arg({ type: SortDirection, description: 'ASC (default): oldest first.' }),
    },
    complexity: pageComplexity,
    resolve: (_root, args, ctx) => {
      const range = { from: args.from, to: args.to };
      checkRange(range);
      return listFacts(ctx.analyticsDb, { ...args, filter: factFilter(args.filter), range }, readLimits(ctx));
    },
  }),
);
