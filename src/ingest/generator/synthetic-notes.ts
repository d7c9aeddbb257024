// Synthetic notes with plausible lives: opened (sometimes anonymously), discussed, closed after
// hours to months, now and then reopened or hidden; opening times spread evenly over a period,
// ids increasing with time as on OSM. Deterministic for a seed.
import type { IncomingComment, IncomingNote, NoteAction } from '../model.ts';
import { JITTER_DEGREES, PLACE_WEIGHTS, PLACES } from './places.ts';
import { Random } from './random.ts';
import { closingText, commentText, openingText, reopeningText, usernames } from './texts.ts';

/**
 * Ids of synthetic notes and users start above these, far from real OSM ids (about 5 million in
 * 2025): the demo data and the live feed above the first, generated dumps above the second, so
 * that importing a dump never merges into (or renames users of) the demo data or the feed.
 */
export const SYNTHETIC_ID_BASE = 900_000_000;
export const GENERATED_DUMP_ID_BASE = 1_500_000_000;
/** The seed of the demo data's users; the live feed writes as the same users (same names). */
export const DEMO_SEED = 2013;

const HOUR = 3600;
const DAY = 24 * HOUR;

export interface GenerateOptions {
  seed?: number;
  /** Notes and users get ids above this (default SYNTHETIC_ID_BASE). */
  idBase?: number;
  /** The first note's id (default idBase + 1). */
  firstNoteId?: number;
  /** Stop after this many notes… */
  notes?: number;
  /** …or after exactly this many comments (the last note's history is cut to fit). */
  comments?: number;
  /** Opening times are spread over [from, to); later actions than `to` do not happen (yet). */
  from?: Date;
  to?: Date;
  /** Size of the user pool. */
  users?: number;
}

export interface SyntheticUser {
  uid: number;
  name: string;
}

/** Seconds-precision ISO timestamp, the form the writer expects. */
export function isoSeconds(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toISOString().slice(0, 19) + 'Z';
}

export function syntheticUsers(seed: number, count: number, idBase = SYNTHETIC_ID_BASE): SyntheticUser[] {
  return usernames(new Random(seed ^ 0x5eed), count).map((name, i) => ({ uid: idBase + i + 1, name }));
}

/** A position near a weighted random place, with the language spoken there. */
export function randomPosition(random: Random) {
  const place = random.weighted(PLACES, PLACE_WEIGHTS);
  const lon = place.lon + (random.next() * 2 - 1) * JITTER_DEGREES;
  const lat = place.lat + (random.next() * 2 - 1) * JITTER_DEGREES;
  return { lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7, place };
}

/** closed_at as OSM reports it: the time of the last close when the note ends closed. */
export function closedAtOf(comments: readonly IncomingComment[]): string | null {
  for (let i = comments.length - 1; i >= 0; i--) {
    const action = comments[i]!.action;
    if (action === 'closed') return comments[i]!.timestamp;
    if (action === 'opened' || action === 'reopened') return null;
  }
  return null;
}

export function* generateNotes(options: GenerateOptions = {}): Generator<IncomingNote> {
  const seed = options.seed ?? 1;
  const random = new Random(seed);
  const idBase = options.idBase ?? SYNTHETIC_ID_BASE;
  const users = syntheticUsers(seed, options.users ?? 2_000, idBase);
  const names = users.map((u) => u.name);
  const to = (options.to ?? new Date()).getTime() / 1000;
  const from = (options.from ?? new Date((to - 365 * DAY) * 1000)).getTime() / 1000;
  // Without a note count, spread openings as if notes had 2.5 actions each (about what we draw).
  const expectedNotes = options.notes ?? Math.max(1, Math.ceil((options.comments ?? 1_000) / 2.5));
  const step = (to - from) / expectedNotes;
  let remaining = options.comments ?? Infinity;
  let id = options.firstNoteId ?? idBase + 1;

  for (let n = 0; remaining > 0 && (options.notes === undefined || n < options.notes); n++, id++) {
    const opened = from + n * step + random.next() * step;
    const { lon, lat, place } = randomPosition(random);
    const author = random.chance(0.12) ? null : random.pick(users);
    const comments: IncomingComment[] = [
      comment('opened', opened, author, openingText(random, place.language, names)),
    ];
    let time = opened;
    let state: 'open' | 'closed' | 'hidden' = 'open';
    while (comments.length < 12) {
      let next: IncomingComment | undefined;
      if (state === 'open') {
        const roll = random.next();
        if (roll < 0.35) {
          time += random.logNormal(DAY, 1.5);
          const by = random.chance(0.05) ? null : random.pick(users);
          next = comment('commented', time, by, commentText(random, names));
        } else if (roll < 0.9) {
          time += random.logNormal(5 * DAY, 2);
          const by = author && random.chance(0.2) ? author : random.pick(users);
          next = comment('closed', time, by, closingText(random, names));
          state = 'closed';
        } else if (roll < 0.91) {
          time += random.logNormal(2 * DAY, 1);
          next = comment('hidden', time, random.pick(users), '');
          state = 'hidden';
        }
      } else if (state === 'closed' && random.chance(0.08)) {
        time += random.logNormal(30 * DAY, 1.5);
        next = comment('reopened', time, random.pick(users), reopeningText(random));
        state = 'open';
      }
      if (!next || time >= to) break;
      comments.push(next);
    }
    if (comments.length > remaining) comments.length = remaining;
    remaining -= comments.length;
    yield {
      id,
      lat,
      lon,
      createdAt: comments[0]!.timestamp,
      closedAt: closedAtOf(comments),
      status: null,
      comments,
    };
  }
}

function comment(action: NoteAction, time: number, user: SyntheticUser | null, text: string): IncomingComment {
  return { action, timestamp: isoSeconds(time), uid: user?.uid ?? null, user: user?.name ?? null, text };
}
