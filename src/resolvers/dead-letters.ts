import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { events } from '../db/tables.ts';
import { decodeCursor, encodeCursor, pageSize, toConnection, type PageArgs } from './pagination.ts';

export interface DeadLetter {
  id: number;
  kind: string;
  noteId: number;
  sequenceAction: number | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export async function listDeadLetters(db: Database, args: PageArgs, maxPageSize: number) {
  const limit = pageSize(args, maxPageSize);
  const after = args.after ? Number(decodeCursor('dead', args.after)[0]) : null;
  const rows: DeadLetter[] = await db.orm
    .select({
      id: events.id,
      kind: events.kind,
      noteId: events.noteId,
      sequenceAction: events.sequenceAction,
      attempts: events.attempts,
      lastError: events.lastError,
      createdAt: events.createdAt,
    })
    .from(events)
    .where(and(eq(events.status, 'dead'), after === null ? undefined : gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit + 1);
  return toConnection(rows, limit, (row) => encodeCursor('dead', [row.id]));
}
