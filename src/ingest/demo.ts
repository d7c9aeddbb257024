// What `npm start` shows a newcomer: a small history to query at once, and a gentle live feed
// so subscriptions fire in GraphiQL. src/app.ts decides when to call these (DEMO_FEED).
import type pg from 'pg';
import { inTransaction } from '../db/transaction.ts';
import type { Logger } from '../log.ts';
import { startLiveFeed } from './generator/live-feed.ts';
import { DEMO_SEED, generateNotes, SYNTHETIC_ID_BASE } from './generator/synthetic-notes.ts';
import { loadCountryIds } from './country-ids.ts';
import { beginIngestTransaction, writeNotes } from './note-writer.ts';

export const DEMO_NOTES = 300;

export interface DemoSeedResult {
  seeded: boolean;
  notes: number;
  comments: number;
}

/**
 * Seeds a year of synthetic notes when the notes table is empty, and does nothing otherwise.
 * Safe when several processes start at once: an advisory lock serialises them and the check
 * runs under it.
 */
export async function seedDemoData(pool: pg.Pool, log: Logger): Promise<DemoSeedResult> {
  const result = await inTransaction(
    pool,
    async (client): Promise<DemoSeedResult> => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('notes-stream demo seed'))`);
      const { rows } = await client.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM notes) AS empty');
      if (!rows[0]!.empty) return { seeded: false, notes: 0, comments: 0 };
      const notes = [...generateNotes({ seed: DEMO_SEED, notes: DEMO_NOTES, firstNoteId: SYNTHETIC_ID_BASE + 1 })];
      const counts = await writeNotes(client, notes, await loadCountryIds(client));
      return { seeded: true, notes: counts.notesInserted, comments: counts.commentsInserted };
    },
    beginIngestTransaction,
  );
  if (result.seeded) log.info({ notes: result.notes, comments: result.comments }, 'demo data seeded');
  return result;
}

/** Starts the live feed; stop() ends it after the write in progress. */
export function startDemoFeed(pool: pg.Pool, options: { ratePerSecond: number; log: Logger }): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const running = startLiveFeed(pool, { ratePerSecond: options.ratePerSecond, signal: stopping.signal, log: options.log })
    .then((stats) => options.log.info(stats, 'demo feed stopped'))
    .catch((error: unknown) => options.log.warn({ err: error }, 'demo feed failed'));
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

