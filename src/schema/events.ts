import { allCountries } from '../ingest/country-lookup.ts';
import { UserInputError } from '../errors.ts';
import { encodeStreamCursor } from '../streaming/cursor.ts';
import type { StreamEvent, StreamFilter } from '../streaming/stream-events.ts';
import type { DatamartUpdate } from '../streaming/streams.ts';
import { AREA_DESCRIPTIONS, areaFilter, BoundingBoxInput, type AreaInput } from './area.ts';
import { builder } from './builder.ts';
import { NoteAction, NoteStatus } from './enums.ts';

const KNOWN_COUNTRIES = new Set(allCountries().map((c) => c.isoA2));

export const EventFilter = builder.inputType('EventFilter', {
  description:
    'Only events that match every filter given (each list matches any of its values; bbox, polygon and noteIds ' +
    'are filters of their own, so all given must match). Filters apply before anything is loaded for a subscriber.',
  fields: (t) => ({
    countries: t.stringList({ description: 'ISO 3166-1 alpha-2 codes; ZZ for the sea and unknown places.' }),
    users: t.intList({ description: 'OSM user ids of who made the action.' }),
    actions: t.field({ type: [NoteAction] }),
    applications: t.stringList({ description: 'Application names, as in the applications query (e.g. StreetComplete).' }),
    hashtags: t.stringList({ description: 'Hashtags without "#", matched case-insensitively.' }),
    bbox: t.field({ type: BoundingBoxInput, description: AREA_DESCRIPTIONS.bbox }),
    polygon: t.field({ type: 'GeoJSON', description: AREA_DESCRIPTIONS.polygon }),
    noteIds: t.intList({ description: AREA_DESCRIPTIONS.noteIds }),
  }),
});

type FilterInput = AreaInput & {
  countries?: string[] | null;
  users?: number[] | null;
  actions?: string[] | null;
  applications?: string[] | null;
  hashtags?: string[] | null;
};

/** Checks a filter argument and brings it to the stream's form (codes upper-case, tags lower-case). */
export function toStreamFilter(input: FilterInput | null | undefined): StreamFilter {
  if (!input) return {};
  const countries = input.countries?.map((c) => c.toUpperCase());
  for (const code of countries ?? []) {
    if (!KNOWN_COUNTRIES.has(code)) {
      throw new UserInputError(`filter.countries: unknown country code "${code}" (use ISO 3166-1 alpha-2, or ZZ)`, 'filter', code);
    }
  }
  const area = areaFilter(input);
  return {
    countries: countries ?? null,
    users: input.users ?? null,
    actions: input.actions ?? null,
    applications: input.applications ?? null,
    hashtags: input.hashtags?.map((h) => h.replace(/^#/, '').toLowerCase()) ?? null,
    bbox: area.bbox,
    polygon: area.polygon,
    noteIds: area.noteIds ? new Set(area.noteIds) : null,
  };
}

export const NoteEvent = builder.objectRef<StreamEvent>('NoteEvent').implement({
  description: 'A new action on a note, as written in the base tables, in commit order.',
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass as `after` to resume right after this event.',
      resolve: (e) => encodeStreamCursor(e.position),
    }),
    position: t.exposeFloat('position', { description: 'Commit-ordered stream position.' }),
    noteId: t.exposeInt('noteId'),
    sequenceAction: t.int({ resolve: (e) => e.sequenceAction ?? 0 }),
    action: t.field({ type: NoteAction, resolve: (e) => e.action ?? 'commented' }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.actionAt ?? e.enqueuedAt }),
    userId: t.exposeInt('userId', { nullable: true }),
    username: t.exposeString('username', { nullable: true }),
    text: t.exposeString('text', { nullable: true }),
    latitude: t.exposeFloat('latitude', { nullable: true }),
    longitude: t.exposeFloat('longitude', { nullable: true }),
    noteStatus: t.field({ type: NoteStatus, nullable: true, resolve: (e) => e.noteStatus }),
    countryCode: t.exposeString('countryCode', { nullable: true }),
  }),
});

export const FactEvent = builder.objectRef<StreamEvent>('FactEvent').implement({
  description: 'A fact written by the micro-ETL (a new action, or an action whose text arrived later), in commit order.',
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass as `after` to resume right after this event.',
      resolve: (e) => encodeStreamCursor(e.position),
    }),
    position: t.exposeFloat('position', { description: 'Commit-ordered stream position.' }),
    textUpdate: t.boolean({ description: 'The fact was rewritten because its text arrived later.', resolve: (e) => e.kind === 'text' }),
    noteId: t.exposeInt('noteId'),
    sequenceAction: t.int({ resolve: (e) => e.sequenceAction ?? 0 }),
    action: t.field({ type: NoteAction, resolve: (e) => e.action ?? 'commented' }),
    actionAt: t.field({ type: 'DateTime', resolve: (e) => e.actionAt ?? e.enqueuedAt }),
    processedAt: t.field({ type: 'DateTime', resolve: (e) => e.processedAt }),
    enqueuedAt: t.field({
      type: 'DateTime',
      description: 'When the comment was written (its outbox row, at its commit).',
      resolve: (e) => e.enqueuedAt,
    }),
    lagMs: t.float({
      description: 'From the comment commit to the fact commit.',
      resolve: (e) => e.processedAt.getTime() - e.enqueuedAt.getTime(),
    }),
    countryCode: t.exposeString('countryCode', { nullable: true }),
    userId: t.exposeInt('userId', { nullable: true }),
    username: t.exposeString('username', { nullable: true }),
    application: t.exposeString('application', { nullable: true }),
    applicationVersion: t.exposeString('applicationVersion', { nullable: true }),
    hashtags: t.exposeStringList('hashtags'),
    daysToResolution: t.exposeInt('daysToResolution', { nullable: true }),
    daysToResolutionActive: t.exposeInt('daysToResolutionActive', { nullable: true }),
    daysToResolutionFromReopen: t.exposeInt('daysToResolutionFromReopen', { nullable: true }),
    commentLength: t.exposeInt('commentLength', { nullable: true }),
    hasUrl: t.exposeBoolean('hasUrl', { nullable: true }),
    hasMention: t.exposeBoolean('hasMention', { nullable: true }),
    totalActionsOnNote: t.exposeInt('totalActionsOnNote', { nullable: true }),
  }),
});

export const DatamartScope = builder.enumType('DatamartScope', {
  values: { GLOBAL: { value: 'global' }, COUNTRY: { value: 'country' }, USER: { value: 'user' } } as const,
});

export const DatamartUpdateType = builder.objectRef<DatamartUpdate>('DatamartUpdate').implement({
  description: 'A datamart row changed: one per touched row per processed batch.',
  fields: (t) => ({
    scope: t.field({ type: DatamartScope, resolve: (u) => u.scope }),
    countryCode: t.exposeString('countryCode', { nullable: true }),
    userId: t.exposeInt('userId', { nullable: true }),
    batchId: t.exposeFloat('batchId'),
    position: t.exposeFloat('position', { nullable: true, description: 'The last stream position of the batch.' }),
    committedAt: t.field({ type: 'DateTime', resolve: (u) => u.committedAt }),
  }),
});

export interface BulkImport {
  file: string | null;
  notes: number | null;
  comments: number | null;
  events: number | null;
  raw: string;
}

export const BulkImportType = builder.objectRef<BulkImport>('BulkImport').implement({
  description: 'A bulk import finished; its events are in the outbox and being processed.',
  fields: (t) => ({
    file: t.exposeString('file', { nullable: true }),
    notes: t.exposeInt('notes', { nullable: true }),
    comments: t.exposeInt('comments', { nullable: true }),
    events: t.exposeInt('events', { nullable: true }),
    payload: t.exposeString('raw', { description: "The notification's JSON payload as sent." }),
  }),
});
