import type pg from 'pg';
import type { Logger } from '../../log.ts';
import { announceBatches } from './announce.ts';
import type { BatchResult } from './batch-result.ts';

export interface BatchOutcome {
  committed: BatchResult[];
  /** Events whose failure was counted (retry later or dead). */
  failed: { id: number; status: 'pending' | 'dead'; attempts: number; error: string }[];
  /** The claim was too large for the server (nothing was claimed): try a smaller one. */
  tooLarge?: boolean;
}

export interface BatchSettings {
  processorId: string;
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  log: Logger;
  /** Told of committed batches before they are announced (an API hub in the same process). */
  onCommitted?: (batches: readonly BatchResult[]) => void;
  /** Batches of at most this many events come back with their stream rows (`BatchResult.stream`). */
  handOverRows?: number;
}

const RESULT_COLUMNS = `batch_id AS "batchId", first_position AS "firstPosition", last_position AS "lastPosition",
  events, countries, users, lags_ms AS "lagsMs", stream`;

interface Claimed {
  id: number;
  note_id: number;
}

// Lock conflicts and serialization failures say nothing about the events: retry as they are.
const TRANSIENT = new Set(['40001', '40P01', '55P03', '57014']);
// "Out of shared memory": a claim takes an advisory lock per note until it commits, and the
// server's lock table (max_locks_per_transaction × max_connections, shared by every session)
// runs out at ~12,000 on default settings. That is the batch's size, not its events.
const OUT_OF_MEMORY = '53200';

/**
 * Claims one batch and processes it in one statement (one round trip, its own transaction).
 * When that fails, the same events are claimed again and split by note, each half retried in
 * its own transaction, so one bad event cannot hold up the rest; a single note (then a single
 * event) that still fails has the failure counted against its events. What committed is then
 * handed to `onCommitted` and announced (announce.ts).
 */
export async function runBatch(client: pg.PoolClient, settings: BatchSettings): Promise<BatchOutcome> {
  const outcome = await claimAndProcess(client, settings);
  if (outcome.committed.length > 0) settings.onCommitted?.(outcome.committed);
  await announceBatches(client, outcome.committed, settings.log);
  return outcome;
}

async function claimAndProcess(client: pg.PoolClient, settings: BatchSettings): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { committed: [], failed: [] };
  try {
    const { rows } = await client.query(
      `SELECT ${RESULT_COLUMNS} FROM streaming.claim_and_process($1, $2, $3)`,
      [settings.batchSize, settings.processorId, settings.handOverRows ?? 0],
    );
    if (rows[0]) outcome.committed.push(rows[0] as BatchResult);
    return outcome;
  } catch (error) {
    if (isTransient(error)) {
      settings.log.warn({ err: error }, 'batch hit a lock conflict; it will be retried');
      return outcome;
    }
    if ((error as { code?: string }).code === OUT_OF_MEMORY && settings.batchSize > 1) {
      return { ...outcome, tooLarge: true };
    }
    if (!(error as { code?: string }).code) throw error; // the connection, not the data
    settings.log.warn({ err: error }, 'batch failed; isolating the events at fault');
  }
  const started = new Date();
  await client.query('BEGIN');
  let claimed: Claimed[];
  try {
    claimed = (await client.query<Claimed>('SELECT id, note_id FROM streaming.claim_events($1)', [settings.batchSize]))
      .rows;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  if (claimed.length === 0) {
    await client.query('ROLLBACK');
    return outcome;
  }
  const error = await processClaimed(client, claimed, started, settings, outcome);
  if (error) await isolate(client, groupByNote(claimed), error, settings, outcome);
  return outcome;
}

/** Processes and commits claimed events (in an open transaction); returns the error if any. */
async function processClaimed(
  client: pg.PoolClient,
  claimed: Claimed[],
  started: Date,
  settings: BatchSettings,
  outcome: BatchOutcome,
): Promise<unknown> {
  try {
    const { rows } = await client.query(
      `SELECT ${RESULT_COLUMNS} FROM streaming.process_events($1, $2, $3, $4)`,
      [claimed.map((c) => c.id), settings.processorId, started, settings.handOverRows ?? 0],
    );
    await client.query('COMMIT');
    outcome.committed.push(rows[0] as BatchResult);
    return undefined;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    return error;
  }
}

async function isolate(
  client: pg.PoolClient,
  notes: Claimed[][],
  error: unknown,
  settings: BatchSettings,
  outcome: BatchOutcome,
): Promise<void> {
  if (isTransient(error)) {
    settings.log.warn({ err: error }, 'batch hit a lock conflict; it will be retried');
    return;
  }
  // One note left with several events: the fault may be in one event only (a bad kind), so
  // those are tried one by one.
  if (notes.length === 1 && notes[0]!.length > 1) notes = notes[0]!.map((c) => [c]);
  if (notes.length === 1) {
    const ids = notes[0]!.map((c) => c.id);
    const message = describeError(error);
    const { rows } = await client.query<{ id: number; status: 'pending' | 'dead'; attempts: number }>(
      'SELECT * FROM streaming.record_failure($1, $2, $3, $4)',
      [ids, message, settings.maxAttempts, settings.retryBaseMs],
    );
    for (const row of rows) {
      outcome.failed.push({ ...row, error: message });
      settings.log.error(
        { eventId: row.id, noteId: notes[0]![0]!.note_id, attempts: row.attempts, status: row.status, error: message },
        row.status === 'dead' ? 'event dead-lettered' : 'event failed; will retry',
      );
    }
    return;
  }
  const middle = Math.ceil(notes.length / 2);
  for (const half of [notes.slice(0, middle), notes.slice(middle)]) {
    const started = new Date();
    await client.query('BEGIN');
    const locked = (
      await client.query<Claimed>('SELECT id, note_id FROM streaming.lock_events($1)', [half.flat().map((c) => c.id)])
    ).rows;
    if (locked.length === 0) {
      await client.query('ROLLBACK');
      continue;
    }
    const halfError = await processClaimed(client, locked, started, settings, outcome);
    if (halfError) await isolate(client, groupByNote(locked), halfError, settings, outcome);
  }
}

function groupByNote(claimed: Claimed[]): Claimed[][] {
  const byNote = new Map<number, Claimed[]>();
  for (const c of claimed) {
    const group = byNote.get(c.note_id);
    if (group) group.push(c);
    else byNote.set(c.note_id, [c]);
  }
  return [...byNote.values()];
}

function isTransient(error: unknown): boolean {
  return TRANSIENT.has((error as { code?: string }).code ?? '');
}

/** The error as one readable line: PostgreSQL's message, its detail and SQLSTATE. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const pgError = error as Error & { code?: string; detail?: string };
  const parts = [pgError.message];
  if (pgError.detail) parts.push(pgError.detail);
  if (pgError.code) parts.push(`(SQLSTATE ${pgError.code})`);
  return parts.join(' ');
}
