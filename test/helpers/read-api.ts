// Helpers of the read-API tests: load notes through the real processor, count SQL statements,
// read the real OSM dump, and reference computations (apart from the SQL) of what the read
// API reports beyond the datamarts the warehouse model already covers.
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { SaxesParser } from 'saxes';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { importDump } from '../../src/ingest/import-dump.ts';
import type { TestDatabase } from './database.ts';
import { insertNotes, type Action, type FixtureNote } from './notes.ts';
import { startProcessor, waitForDrained } from './processor.ts';
import { median, modelFacts, type ModelFact } from './warehouse-model.ts';

/** Inserts the notes and lets the streaming processor build facts and datamarts. */
export async function loadNotes(testDb: TestDatabase, notes: FixtureNote[]): Promise<void> {
  const processor = await startProcessor(testDb);
  try {
    await insertNotes(testDb.database.pool, notes);
    await waitForDrained(testDb.database.pool);
  } finally {
    await processor.stop();
  }
}

/** Imports a planet dump with the real importer and lets the processor catch up. */
export async function loadDump(testDb: TestDatabase, file: string): Promise<void> {
  const processor = await startProcessor(testDb);
  try {
    const summary = await importDump({ pool: testDb.database.pool, file });
    if (!summary.complete) throw summary.error ?? new Error(`import of ${file} did not complete`);
    await waitForDrained(testDb.database.pool);
  } finally {
    await processor.stop();
  }
}

/** A pool that counts the statements its connections run (client side: every query call). */
export function countingDatabase(url: string): { database: Database; statements: () => number; reset: () => void } {
  const database = createDatabase(url, { poolSize: 4, applicationName: 'notes-stream test counted' });
  let count = 0;
  database.pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      count++;
      return query(...args);
    };
  });
  return { database, statements: () => count, reset: () => (count = 0) };
}

/** Notes of a planet dump (`<osm-notes><note><comment>`), in document order. */
export async function readPlanetDump(path: string): Promise<FixtureNote[]> {
  const notes: FixtureNote[] = [];
  const parser = new SaxesParser();
  let note: FixtureNote | undefined;
  let comment: FixtureNote['comments'][number] | undefined;
  let text = '';
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    if (tag.name === 'note') note = { id: Number(a.id), lat: Number(a.lat), lon: Number(a.lon), comments: [] };
    if (tag.name === 'comment') {
      comment = { action: a.action as Action, at: a.timestamp!, ...(a.uid ? { uid: Number(a.uid), user: a.user } : {}) };
      text = '';
    }
  });
  parser.on('text', (t) => (text += t));
  parser.on('closetag', (tag) => {
    if (tag.name === 'comment' && note && comment) note.comments.push({ ...comment, text });
    if (tag.name === 'note' && note) notes.push(note);
    if (tag.name === 'comment') comment = undefined;
  });
  parser.write(await readFile(path, 'utf8')).close();
  return notes;
}

/** Notes dated relative to today, so backlog and last-year activity have something to show. */
export function recentNotes(now = Date.now()): FixtureNote[] {
  const today = Math.floor(now / 86_400_000) * 86_400_000;
  const daysAgo = (days: number, hour = 0) => new Date(today - days * 86_400_000 + hour * 3_600_000).toISOString();
  return [
    {
      id: 2001, lat: 48.85, lon: 2.35, comments: [
        { action: 'opened', at: daysAgo(40, 9), uid: 1, user: 'alice', text: 'Shop gone #Backlog' },
        { action: 'commented', at: daysAgo(5, 1), uid: 2, user: 'bob', text: 'still there?' },
        { action: 'commented', at: daysAgo(5, 2), uid: 3, user: 'carol', text: 'yes #backlog' },
        { action: 'commented', at: daysAgo(5, 3), text: 'anonymous reply' },
      ],
    },
    {
      id: 2002, lat: 52.5, lon: 13.4, comments: [
        { action: 'opened', at: daysAgo(10, 4), uid: 4, user: 'dave', text: 'Path blocked via StreetComplete 60.1' },
      ],
    },
    {
      id: 2003, lat: 40.71, lon: -74.0, comments: [
        { action: 'opened', at: daysAgo(400, 5), uid: 5, user: 'eve', text: 'Old issue' },
        { action: 'closed', at: daysAgo(0, 0), uid: 2, user: 'bob', text: 'Fixed at last' },
      ],
    },
  ];
}

/** A model fact with its exact time (the model keeps only the day). */
export type TimedFact = ModelFact & { at: string };

export function timedFacts(notes: FixtureNote[]): TimedFact[] {
  const at = new Map(notes.flatMap((n) => n.comments.map((c, i) => [`${n.id}:${i + 1}`, c.at] as const)));
  return modelFacts(notes).map((f) => ({ ...f, at: new Date(at.get(`${f.note}:${f.seq}`)!).toISOString() }));
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The note states (open or resolved) by the latest opened/closed/reopened/hidden action. */
export function noteStates(facts: ModelFact[]) {
  const last = new Map<number, ModelFact>();
  for (const f of facts) if (f.action !== 'commented') last.set(f.note, f);
  return [...last.values()]
    .filter((f) => f.action !== 'hidden')
    .map((f) => ({ note: f.note, open: f.action !== 'closed', openedDate: f.openedDate, country: f.country, opener: f.openedUserId }));
}

/** Open notes opened more than `days` days before today (UTC). */
export function modelBacklog(facts: ModelFact[], days: number, owner: (s: ReturnType<typeof noteStates>[number]) => boolean) {
  const today = dayNumber(todayUtc());
  return noteStates(facts).filter((s) => s.open && owner(s) && today - dayNumber(s.openedDate) > days).length;
}

/** 371 digits ending today: 0, or min(9, ceil(log2(n + 1))) for n actions that day. */
export function modelLastYearActivity(facts: ModelFact[]): string {
  const perDay = new Map<string, number>();
  for (const f of facts) perDay.set(f.actionDate, (perDay.get(f.actionDate) ?? 0) + 1);
  const today = dayNumber(todayUtc());
  return Array.from({ length: 371 }, (_, i) => {
    const day = new Date((today - 370 + i) * 86_400_000).toISOString().slice(0, 10);
    const n = perDay.get(day) ?? 0;
    return String(n === 0 ? 0 : Math.min(9, Math.ceil(Math.log2(n + 1))));
  }).join('');
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Per-year figures of a set of facts (actions made in the year). */
export function modelYears(facts: ModelFact[]) {
  const years = [...new Set(facts.map((f) => Number(f.actionDate.slice(0, 4))))].sort();
  return years.map((year) => {
    const fs = facts.filter((f) => f.actionDate.startsWith(String(year)));
    const count = (a: Action) => fs.filter((f) => f.action === a).length;
    const withText = fs.filter((f) => f.commentLength !== null);
    const closes = fs.filter((f) => f.action === 'closed' && f.daysToResolution !== null).map((f) => f.daysToResolution!);
    const pct = (n: number) => (withText.length ? round2((100 * n) / withText.length) : null);
    const dates = fs.map((f) => f.actionDate).sort();
    return {
      year,
      opened: count('opened'),
      commented: count('commented'),
      closed: count('closed'),
      closedWithComment: fs.filter((f) => f.action === 'closed' && f.commentLength !== null).length,
      reopened: count('reopened'),
      hidden: count('hidden'),
      commentsWithText: withText.length,
      avgCommentLength: withText.length ? round2(withText.reduce((a, f) => a + f.commentLength!, 0) / withText.length) : null,
      commentsWithUrlPct: pct(withText.filter((f) => f.hasUrl).length),
      commentsWithMentionPct: pct(withText.filter((f) => f.hasMention).length),
      resolvedCloses: closes.length,
      avgDaysToResolution: closes.length ? round2(closes.reduce((a, b) => a + b, 0) / closes.length) : null,
      medianDaysToResolution: median(closes),
      applicationsUsed: new Set(fs.filter((f) => f.action === 'opened' && f.application).map((f) => f.application)).size,
      firstActionDate: dates[0] ?? null,
      lastActionDate: dates.at(-1) ?? null,
    };
  });
}

/** Continuous percentile (p from 0 to 100) of the values, rounded to 2 decimals as the API does. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (p / 100) * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const exact = sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
  // The API rounds interpolated days to 2 decimals (DAYS_DECIMALS).
  return Math.round(exact * 100) / 100;
}

/** Start (ISO) of the UTC bucket of an instant, computed from its ISO text. */
export function bucketStart(at: string, groupBy: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR'): string {
  switch (groupBy) {
    case 'HOUR':
      return `${at.slice(0, 13)}:00:00.000Z`;
    case 'DAY':
      return `${at.slice(0, 10)}T00:00:00.000Z`;
    case 'MONTH':
      return `${at.slice(0, 7)}-01T00:00:00.000Z`;
    case 'YEAR':
      return `${at.slice(0, 4)}-01-01T00:00:00.000Z`;
    case 'WEEK': {
      const day = new Date(`${at.slice(0, 10)}T00:00:00Z`);
      const sinceMonday = (day.getUTCDay() + 6) % 7;
      return new Date(day.getTime() - sinceMonday * 86_400_000).toISOString();
    }
  }
}

/**
 * A ranking: values by key, largest first (smallest with 'ASC'), ties by key in code-point
 * order; zero values are left out unless keepZero (averages), null ones always.
 */
export function ranking<T>(
  items: T[],
  keyOf: (item: T) => string | null,
  valueOf: (group: T[]) => number | null,
  limit = 10,
  keepZero = false,
  direction: 'ASC' | 'DESC' = 'DESC',
) {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== null) groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const sign = direction === 'ASC' ? 1 : -1;
  return [...groups]
    .map(([key, group]) => ({ key, value: valueOf(group) }))
    .filter((e): e is { key: string; value: number } => e.value !== null && (keepZero || e.value > 0))
    .sort((a, b) => sign * (a.value - b.value) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, limit)
    .map((e, i) => ({ rank: i + 1, ...e }));
}
