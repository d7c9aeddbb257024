// Filters and periods shared by lists and analytics.
import type { FactFilter } from '../resolvers/fact-filter.ts';
import type { NoteFilter } from '../resolvers/notes.ts';
import type { Period } from '../resolvers/top.ts';
import { AREA_DESCRIPTIONS, areaFilter, BoundingBoxInput, type AreaInput } from './area.ts';
import { builder } from './builder.ts';
import { NoteAction, NoteStatus } from './enums.ts';

export const TextSearchInput = builder.inputType('TextSearch', {
  description:
    "Words to find in the texts of note actions, case-insensitive, as whole words in any language (PostgreSQL full-text " +
    "search with the 'simple' configuration: no stemming, no accent folding). Give all, any, or both (then both must hold).",
  fields: (t) => ({
    all: t.stringList({ description: 'Every one of these words (at most 20).' }),
    any: t.stringList({ description: 'At least one of these words (at most 20).' }),
  }),
});

export const FactFilterInput = builder.inputType('FactFilter', {
  description: 'Selects facts (note actions). Every condition given must hold.',
  fields: (t) => ({
    country: t.string({ description: "ISO 3166-1 alpha-2 code of the note's country (ZZ: in no country)." }),
    user: t.int({ description: 'OSM id of the user who made the action.' }),
    actions: t.field({ type: [NoteAction], description: 'Any of these actions.' }),
    application: t.string({ description: 'Name of the application the note was opened with (see `applications`).' }),
    hashtag: t.string({ description: "A hashtag in the action's text; '#' optional, any case." }),
    noteStatus: t.field({ type: NoteStatus, description: "The note's current status." }),
    note: t.int({ description: 'Only this note.' }),
    text: t.field({ type: TextSearchInput, description: "Words in the action's own text." }),
    bbox: t.field({ type: BoundingBoxInput, description: AREA_DESCRIPTIONS.bbox }),
    polygon: t.field({ type: 'GeoJSON', description: AREA_DESCRIPTIONS.polygon }),
    noteIds: t.intList({ description: AREA_DESCRIPTIONS.noteIds }),
  }),
});

export const NoteFilterInput = builder.inputType('NoteFilter', {
  description: 'Selects notes. Every condition given must hold.',
  fields: (t) => ({
    country: t.string({ description: 'ISO 3166-1 alpha-2 code (ZZ: in no country).' }),
    status: t.field({ type: NoteStatus, description: "The note's current status." }),
    openedBy: t.int({ description: 'OSM id of the user who opened the note.' }),
    application: t.string({ description: 'Name of the application the note was opened with.' }),
    hashtag: t.string({ description: "A hashtag in any of the note's texts; '#' optional, any case." }),
    text: t.field({ type: TextSearchInput, description: "Words in one of the note's texts (all of `all` in the same text)." }),
    closed: t.field({ type: PeriodInput, description: "Closed in this year or range (the note's closing time); notes not closed are left out." }),
    bbox: t.field({ type: BoundingBoxInput, description: AREA_DESCRIPTIONS.bbox }),
    polygon: t.field({ type: 'GeoJSON', description: AREA_DESCRIPTIONS.polygon }),
    noteIds: t.intList({ description: AREA_DESCRIPTIONS.noteIds }),
  }),
});

export const PeriodInput = builder.inputType('Period', {
  description: 'A calendar year (UTC), or a half-open range [from, to); nothing means all time.',
  fields: (t) => ({
    year: t.int({ description: 'A calendar year (UTC); give it alone, or from and/or to.' }),
    from: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    to: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

type Nullable<T> = { [K in keyof T]?: T[K] | null };
type FactFilterArg = (Nullable<Omit<FactFilter, 'bbox' | 'polygon' | 'noteIds'>> & AreaInput) | null | undefined;
type NoteFilterArg = (Nullable<Omit<NoteFilter, 'bbox' | 'polygon' | 'noteIds'>> & AreaInput) | null | undefined;

/** GraphQL input → resolver filter: drops GraphQL's nulls and checks the area fields. */
export const factFilter = (input: FactFilterArg): FactFilter | null => (input ? { ...input, ...areaFilter(input) } : null);
export const noteFilter = (input: NoteFilterArg): NoteFilter | null => (input ? { ...input, ...areaFilter(input) } : null);
export const period = (input: Period | null | undefined): Period | null => input ?? null;
