// Pages of notes and facts for the HTTP exports (src/http/export.ts): the `notes` and `facts`
// list resolvers, so the same filters, orderings, cursors and statement timeout apply, completed
// with what a map or a spreadsheet needs (coordinates of a fact's note, opening text, usernames,
// hashtags), a fixed number of statements per page.
import type { Database } from '../db/client.ts';
import { applicationById, countryByDimensionId } from './directory.ts';
import type { FactFilter, TimeRange } from './fact-filter.ts';
import { hashtagsOfFacts, listFacts, type FactRow } from './facts.ts';
import { commentsOfNotes, listNotes, notesByIds, type NoteFilter, type NoteRow } from './notes.ts';

export interface ExportPageArgs<F> {
  filter: F | null;
  range: TimeRange;
  after: string | null;
  size: number;
  timeoutMs: number;
}

export interface ExportPage<T> {
  rows: T[];
  /** Cursor of the last row (the `after` of the next page); null on an empty page. */
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface NoteExportRow extends NoteRow {
  openedBy: string | null;
  openingText: string | null;
  actions: number;
  lastActionAt: Date | null;
}

export interface FactExportRow extends FactRow {
  latitude: number | null;
  longitude: number | null;
  countryCode: string | null;
  applicationName: string | null;
  hashtags: string[];
  text: string | null;
}

/** Notes by id, with opener, opening text and actions: two statements. */
export async function notesExportPage(db: Database, args: ExportPageArgs<NoteFilter>): Promise<ExportPage<NoteExportRow>> {
  const page = await listNotes(
    db,
    { first: args.size, after: args.after, filter: args.filter, range: args.range },
    { maxPageSize: args.size, timeoutMs: args.timeoutMs },
  );
  const notes = page.edges.map((e) => e.node);
  const comments = notes.length ? await commentsOfNotes(db, notes.map((n) => n.noteId)) : [];
  const rows = notes.map((note, i) => {
    const own = comments[i] ?? [];
    const opening = own.find((c) => c.event === 'opened') ?? own[0];
    return {
      ...note,
      openedBy: opening?.username ?? null,
      openingText: opening?.body ?? null,
      actions: own.length,
      lastActionAt: own.at(-1)?.createdAt ?? null,
    };
  });
  return { rows, endCursor: page.pageInfo.endCursor, hasNextPage: page.pageInfo.hasNextPage };
}

/** Facts by action time, with their note's position, text and hashtags: at most four statements. */
export async function factsExportPage(db: Database, args: ExportPageArgs<FactFilter>): Promise<ExportPage<FactExportRow>> {
  const page = await listFacts(
    db,
    { first: args.size, after: args.after, filter: args.filter, range: args.range },
    { maxPageSize: args.size, timeoutMs: args.timeoutMs },
  );
  const facts = page.edges.map((e) => e.node);
  const noteIds = [...new Set(facts.map((f) => f.noteId))];
  const tagged = facts.filter((f) => f.hashtagCount > 0);
  const [notes, comments, hashtags] = await Promise.all([
    noteIds.length ? notesByIds(db, noteIds) : [],
    noteIds.length ? commentsOfNotes(db, noteIds) : [],
    tagged.length ? hashtagsOfFacts(db, tagged.map((f) => `${f.noteId}:${f.sequenceAction}`)) : [],
  ]);
  const noteById = new Map(noteIds.map((id, i) => [id, notes[i] ?? null]));
  const textByKey = new Map(comments.flat().map((c) => [`${c.noteId}:${c.sequenceAction}`, c.body]));
  const tagsByKey = new Map(tagged.map((f, i) => [`${f.noteId}:${f.sequenceAction}`, (hashtags[i] ?? []).map((h) => h.name)]));
  const rows = await Promise.all(
    facts.map(async (fact) => {
      const key = `${fact.noteId}:${fact.sequenceAction}`;
      const note = noteById.get(fact.noteId) ?? null;
      const [country, application] = await Promise.all([
        countryByDimensionId(db, fact.dimensionCountryId),
        fact.applicationId === null ? null : applicationById(db, fact.applicationId),
      ]);
      return Object.assign(fact, {
        latitude: note?.latitude ?? null,
        longitude: note?.longitude ?? null,
        countryCode: country?.code ?? null,
        applicationName: application?.name ?? null,
        hashtags: tagsByKey.get(key) ?? [],
        text: textByKey.get(key) ?? null,
      });
    }),
  );
  return { rows, endCursor: page.pageInfo.endCursor, hasNextPage: page.pageInfo.hasNextPage };
}
