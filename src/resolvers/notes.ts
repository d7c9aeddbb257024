import { sql, type SQL } from 'drizzle-orm';
import type { Database, Reader } from '../db/client.ts';
import type { notes } from '../db/tables.ts';
import { areaConditions, type AreaFilter } from './area-sql.ts';
import { applicationByName, countryByCode } from './directory.ts';
import { checkRange, normalizeHashtag, type NoteEvent, type NoteStatusValue, type TimeRange } from './fact-filter.ts';
import { cursorValues, encodeCursor, keysetAfter, orderBy, pageSize, toConnection, type PageArgs, type SortDirection, limitSql } from './pagination.ts';
import { epochMs, toDate, withStatementTimeout } from './read-transaction.ts';
import { notesMatching, searchQuery, type TextSearch } from './text-search.ts';
import { periodRange, type Period } from './top.ts';

export type NoteRow = typeof notes.$inferSelect & { countryCode: string | null };

/** A note as NOTE_COLUMNS reads it: times as epoch milliseconds (see epochMs). */
type NoteColumns = Omit<NoteRow, 'createdAt' | 'closedAt'> & { createdAt: number; closedAt: number | null };

const NOTE_COLUMNS = sql`
  n.note_id AS "noteId", n.latitude, n.longitude, ${epochMs(sql`n.created_at`)} AS "createdAt", n.status,
  ${epochMs(sql`n.closed_at`)} AS "closedAt", n.id_country AS "idCountry",
  (SELECT c.iso_a2 FROM public.countries c WHERE c.country_id = n.id_country) AS "countryCode"`;

export async function findNote(db: Reader, noteId: number): Promise<NoteRow | null> {
  const result = await db.rows<NoteColumns>(sql`SELECT ${NOTE_COLUMNS} FROM public.notes n WHERE n.note_id = ${noteId}`);
  return result[0] ? noteRow(result[0]) : null;
}

export async function notesByIds(db: Reader, ids: readonly number[]): Promise<(NoteRow | null)[]> {
  const result = await db.rows<NoteColumns>(
    sql`SELECT ${NOTE_COLUMNS} FROM public.notes n WHERE n.note_id = ANY (${sql.param([...ids])}::int[])`,
  );
  const byId = new Map(result.map((r) => [r.noteId, noteRow(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

function noteRow(row: NoteColumns): NoteRow {
  return { ...row, createdAt: toDate(row.createdAt)!, closedAt: toDate(row.closedAt) };
}

export interface NoteFilter extends AreaFilter {
  country?: string | null;
  status?: NoteStatusValue | null;
  /** OSM id of the user who opened the note. */
  openedBy?: number | null;
  application?: string | null;
  hashtag?: string | null;
  /** Words in any of the note's texts (src/resolvers/text-search.ts). */
  text?: TextSearch | null;
  /** When the note was closed (notes.closed_at): a year or a range. */
  closed?: Period | null;
}

export type NoteOrderField = 'ID' | 'CREATED_AT';

export interface ListNotesArgs extends PageArgs {
  filter?: NoteFilter | null;
  /** Range over the notes' creation times. */
  range?: TimeRange;
  order?: { field: NoteOrderField; direction: SortDirection } | null;
}

async function noteCondition(db: Database, filter: NoteFilter | null | undefined, range: TimeRange): Promise<SQL[]> {
  checkRange(range);
  const parts: SQL[] = [];
  const f = filter ?? {};
  if (f.country != null) parts.push(sql`n.id_country = ${(await countryByCode(db, f.country, 'filter.country')).countryId}`);
  if (f.status != null) parts.push(sql`n.status = ${f.status}`);
  if (f.openedBy != null) {
    parts.push(sql`EXISTS (SELECT 1 FROM public.note_comments c
                           WHERE c.note_id = n.note_id AND c.event = 'opened' AND c.id_user = ${f.openedBy})`);
  }
  if (f.application != null) {
    const application = await applicationByName(db, f.application, 'filter.application');
    parts.push(sql`EXISTS (SELECT 1 FROM dwh.facts f WHERE f.id_note = n.note_id
                           AND f.dimension_application_creation = ${application.applicationId})`);
  }
  if (f.hashtag != null) {
    parts.push(sql`n.note_id IN (SELECT b.id_note FROM dwh.fact_hashtags b WHERE b.dimension_hashtag_id =
                     (SELECT dimension_hashtag_id FROM dwh.dimension_hashtags WHERE description_lower = ${normalizeHashtag(f.hashtag)}))`);
  }
  const text = searchQuery(f.text, 'filter.text');
  if (text) parts.push(notesMatching(text));
  if (f.closed) {
    const closed = periodRange(f.closed, 'filter.closed');
    checkRange(closed, 'filter.closed.from');
    parts.push(sql`n.closed_at IS NOT NULL`);
    if (closed.from) parts.push(sql`n.closed_at >= ${closed.from}`);
    if (closed.to) parts.push(sql`n.closed_at < ${closed.to}`);
  }
  parts.push(...areaConditions(sql`n`, f));
  if (range.from) parts.push(sql`n.created_at >= ${range.from}`);
  if (range.to) parts.push(sql`n.created_at < ${range.to}`);
  return parts;
}

/** A page of notes, by id (default) or creation time, under the statement timeout. */
export async function listNotes(db: Database, args: ListNotesArgs, limits: { maxPageSize: number; timeoutMs: number }) {
  const limit = pageSize(args, limits.maxPageSize);
  const field = args.order?.field ?? 'ID';
  const direction = args.order?.direction ?? 'ASC';
  const where = await noteCondition(db, args.filter, args.range ?? {});
  const sort = field === 'ID' ? [sql`n.note_id`] : [sql`n.created_at`, sql`n.note_id`];
  const kind = `note-${field}`;
  if (args.after) {
    if (field === 'ID') {
      where.push(keysetAfter(sort, cursorValues(kind, args.after, ['number']), direction));
    } else {
      const [micros, id] = cursorValues(kind, args.after, ['number', 'number']);
      where.push(keysetAfter(sort, [sql`timestamptz 'epoch' + ${micros} * interval '1 microsecond'`, id], direction));
    }
  }
  const rows = await withStatementTimeout(db, limits.timeoutMs, async (tx) => {
    const result = await tx.rows<NoteColumns & { createdMicros: number }>(sql`
      SELECT ${NOTE_COLUMNS}, (extract(epoch FROM n.created_at) * 1000000)::bigint AS "createdMicros"
      FROM public.notes n
      WHERE ${where.length ? sql.join(where, sql` AND `) : sql`true`}
      ORDER BY ${orderBy(sort, direction)}
      ${limitSql(limit + 1)}`);
    return result.map((r) => ({ ...noteRow(r), createdMicros: r.createdMicros }));
  });
  return toConnection(rows, limit, (r) =>
    encodeCursor(kind, field === 'ID' ? [r.noteId] : [r.createdMicros, r.noteId]),
  );
}

export interface CommentRow {
  noteId: number;
  sequenceAction: number;
  event: NoteEvent;
  createdAt: Date;
  userId: number | null;
  username: string | null;
  body: string | null;
}

/** Comments of many notes in one query, grouped in the order of `noteIds`. */
export async function commentsOfNotes(db: Reader, noteIds: readonly number[]): Promise<CommentRow[][]> {
  const result = await db.rows<Omit<CommentRow, 'createdAt'> & { createdAt: number }>(sql`
    SELECT c.note_id AS "noteId", c.sequence_action AS "sequenceAction", c.event, ${epochMs(sql`c.created_at`)} AS "createdAt",
           c.id_user AS "userId", u.username, t.body
    FROM public.note_comments c
    LEFT JOIN public.users u ON u.user_id = c.id_user
    LEFT JOIN public.note_comments_text t ON t.note_id = c.note_id AND t.sequence_action = c.sequence_action
    WHERE c.note_id = ANY (${sql.param([...noteIds])}::int[])
    ORDER BY c.note_id, c.sequence_action`);
  const rows = result.map((r) => ({ ...r, createdAt: toDate(r.createdAt)! }));
  return groupBy(noteIds, rows, (row) => row.noteId);
}

export function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}
