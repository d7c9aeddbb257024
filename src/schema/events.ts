import { allCountries } from '../ingest/country-lookup.ts';
import { UserInputError } from '../errors.ts';
import { encodeStreamCursor } from '../streaming/realtime/cursor.ts';
import type { StreamEvent, StreamFilter } from '../streaming/realtime/stream-events.ts';
import type { DatamartUpdate } from '../streaming/realtime/streams.ts';
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
    actions: t.field({ type: [NoteAction], description: 'Actions of these kinds.' }),
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
    noteId: t.exposeInt('noteId', { description: 'The OSM note id.' }),
    sequenceAction: t.int({ description: "The action's number in its note (1 for the opening).", resolve: (e) => e.sequenceAction ?? 0 }),
    action: t.field({ type: NoteAction, description: 'What the action did.', resolve: (e) => e.action ?? 'commented' }),
    createdAt: t.field({ type: 'DateTime', description: 'When the action was made.', resolve: (e) => e.actionAt ?? e.enqueuedAt }),
    userId: t.exposeInt('userId', { nullable: true, description: 'OSM id of who made the action; null when anonymous.' }),
    username: t.exposeString('username', { nullable: true, description: 'Their username; null when anonymous.' }),
    text: t.exposeString('text', { nullable: true, description: 'The text written with the action; null when none.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: "The note's latitude (WGS 84 degrees)." }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: "The note's longitude (WGS 84 degrees)." }),
    noteStatus: t.field({ type: NoteStatus, nullable: true, description: "The note's status when the event was read.", resolve: (e) => e.noteStatus }),
    countryCode: t.exposeString('countryCode', { nullable: true, description: "ISO 3166-1 alpha-2 code of the note's country (ZZ for none)." }),
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
    noteId: t.exposeInt('noteId', { description: 'The OSM note id.' }),
    sequenceAction: t.int({ description: "The action's number in its note (1 for the opening).", resolve: (e) => e.sequenceAction ?? 0 }),
    action: t.field({ type: NoteAction, description: 'What the action did.', resolve: (e) => e.action ?? 'commented' }),
    actionAt: t.field({ type: 'DateTime', description: 'When the action was made.', resolve: (e) => e.actionAt ?? e.enqueuedAt }),
    processedAt: t.field({ type: 'DateTime', description: "When the fact's batch committed.", resolve: (e) => e.processedAt }),
    enqueuedAt: t.field({
      type: 'DateTime',
      description: 'When the comment was written (its outbox row, at its commit).',
      resolve: (e) => e.enqueuedAt,
    }),
    lagMs: t.float({
      description: 'From the comment commit to the fact commit.',
      resolve: (e) => e.processedAt.getTime() - e.enqueuedAt.getTime(),
    }),
    countryCode: t.exposeString('countryCode', { nullable: true, description: "ISO 3166-1 alpha-2 code of the note's country (ZZ for none)." }),
    userId: t.exposeInt('userId', { nullable: true, description: 'OSM id of who made the action; null when anonymous.' }),
    username: t.exposeString('username', { nullable: true, description: 'Their username; null when anonymous.' }),
    application: t.exposeString('application', { nullable: true, description: 'The application the note was opened with, when detected.' }),
    applicationVersion: t.exposeString('applicationVersion', { nullable: true, description: "That application's version, when the opening text gives it." }),
    hashtags: t.exposeStringList('hashtags', { description: 'Hashtags in the text, lower-case, without "#".' }),
    daysToResolution: t.exposeInt('daysToResolution', { nullable: true, description: 'On closes: days since the opening.' }),
    daysToResolutionActive: t.exposeInt('daysToResolutionActive', { nullable: true, description: 'On closes: days the note was open in all.' }),
    daysToResolutionFromReopen: t.exposeInt('daysToResolutionFromReopen', {
      nullable: true,
      description: 'On closes: days since the latest reopening (null if never reopened).',
    }),
    commentLength: t.exposeInt('commentLength', { nullable: true, description: 'Characters of the text; null without text.' }),
    hasUrl: t.exposeBoolean('hasUrl', { nullable: true, description: 'The text contains http:// or https://.' }),
    hasMention: t.exposeBoolean('hasMention', { nullable: true, description: 'The text mentions someone (@name).' }),
    totalActionsOnNote: t.exposeInt('totalActionsOnNote', { nullable: true, description: 'Actions on the note so far, this one included.' }),
  }),
});

export const DatamartScope = builder.enumType('DatamartScope', {
  description: 'Which datamart a row belongs to.',
  values: {
    GLOBAL: { value: 'global', description: 'The one row over all notes.' },
    COUNTRY: { value: 'country', description: 'The rows of countries.' },
    USER: { value: 'user', description: 'The rows of users.' },
  } as const,
});

export const DatamartUpdateType = builder.objectRef<DatamartUpdate>('DatamartUpdate').implement({
  description: 'A datamart row changed: one per touched row per processed batch.',
  fields: (t) => ({
    scope: t.field({ type: DatamartScope, description: 'The datamart of the row.', resolve: (u) => u.scope }),
    countryCode: t.exposeString('countryCode', { nullable: true, description: 'The country of a COUNTRY row; null otherwise.' }),
    userId: t.exposeInt('userId', { nullable: true, description: 'The OSM user id of a USER row; null otherwise.' }),
    batchId: t.exposeFloat('batchId', { description: 'The processor batch that changed the row.' }),
    position: t.exposeFloat('position', { nullable: true, description: 'The last stream position of the batch.' }),
    committedAt: t.field({ type: 'DateTime', description: 'When the batch committed.', resolve: (u) => u.committedAt }),
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
    file: t.exposeString('file', { nullable: true, description: "The dump's file name." }),
    notes: t.exposeInt('notes', { nullable: true, description: 'Notes stored.' }),
    comments: t.exposeInt('comments', { nullable: true, description: 'Comments inserted.' }),
    events: t.exposeInt('events', {
      nullable: true,
      description: 'Outbox events queued, when the notification counts them (the importer sends their id range; see payload).',
    }),
    payload: t.exposeString('raw', { description: "The notification's JSON payload as sent." }),
  }),
});
