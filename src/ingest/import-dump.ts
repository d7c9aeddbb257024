// Streams a planet notes dump into the base tables: parse a chunk, cut batches of N notes, and
// hand them to a BatchWriter that writes each in its own transaction while parsing goes on. At
// most `connections` batches are in flight, so memory stays flat whatever the file size.
//
// Failure semantics: batches are all-or-nothing. When the input turns out to be bad (or the
// import is interrupted), the batches already committed stay, the batch being read is dropped,
// and the summary says where it stopped; re-running after a fix is safe because writes are
// idempotent. A file that fails within its first batch leaves the database as before.
import { basename } from 'node:path';
import type pg from 'pg';
import { BatchWriter, type Batch, type BatchWriterTotals } from './batch-writer.ts';
import { loadCountryIds } from './country-ids.ts';
import { openDumpSource } from './dump-source.ts';
import { PlanetDumpParser } from './planet-parser.ts';
import { SeenNotes } from './seen-notes.ts';

export const DEFAULT_BATCH_NOTES = 5_000;
export const DEFAULT_CONNECTIONS = 2;
/** Below this many comments an import notifies like any writer; from it on, bulk mode. */
export const BULK_THRESHOLD_COMMENTS = 1_000;

export type BulkMode = 'auto' | 'on' | 'off';

export interface ImportProgress {
  notesRead: number;
  commentsRead: number;
  notesStored: number;
  commentsStored: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
}

/** What the input held that was not stored as it was. */
export interface ImportAnomalies {
  /** Notes whose id appeared again later in the file (their comments were merged). */
  duplicateNotes: number;
  /** The first few of those ids. */
  duplicateNoteIds: number[];
  /** Comments cut to MAX_COMMENT_LENGTH characters, and the characters cut. */
  commentsTruncated: number;
  charactersCut: number;
  /** Invalid UTF-8 sequences, each stored as U+FFFD. */
  replacedCharacters: number;
}

/** Duplicate note ids kept for the summary. */
const DUPLICATE_IDS_SHOWN = 10;

export interface ImportSummary extends ImportProgress, BatchWriterTotals, ImportAnomalies {
  file: string;
  compressed: boolean;
  bulk: boolean;
  /** The input ended and everything in it is stored. */
  complete: boolean;
  /** Why the import stopped early (bad input, database error, interruption). */
  error?: Error;
}

export interface ImportOptions {
  pool: pg.Pool;
  file: string;
  batchNotes?: number;
  /** Connections writing batches at once (1 keeps commits in file order). */
  connections?: number;
  bulk?: BulkMode;
  /** Longest comment text stored, in characters; longer ones are cut and counted. */
  maxCommentLength?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  progressIntervalMs?: number;
}

export class ImportInterrupted extends Error {
  override name = 'ImportInterrupted';
  constructor() {
    super('interrupted');
  }
}

export async function importDump(options: ImportOptions): Promise<ImportSummary> {
  const { pool, file } = options;
  const batchNotes = options.batchNotes ?? DEFAULT_BATCH_NOTES;
  const started = performance.now();
  const source = await openDumpSource(file);
  const parser = new PlanetDumpParser(file, { maxCommentLength: options.maxCommentLength });
  const seen = new SeenNotes();
  const duplicates = { count: 0, ids: [] as number[] };
  let notesRead = 0;
  let writer: BatchWriter | undefined;
  let decided = false;

  const summary = (): ImportSummary => ({
    file,
    compressed: source.compressed,
    bulk: writer?.bulk ?? false,
    complete: false,
    notesRead,
    commentsRead: parser.comments,
    bytesRead: source.bytesRead(),
    totalBytes: source.size,
    elapsedMs: performance.now() - started,
    duplicateNotes: duplicates.count,
    duplicateNoteIds: duplicates.ids,
    commentsTruncated: parser.cut.comments,
    charactersCut: parser.cut.characters,
    replacedCharacters: source.replacedCharacters(),
    ...(writer?.totals ?? { batches: 0, notesStored: 0, commentsStored: 0, notesInserted: 0, notesUpdated: 0, commentsInserted: 0 }),
  });
  const ticker = options.onProgress
    ? setInterval(() => options.onProgress!(summary()), options.progressIntervalMs ?? 1_000).unref()
    : undefined;

  try {
    writer = await BatchWriter.open(pool, options.connections ?? DEFAULT_CONNECTIONS, await loadCountryIds(pool));
    const active = writer;
    /** The first batch decides bulk mode: a whole import under the threshold notifies normally. */
    const submit = async (batch: Batch, atEnd: boolean) => {
      if (!decided) {
        const mode = options.bulk ?? 'auto';
        active.bulk = mode === 'on' || (mode === 'auto' && !(atEnd && batch.comments < BULK_THRESHOLD_COMMENTS));
        decided = true;
      }
      await active.submit(batch);
    };

    let batch: Batch = { notes: [], comments: 0, line: 0 };
    const collect = async (atEnd: boolean) => {
      const { notes, lines } = parser.take();
      for (let i = 0; i < notes.length; i++) {
        const note = notes[i]!;
        if (seen.see(note.id)) {
          duplicates.count++;
          if (duplicates.ids.length < DUPLICATE_IDS_SHOWN) duplicates.ids.push(note.id);
        }
        batch.notes.push(note);
        batch.comments += note.comments.length;
        batch.line = lines[i]!;
        notesRead++;
        if (batch.notes.length >= batchNotes && !(atEnd && i === notes.length - 1)) {
          await submit(batch, false);
          batch = { notes: [], comments: 0, line: 0 };
        }
      }
    };

    /** Parses one step; notes completed before a parse error still go into full batches. */
    const step = async (parse: () => void, atEnd: boolean) => {
      try {
        parse();
      } catch (error) {
        await collect(false);
        throw error;
      }
      await collect(atEnd);
    };

    let error: Error | undefined;
    try {
      for await (const chunk of source.chunks) {
        if (options.signal?.aborted) throw new ImportInterrupted();
        await step(() => parser.write(chunk), false);
      }
      await step(() => parser.end(), true);
      if (batch.notes.length > 0) await submit(batch, true);
      await writer.drain();
    } catch (caught) {
      source.close();
      await writer.close();
      error = writer.failure ?? (caught instanceof Error ? caught : new Error(String(caught)));
    }
    await writer.close();

    const result: ImportSummary = { ...summary(), complete: error === undefined, error };
    if (result.bulk && result.batches > 0) {
      // The processor drains the outbox on this one wake-up instead of a NOTIFY per statement.
      await pool.query(`SELECT pg_notify('bulk_import_completed', $1)`, [JSON.stringify(bulkPayload(result))]);
    }
    return result;
  } finally {
    if (ticker) clearInterval(ticker);
    source.close();
  }
}

/** Small on purpose (NOTIFY payloads stay far below 8000 bytes): counts and outbox ids. */
function bulkPayload(summary: ImportSummary) {
  return {
    file: basename(summary.file).slice(0, 200),
    notes: summary.notesStored,
    comments: summary.commentsInserted,
    first_event_id: summary.events?.first ?? null,
    last_event_id: summary.events?.last ?? null,
    complete: summary.complete,
  };
}
