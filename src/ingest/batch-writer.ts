// Writes batches of notes for a long import: each batch in its own transaction, on up to N
// connections at once so PostgreSQL works on one batch while the next is parsed and sent.
// Batches in flight never share a note (a later one waits for an earlier one that has any of its
// ids), so each note's comments are still written in order.
import type pg from 'pg';
import type { CountryIdAt } from './country-ids.ts';
import type { IncomingNote } from './model.ts';
import { beginIngestTransaction, writeNotes, type WriteCounts } from './note-writer.ts';

/** Smallest growth of note_comments that triggers an ANALYZE during an import. */
const ANALYZE_MIN_COMMENTS = 20_000;

export interface Batch {
  notes: IncomingNote[];
  comments: number;
  /** Input line of the batch's last note. */
  line: number;
}

interface Committed {
  noteId: number;
  line: number;
}

interface Slot {
  client: pg.PoolClient;
  busy?: { promise: Promise<void>; minId: number; maxId: number };
  /** Whether this connection has written outbox rows yet (currval needs a nextval first). */
  usedSequence: boolean;
  broken: boolean;
}

export interface BatchWriterTotals extends WriteCounts {
  batches: number;
  notesStored: number;
  commentsStored: number;
  /** The end of the committed prefix of the input: every batch up to it is stored. */
  lastStored?: Committed;
  events?: { first: number; last: number };
}

export class BatchWriter {
  readonly totals: BatchWriterTotals = {
    batches: 0,
    notesStored: 0,
    commentsStored: 0,
    notesInserted: 0,
    notesUpdated: 0,
    commentsInserted: 0,
  };
  /** Set before the first batch: suppress per-statement NOTIFY and track outbox ids. */
  bulk = false;
  private error: Error | undefined;
  private closed = false;
  private submitted = 0;
  private prefix = 0;
  private readonly committedOutOfOrder = new Map<number, Committed>();
  private tableRows = 0;
  private sinceAnalyze = 0;

  private constructor(
    private readonly slots: Slot[],
    private readonly countryIdAt: CountryIdAt,
  ) {}

  static async open(pool: pg.Pool, connections: number, countryIdAt: CountryIdAt): Promise<BatchWriter> {
    const slots: Slot[] = [];
    try {
      for (let i = 0; i < connections; i++) slots.push({ client: await pool.connect(), usedSequence: false, broken: false });
    } catch (error) {
      for (const slot of slots) slot.client.release();
      throw error;
    }
    const writer = new BatchWriter(slots, countryIdAt);
    const { rows } = await slots[0]!.client.query<{ rows: number }>(
      `SELECT greatest(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = 'note_comments'::regclass`,
    );
    writer.tableRows = rows[0]?.rows ?? 0;
    return writer;
  }

  /** Starts writing a batch once a connection is free; throws if an earlier batch failed. */
  async submit(batch: Batch): Promise<void> {
    const minId = Math.min(...batch.notes.map((n) => n.id));
    const maxId = Math.max(...batch.notes.map((n) => n.id));
    for (;;) {
      if (this.error) throw this.error;
      const overlapping = this.slots.find((s) => s.busy && s.busy.minId <= maxId && minId <= s.busy.maxId);
      const free = this.slots.find((s) => !s.busy);
      if (free && !overlapping) {
        const promise = this.write(free, batch, this.submitted++)
          .catch((error: unknown) => {
            free.broken = true;
            this.error ??= error instanceof Error ? error : new Error(String(error));
          })
          .finally(() => (free.busy = undefined));
        free.busy = { promise, minId, maxId };
        return;
      }
      await (overlapping ?? this.slots.find((s) => s.busy))!.busy!.promise;
    }
  }

  /** Waits for every batch in flight; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.busy?.promise));
    if (this.error) throw this.error;
  }

  get failure(): Error | undefined {
    return this.error;
  }

  /** Returns the connections to the pool (discarding any that failed mid-transaction). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.busy?.promise));
    if (this.closed) return;
    this.closed = true;
    for (const slot of this.slots) slot.client.release(slot.broken);
  }

  private async write(slot: Slot, batch: Batch, sequence: number): Promise<void> {
    const { client } = slot;
    await beginIngestTransaction(client, { bulk: this.bulk });
    let counts: WriteCounts;
    try {
      const firstEventAtLeast = this.bulk && !slot.usedSequence ? await this.nextEventId(client) : undefined;
      counts = await writeNotes(client, batch.notes, this.countryIdAt);
      if (this.bulk && counts.commentsInserted > 0) await this.trackEvents(slot, firstEventAtLeast);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    const t = this.totals;
    t.batches++;
    t.notesStored += batch.notes.length;
    t.commentsStored += batch.comments;
    t.notesInserted += counts.notesInserted;
    t.notesUpdated += counts.notesUpdated;
    t.commentsInserted += counts.commentsInserted;
    this.committedOutOfOrder.set(sequence, { noteId: batch.notes[batch.notes.length - 1]!.id, line: batch.line });
    for (let next; (next = this.committedOutOfOrder.get(this.prefix)); this.prefix++) {
      t.lastStored = next;
      this.committedOutOfOrder.delete(this.prefix);
    }
    await this.refreshStatistics(client, counts.commentsInserted);
  }

  /** A lower bound for the outbox ids the next statements will get (ids only grow). */
  private async nextEventId(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<{ id: number }>(
      `SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('streaming.events', 'id')::regclass), 0) AS id`,
    );
    return rows[0]!.id;
  }

  /**
   * Outbox ids for the bulk_import_completed payload: the trigger inserted this batch's events
   * in this session, so currval is the batch's last id; the first id is looked up only for
   * each connection's first batch (later batches cannot lower the minimum).
   */
  private async trackEvents(slot: Slot, firstAtLeast: number | undefined): Promise<void> {
    const { rows } =
      firstAtLeast === undefined
        ? await slot.client.query<{ first: number | null; last: number }>(
            `SELECT NULL::bigint AS first, currval(pg_get_serial_sequence('streaming.events', 'id')) AS last`,
          )
        : await slot.client.query<{ first: number | null; last: number }>(
            `SELECT min(id) AS first, max(id) AS last FROM streaming.events
             WHERE id >= $1 AND xmin = pg_current_xact_id()::xid`,
            [firstAtLeast],
          );
    slot.usedSequence = true;
    const { first, last } = rows[0]!;
    const events = (this.totals.events ??= { first: first ?? last, last });
    if (first !== null) events.first = Math.min(events.first, first);
    events.last = Math.max(events.last, last);
  }

  /**
   * The ingest statements are prepared, and their plans (like those inside the outbox
   * triggers) were made when the tables were small, e.g. a nested loop over a sequential scan
   * of users. ANALYZE each time the import has doubled note_comments refreshes the statistics
   * and invalidates those plans, at a logarithmic cost.
   */
  private async refreshStatistics(client: pg.PoolClient, comments: number): Promise<void> {
    this.sinceAnalyze += comments;
    if (this.sinceAnalyze < Math.max(ANALYZE_MIN_COMMENTS, this.tableRows)) return;
    this.tableRows += this.sinceAnalyze;
    this.sinceAnalyze = 0;
    await client.query('ANALYZE users, notes, note_comments');
  }
}
