// A live feed of synthetic activity at a chosen rate: new notes opened, and comments, closes,
// reopens and the odd hide on recent notes, each written like a real writer would (small
// transactions, so the outbox triggers notify at once). For demos and load generation.
import type pg from 'pg';
import { inTransaction } from '../../db/transaction.ts';
import type { Logger } from '../../log.ts';
import { loadCountryIds, type CountryIdAt } from '../country-ids.ts';
import type { IncomingComment, IncomingNote, NoteAction, NoteStatus } from '../model.ts';
import { beginIngestTransaction, writeNotes, type WriteCounts } from '../note-writer.ts';
import { sleep } from '../poll-schedule.ts';
import { Random } from './random.ts';
import {
  DEMO_SEED,
  GENERATED_DUMP_ID_BASE,
  isoSeconds,
  randomPosition,
  SYNTHETIC_ID_BASE,
  syntheticUsers,
  type SyntheticUser,
} from './synthetic-notes.ts';
import { closingText, commentText, openingText, reopeningText } from './texts.ts';

export interface LiveFeedOptions {
  ratePerSecond: number;
  signal: AbortSignal;
  seed?: number;
  log?: Logger;
}

export interface LiveFeedStats {
  actions: number;
  notesOpened: number;
  failures: number;
}

/** Writes generated notes (and their comments) in one ingest transaction. */
export async function insertGeneratedBatch(
  pool: pg.Pool,
  notes: IncomingNote[],
  options: { bulk?: boolean; countryIdAt?: CountryIdAt } = {},
): Promise<WriteCounts> {
  return inTransaction(
    pool,
    async (client) => writeNotes(client, notes, options.countryIdAt ?? (await loadCountryIds(client))),
    (client) => beginIngestTransaction(client, options),
  );
}

interface RecentNote {
  id: number;
  lat: number;
  lon: number;
  createdAt: string;
  closedAt: string | null;
  status: NoteStatus;
  /** Time of the feed's last action on it, to keep one action per note per second. */
  touched: string;
}

const RECENT_LIMIT = 300;
const TICK_MS = 100;

async function loadRecentNotes(pool: pg.Pool): Promise<RecentNote[]> {
  const { rows } = await pool.query<{ id: number; lat: number; lon: number; created_at: string; closed_at: string | null; status: NoteStatus }>(
    `SELECT note_id AS id, latitude AS lat, longitude AS lon, status::text AS status,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
            to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS closed_at
     FROM notes WHERE status <> 'hidden' ORDER BY created_at DESC LIMIT $1`,
    [RECENT_LIMIT],
  );
  return rows.map((r) => ({ id: r.id, lat: r.lat, lon: r.lon, createdAt: r.created_at, closedAt: r.closed_at, status: r.status, touched: '' }));
}

/** After the highest synthetic id of the demo and feed range (generated dumps use their own). */
async function nextNoteId(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    'SELECT greatest(max(note_id), $1::int) + 1 AS id FROM notes WHERE note_id > $1::int AND note_id <= $2::int',
    [SYNTHETIC_ID_BASE, GENERATED_DUMP_ID_BASE],
  );
  return rows[0]?.id ?? SYNTHETIC_ID_BASE + 1;
}

class FeedState {
  constructor(
    readonly random: Random,
    readonly users: SyntheticUser[],
    readonly recent: RecentNote[],
    private nextId: number,
  ) {}

  private get names() {
    return this.users.map((u) => u.name);
  }

  /** The next action as a note carrying just that comment; the writer appends it. */
  nextAction(now: string, usedThisTick: Set<number>): IncomingNote {
    const { random } = this;
    const candidate = this.recent.length > 0 && !random.chance(0.35) ? random.pick(this.recent) : undefined;
    if (!candidate || candidate.touched === now || usedThisTick.has(candidate.id) || candidate.status === 'hidden') {
      return this.open(now, usedThisTick);
    }
    const user = random.pick(this.users);
    let action: NoteAction;
    let text: string;
    if (candidate.status === 'open') {
      action = random.weighted(['commented', 'closed', 'hidden'] as const, [55, 43, 2]);
      text = action === 'commented' ? commentText(random, this.names) : action === 'closed' ? closingText(random, this.names) : '';
    } else {
      action = random.weighted(['reopened', 'commented'] as const, [30, 70]);
      text = action === 'reopened' ? reopeningText(random) : commentText(random, this.names);
    }
    if (action === 'closed') Object.assign(candidate, { status: 'close', closedAt: now });
    if (action === 'reopened') Object.assign(candidate, { status: 'open', closedAt: null });
    if (action === 'hidden') candidate.status = 'hidden';
    candidate.touched = now;
    usedThisTick.add(candidate.id);
    return this.asNote(candidate, { action, timestamp: now, uid: user.uid, user: user.name, text });
  }

  private open(now: string, usedThisTick: Set<number>): IncomingNote {
    const { random } = this;
    const { lon, lat, place } = randomPosition(random);
    const author = random.chance(0.12) ? null : random.pick(this.users);
    const note: RecentNote = { id: this.nextId++, lat, lon, createdAt: now, closedAt: null, status: 'open', touched: now };
    this.recent.unshift(note);
    if (this.recent.length > RECENT_LIMIT) this.recent.pop();
    usedThisTick.add(note.id);
    const text = openingText(random, place.language, this.names);
    return this.asNote(note, { action: 'opened', timestamp: now, uid: author?.uid ?? null, user: author?.name ?? null, text });
  }

  private asNote(note: RecentNote, comment: IncomingComment): IncomingNote {
    return { id: note.id, lat: note.lat, lon: note.lon, createdAt: note.createdAt, closedAt: note.closedAt, status: note.status, comments: [comment] };
  }
}

/**
 * Runs until the signal aborts. Actions are spread over time at `ratePerSecond` (fractions
 * carry over between ticks); a failed write is logged and the feed goes on.
 */
export async function startLiveFeed(pool: pg.Pool, options: LiveFeedOptions): Promise<LiveFeedStats> {
  const stats: LiveFeedStats = { actions: 0, notesOpened: 0, failures: 0 };
  const random = new Random(options.seed ?? Date.now());
  // The demo data's users: a feed on top of it must not rename them.
  const state = new FeedState(random, syntheticUsers(DEMO_SEED, 500), await loadRecentNotes(pool), await nextNoteId(pool));
  const countryIdAt = await loadCountryIds(pool);
  let budget = 0;
  let last = performance.now();
  while (!options.signal.aborted) {
    const now = performance.now();
    // A slow database must not turn into a burst later: at most two seconds of backlog.
    budget = Math.min(budget + ((now - last) / 1000) * options.ratePerSecond, Math.max(1, 2 * options.ratePerSecond));
    last = now;
    if (budget >= 1) {
      const used = new Set<number>();
      const time = isoSeconds(Date.now() / 1000);
      const notes: IncomingNote[] = [];
      for (; budget >= 1; budget--) notes.push(state.nextAction(time, used));
      try {
        await insertGeneratedBatch(pool, notes, { countryIdAt });
        stats.actions += notes.length;
        stats.notesOpened += notes.filter((n) => n.comments[0]!.action === 'opened').length;
      } catch (error) {
        stats.failures++;
        options.log?.warn({ err: error }, 'live feed: write failed, going on');
      }
    }
    await sleep(Math.max(TICK_MS, Math.min(1000, 1000 / Math.max(options.ratePerSecond, 0.001))), options.signal);
  }
  return stats;
}
