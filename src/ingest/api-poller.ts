// One poll of the OSM API 0.6 for notes changed since the high-water mark, the way
// OSM-Notes-Ingestion asks:
//   GET {OSM_API_URL}/notes/search.xml?limit=10000&closed=-1&sort=updated_at&order=oldest&from=<mark>
// (closed=-1: closed notes too; `from` applies to updated_at and is inclusive, so the notes at
// the mark come again and are recognised as stored). An answer is stored in one transaction with
// the new mark, or not at all: network errors, HTTP errors and malformed XML store nothing.
import type pg from 'pg';
import { inTransaction } from '../db/transaction.ts';
import { APP_NAME, APP_VERSION } from '../version.ts';
import { parseApiNotes } from './api-parser.ts';
import { capCommentTexts } from './comment-length.ts';
import { loadCountryIds, type CountryIdAt } from './country-ids.ts';
import { IngestInputError } from './input-error.ts';
import { lastActionAt } from './model.ts';
import { beginIngestTransaction, writeNotes } from './note-writer.ts';
import { retryAfterMs } from './poll-schedule.ts';
import { defaultSince, readPollState, writePollState } from './sync-state.ts';

export const API_LIMIT = 10_000;

export interface PollOptions {
  pool: pg.Pool;
  /** e.g. https://api.openstreetmap.org/api/0.6 */
  apiUrl: string;
  /** Mark to start from when the database has none (default: newest stored comment). */
  since?: string;
  limit?: number;
  timeoutMs?: number;
  /** Loaded once and reused by a daemon. */
  countryIdAt?: CountryIdAt;
  /** Aborts the request (not a write in progress). */
  signal?: AbortSignal;
  /** Longer comment texts are cut to this many characters (MAX_COMMENT_LENGTH), as import does. */
  maxCommentLength?: number;
}

export type PollOutcome =
  | {
      ok: true;
      url: string;
      notes: number;
      notesInserted: number;
      notesUpdated: number;
      commentsInserted: number;
      /** Comments of the answer cut to maxCommentLength, and the characters cut. */
      commentsCut: number;
      charactersCut: number;
      since: string;
      nextSince: string;
      /** The answer hit the limit: more notes are waiting, poll again at once. */
      full: boolean;
    }
  | {
      ok: false;
      url: string;
      kind: 'network' | 'http' | 'malformed' | 'database';
      message: string;
      status?: number;
      retryAfterMs?: number;
    };

export function searchUrl(apiUrl: string, since: string, limit: number): string {
  const base = apiUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ limit: String(limit), closed: '-1', sort: 'updated_at', order: 'oldest', from: since });
  return `${base}/notes/search.xml?${query}`;
}

export async function pollOnce(options: PollOptions): Promise<PollOutcome> {
  const { pool } = options;
  const limit = options.limit ?? API_LIMIT;
  const state = await readPollState(pool);
  const since = state?.since ?? options.since ?? (await defaultSince(pool));
  const url = searchUrl(options.apiUrl, since, limit);

  let body: string;
  try {
    const response = await fetch(url, {
      headers: { 'user-agent': `${APP_NAME}/${APP_VERSION} (notes poller)`, accept: 'application/xml' },
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 120_000), ...(options.signal ? [options.signal] : [])]),
    });
    body = await response.text();
    if (!response.ok) {
      return {
        ok: false,
        url,
        kind: 'http',
        status: response.status,
        message: `HTTP ${response.status} ${response.statusText}`.trim(),
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      };
    }
  } catch (error) {
    // fetch says "fetch failed"; the reason (ECONNREFUSED, a timeout, …) is in its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message = error instanceof Error ? error.message : String(error);
    const reason = cause?.code ?? cause?.message;
    return { ok: false, url, kind: 'network', message: reason ? `${message} (${reason})` : message };
  }

  let notes;
  try {
    notes = parseApiNotes(body, url);
  } catch (error) {
    if (error instanceof IngestInputError) return { ok: false, url, kind: 'malformed', message: error.message };
    throw error;
  }

  const cut = capCommentTexts(notes, options.maxCommentLength ?? Number.POSITIVE_INFINITY);

  const nextSince = notes.reduce((mark, note) => {
    const updated = lastActionAt(note);
    return updated > mark ? updated : mark;
  }, since);
  const countryIdAt = options.countryIdAt ?? (await loadCountryIds(pool));
  try {
    const counts = await inTransaction(
      pool,
      async (client) => {
        const written = await writeNotes(client, notes, countryIdAt);
        await writePollState(client, {
          since: nextSince,
          lastSuccessAt: new Date().toISOString(),
          notes: (state?.notes ?? 0) + written.notesInserted,
          comments: (state?.comments ?? 0) + written.commentsInserted,
        });
        return written;
      },
      beginIngestTransaction,
    );
    return {
      ok: true,
      url,
      notes: notes.length,
      ...counts,
      commentsCut: cut.comments,
      charactersCut: cut.characters,
      since,
      nextSince,
      full: notes.length >= limit,
    };
  } catch (error) {
    return { ok: false, url, kind: 'database', message: error instanceof Error ? error.message : String(error) };
  }
}
