// Writes parsed notes into the base tables, set-based (statements in note-sql.ts). Idempotent:
// a stored note is updated only when it changed, and only comments not yet stored are inserted
// (comment-matching.ts). The caller owns the transaction (beginIngestTransaction); texts go in
// with their comments in the same statement, which the outbox trigger relies on.
import type pg from 'pg';
import { newComments, type StoredComment } from './comment-matching.ts';
import { numberArray, textArray, wordArray } from './pg-arrays.ts';
import type { CountryIdAt } from './country-ids.ts';
import { lastActionAt, statusOf, type IncomingComment, type IncomingNote } from './model.ts';
import {
  BULK_SETTING,
  INGEST_SETTINGS,
  INSERT_COMMENTS,
  INSERT_NEW_NOTES,
  SELECT_STORED_COMMENTS,
  UPDATE_NOTES,
  UPSERT_USERS,
} from './note-sql.ts';

export interface WriteCounts {
  notesInserted: number;
  notesUpdated: number;
  commentsInserted: number;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/** BEGIN with the settings every ingest transaction uses; `bulk` silences per-statement NOTIFY. */
export async function beginIngestTransaction(db: Queryable, options: { bulk?: boolean } = {}): Promise<void> {
  await db.query(`BEGIN; ${INGEST_SETTINGS}${options.bulk ? `; ${BULK_SETTING}` : ''}`);
}

/** Keeps the last occurrence of each note id (a later copy is a later state), in id order. */
function distinctById(notes: IncomingNote[]): IncomingNote[] {
  let ordered = true;
  for (let i = 1; i < notes.length && ordered; i++) ordered = notes[i]!.id > notes[i - 1]!.id;
  if (ordered) return notes;
  const byId = new Map<number, IncomingNote>();
  for (const note of notes) byId.set(note.id, note);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Note columns as arrays, in the order of the note statements' parameters. */
function noteColumns(notes: IncomingNote[], countryIdAt: CountryIdAt) {
  const columns = {
    ids: [] as number[],
    lats: [] as number[],
    lons: [] as number[],
    createdAts: [] as string[],
    statuses: [] as string[],
    closedAts: [] as (string | null)[],
    countryIds: [] as number[],
  };
  for (const note of notes) {
    columns.ids.push(note.id);
    columns.lats.push(note.lat);
    columns.lons.push(note.lon);
    columns.createdAts.push(note.createdAt);
    columns.statuses.push(statusOf(note));
    columns.closedAts.push(note.closedAt);
    columns.countryIds.push(countryIdAt(note.lon, note.lat));
  }
  return columns;
}

/** The note columns as parameters of INSERT_NEW_NOTES / UPDATE_NOTES. */
function noteValues(c: ReturnType<typeof noteColumns>): string[] {
  return [
    numberArray(c.ids),
    numberArray(c.lats),
    numberArray(c.lons),
    wordArray(c.createdAts),
    wordArray(c.statuses),
    wordArray(c.closedAts),
    numberArray(c.countryIds),
  ];
}

/** Columns of the comments to insert, each with its sequence_action decided. */
class CommentRows {
  readonly noteIds: number[] = [];
  readonly sequences: number[] = [];
  readonly events: string[] = [];
  readonly times: string[] = [];
  readonly users: (number | null)[] = [];
  readonly bodies: string[] = [];

  add(noteId: number, sequence: number, comment: IncomingComment): void {
    this.noteIds.push(noteId);
    this.sequences.push(sequence);
    this.events.push(comment.action);
    this.times.push(comment.timestamp);
    this.users.push(comment.uid);
    this.bodies.push(comment.text);
  }

  get values() {
    return [
      numberArray(this.noteIds),
      numberArray(this.sequences),
      wordArray(this.events),
      wordArray(this.times),
      numberArray(this.users),
      textArray(this.bodies),
    ];
  }
}

async function upsertUsers(db: Queryable, notes: IncomingNote[]): Promise<void> {
  // uid → [name, time of the comment it came from]: the most recent name wins.
  const users = new Map<number, [string, string]>();
  for (const note of notes) {
    for (const comment of note.comments) {
      if (comment.uid === null) continue;
      const known = users.get(comment.uid);
      if (!known || known[1] <= comment.timestamp) users.set(comment.uid, [comment.user!, comment.timestamp]);
    }
  }
  if (users.size === 0) return;
  // Sorted ids take row locks in one order, so concurrent writers cannot deadlock on users.
  const uids = [...users.keys()].sort((a, b) => a - b);
  await db.query({
    name: 'ingest_upsert_users',
    text: UPSERT_USERS,
    values: [numberArray(uids), textArray(uids.map((u) => users.get(u)![0]))],
  });
}

/** Updates stored notes and queues the comments they do not have yet; returns notes updated. */
async function addToKnownNotes(db: Queryable, known: IncomingNote[], countryIdAt: CountryIdAt, rows: CommentRows) {
  const k = noteColumns(known, countryIdAt);
  const updated = await db.query<{ updated: number }>({
    name: 'ingest_update_notes',
    text: UPDATE_NOTES,
    values: [...noteValues(k), wordArray(known.map(lastActionAt))],
  });
  const stored = await db.query<StoredComment>({
    name: 'ingest_stored_comments',
    text: SELECT_STORED_COMMENTS,
    values: [numberArray(k.ids)],
  });
  const storedByNote = new Map<number, StoredComment[]>();
  for (const row of stored.rows) {
    const list = storedByNote.get(row.note_id);
    if (list) list.push(row);
    else storedByNote.set(row.note_id, [row]);
  }
  for (const note of known) {
    for (const { comment, sequenceAction } of newComments(note.comments, storedByNote.get(note.id) ?? [])) {
      rows.add(note.id, sequenceAction, comment);
    }
  }
  return updated.rows[0]!.updated;
}

/** Stores a batch of notes with their comments and users. Run it inside beginIngestTransaction. */
export async function writeNotes(db: Queryable, batch: IncomingNote[], countryIdAt: CountryIdAt): Promise<WriteCounts> {
  const notes = distinctById(batch);
  if (notes.length === 0) return { notesInserted: 0, notesUpdated: 0, commentsInserted: 0 };
  await upsertUsers(db, notes);

  const n = noteColumns(notes, countryIdAt);
  const { rows } = await db.query<{ inserted: number[] }>({
    name: 'ingest_insert_new_notes',
    text: INSERT_NEW_NOTES,
    values: noteValues(n),
  });
  const inserted = rows[0]!.inserted;
  let created = notes;
  let known: IncomingNote[] = [];
  if (inserted.length < notes.length) {
    const insertedIds = new Set(inserted);
    created = notes.filter((note) => insertedIds.has(note.id));
    known = notes.filter((note) => !insertedIds.has(note.id));
  }

  // A note this transaction created has no stored comments: number them 1..n.
  const comments = new CommentRows();
  for (const note of created) note.comments.forEach((comment, i) => comments.add(note.id, i + 1, comment));
  const notesUpdated = known.length > 0 ? await addToKnownNotes(db, known, countryIdAt, comments) : 0;

  if (comments.noteIds.length > 0) {
    await db.query({ name: 'ingest_insert_comments', text: INSERT_COMMENTS, values: comments.values });
  }
  return { notesInserted: created.length, notesUpdated, commentsInserted: comments.noteIds.length };
}
