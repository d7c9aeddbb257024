// Stats field of application version adoption per user and country (OSM-Notes-Analytics'
// version_adoption_rates): docs/parity.md.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { loadByScope, ownerKey } from '../resolvers/stats-scope.ts';
import { versionAdoptionOf, type VersionAdoptionRow } from '../resolvers/stats-versions.ts';
import { Application } from './application.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { Stats } from './stats.ts';

const versionLoaders = createContextCache((ctx: GraphQLContext) => ({
  adoption: new DataLoader((keys: readonly string[]) => loadByScope(keys, (scope, ids) => versionAdoptionOf(ctx.db, scope, ids))),
}));

const VersionAdoption = builder.objectRef<VersionAdoptionRow>('VersionAdoption').implement({
  description: 'Notes opened in one calendar year with one version of an application, among those a Stats counts.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year (UTC) of the openings.' }),
    application: t.field({ type: Application, description: 'The application.', resolve: (v) => v.applicationId }),
    version: t.exposeString('version', { description: 'The version detected in the opening text, e.g. 57.1.' }),
    notes: t.exposeInt('notes', { description: 'Notes opened with this version in the year.' }),
    adoptionRate: t.exposeFloat('adoptionRate', {
      description: "Share of the year's openings with this application and a detected version that have this version, × 100 (2 decimals).",
    }),
  }),
});

builder.objectFields(Stats, (t) => ({
  versionAdoption: t.field({
    type: [VersionAdoption],
    nullable: true,
    description:
      'For a user or a country: notes opened per year, application and version, oldest year first, then by application id, ' +
      'most notes first, newer version first on ties; null for the world (see Application.versions).',
    resolve: (s, _args, ctx) => versionLoaders(ctx).adoption.load(ownerKey(s.owner)),
  }),
}));
