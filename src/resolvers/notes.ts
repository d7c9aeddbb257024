import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { countries, noteComments, noteCommentsText, notes, users } from '../db/tables.ts';
import { decodeCursor, encodeCursor, pageSize, toConnection, type PageArgs } from './pagination.ts';

export type NoteRow = typeof notes.$inferSelect & { countryCode: string | null };

const noteColumns = {
  noteId: notes.noteId,
  latitude: notes.latitude,
  longitude: notes.longitude,
  createdAt: notes.createdAt,
  status: notes.status,
  closedAt: notes.closedAt,
  idCountry: notes.idCountry,
  countryCode: countries.isoA2,
};

export async function findNote(db: Db, noteId: number): Promise<NoteRow | null> {
  const rows = await db
    .select(noteColumns)
    .from(notes)
    .leftJoin(countries, eq(countries.countryId, notes.idCountry))
    .where(eq(notes.noteId, noteId));
  return rows[0] ?? null;
}

export async function listNotes(db: Db, args: PageArgs, maxPageSize: number) {
  const limit = pageSize(args, maxPageSize);
  const afterId = args.after ? Number(decodeCursor('note', args.after)[0]) : null;
  const rows = await db
    .select(noteColumns)
    .from(notes)
    .leftJoin(countries, eq(countries.countryId, notes.idCountry))
    .where(afterId === null ? undefined : gt(notes.noteId, afterId))
    .orderBy(asc(notes.noteId))
    .limit(limit + 1);
  return toConnection(rows, limit, (row) => encodeCursor('note', [row.noteId]));
}

export interface CommentRow {
  noteId: number;
  sequenceAction: number;
  event: (typeof noteComments.$inferSelect)['event'];
  createdAt: Date;
  userId: number | null;
  username: string | null;
  body: string | null;
}

/** Comments of many notes in one query, grouped in the order of `noteIds`. */
export async function commentsOfNotes(db: Db, noteIds: readonly number[]): Promise<CommentRow[][]> {
  const rows = await db
    .select({
      noteId: noteComments.noteId,
      sequenceAction: noteComments.sequenceAction,
      event: noteComments.event,
      createdAt: noteComments.createdAt,
      userId: noteComments.idUser,
      username: users.username,
      body: noteCommentsText.body,
    })
    .from(noteComments)
    .leftJoin(users, eq(users.userId, noteComments.idUser))
    .leftJoin(
      noteCommentsText,
      and(
        eq(noteCommentsText.noteId, noteComments.noteId),
        eq(noteCommentsText.sequenceAction, noteComments.sequenceAction),
      ),
    )
    .where(inArray(noteComments.noteId, [...noteIds]))
    .orderBy(asc(noteComments.noteId), asc(noteComments.sequenceAction));
  return groupBy(noteIds, rows, (row) => row.noteId);
}

export function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

export const noteCount = (db: Db) =>
  db.select({ n: sql<number>`count(*)::int` }).from(notes).then((r) => r[0]?.n ?? 0);
