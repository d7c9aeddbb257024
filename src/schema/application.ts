import DataLoader from 'dataloader';
import { createContextCache } from '@pothos/core';
import {
  applicationYears,
  applicationsByIds,
  listApplications,
  notesOpenedWith,
  versionsOf,
  type ApplicationRow,
} from '../resolvers/applications.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { SortDirection } from './enums.ts';
import { defaultDirection, pageComplexity, readLimits } from './page.ts';
import { YearCount } from './year-count.ts';

export type ApplicationShape = ApplicationRow & { notesOpened?: number };

const applicationLoaders = createContextCache((ctx: GraphQLContext) => ({
  notesOpened: new DataLoader((ids: readonly number[]) => notesOpenedWith(ctx.db, ids)),
  versions: new DataLoader((ids: readonly number[]) => versionsOf(ctx.db, ids)),
  years: new DataLoader((ids: readonly number[]) => applicationYears(ctx.db, ids)),
}));

export const Application = builder.loadableObject('Application', {
  description: 'An editor or app that opens notes, detected from the opening text (docs/warehouse.md, "Application").',
  // Applications are a small fixed list kept in memory: loading them costs no SQL.
  load: async (ids: number[], ctx: GraphQLContext) =>
    (await applicationsByIds(ctx.db, ids)).map((a, i) => a ?? new Error(`application ${ids[i]} not found`)),
  sort: (a: ApplicationShape) => a.applicationId,
  fields: (t) => ({
    id: t.exposeInt('applicationId', { description: 'Its warehouse key.' }),
    name: t.exposeString('name', { description: 'Its name, e.g. StreetComplete (what filters take).' }),
    platform: t.exposeString('platform', { nullable: true, description: 'android, ios, web or desktop, where known.' }),
    versions: t.stringList({
      description: 'Versions seen in opening texts.',
      resolve: (a, _args, ctx) => applicationLoaders(ctx).versions.load(a.applicationId),
    }),
    notesOpened: t.int({
      description: 'Notes opened with it, whole history.',
      resolve: (a: ApplicationShape, _args, ctx) => a.notesOpened ?? applicationLoaders(ctx).notesOpened.load(a.applicationId),
    }),
    notesOpenedByYear: t.field({
      type: [YearCount],
      description: 'Notes opened with it per year, oldest first (years without any left out).',
      resolve: (a, _args, ctx) => applicationLoaders(ctx).years.load(a.applicationId),
    }),
  }),
});

const ApplicationOrderField = builder.enumType('ApplicationOrderField', {
  description: 'What applications are ordered by.',
  values: {
    NOTES_OPENED: { description: 'Notes opened with it, whole history.' },
    NAME: { description: 'Its name.' },
  } as const,
});

const ApplicationOrder = builder.inputType('ApplicationOrder', {
  description: 'The order of an applications list.',
  fields: (t) => ({
    field: t.field({ type: ApplicationOrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirection, description: 'Default: DESC for NOTES_OPENED, ASC for NAME.' }),
  }),
});

builder.queryField('applications', (t) =>
  t.connection({
    type: Application,
    description: 'Known applications, most notes opened first by default.',
    args: { orderBy: t.arg({ type: ApplicationOrder, description: 'Most notes opened first when omitted.' }) },
    complexity: pageComplexity,
    resolve: (_root, args, ctx) => {
      const field = args.orderBy?.field ?? 'NOTES_OPENED';
      const direction = args.orderBy?.direction ?? defaultDirection(field, ['NAME']);
      return listApplications(ctx.analyticsDb, { ...args, order: { field, direction } }, readLimits(ctx));
    },
  }),
);
