// The synthetic feed: deterministic, plausible note lives, real app signatures, positions on land
// in many countries (and some at sea); its dumps import back unchanged; the live feed and the
// demo seed write through the same path as real data, so the outbox notifies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../src/db/client.ts';
import { countryCodeAt } from '../src/ingest/country-lookup.ts';
import { DEMO_NOTES, seedDemoData, startDemoFeed } from '../src/ingest/demo.ts';
import { writeDump } from '../src/ingest/generator/dump-writer.ts';
import { startLiveFeed } from '../src/ingest/generator/live-feed.ts';
import { JITTER_DEGREES, PLACES } from '../src/ingest/generator/places.ts';
import { Random } from '../src/ingest/generator/random.ts';
import { generateNotes } from '../src/ingest/generator/synthetic-notes.ts';
import { importDump } from '../src/ingest/import-dump.ts';
import { statusOf, type IncomingNote } from '../src/ingest/model.ts';
import { clearBaseTables, snapshot } from './fixtures/ingest/base-tables.ts';
import { useTestDatabase } from './helpers/database.ts';
import { testConfig } from './helpers/server.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
const silent = pino({ level: 'silent' });
const work = mkdtempSync(join(tmpdir(), 'notes-stream-generate-'));
const TO = new Date('2025-06-01T00:00:00Z');
const sample = [...generateNotes({ seed: 11, notes: 3_000, to: TO })];
const texts = sample.flatMap((n) => n.comments.map((c) => c.text));

let listener: pg.Client;
const inserted: string[] = [];

beforeAll(async () => {
  listener = await connectClient(testDb.url, 'test listener');
  listener.on('notification', (n) => inserted.push(n.payload ?? ''));
  await listener.query('LISTEN note_inserted');
});
afterAll(async () => {
  await listener.end();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await clearBaseTables(testDb.database.pool);
  inserted.length = 0;
});

/** The states a note goes through; throws on an impossible step. */
function replay(note: IncomingNote): string {
  let state = 'none';
  for (const { action } of note.comments) {
    if (action === 'opened' && state === 'none') state = 'open';
    else if (action === 'commented' && state !== 'none' && state !== 'hidden') continue;
    else if (action === 'closed' && state === 'open') state = 'close';
    else if (action === 'reopened' && state === 'close') state = 'open';
    else if (action === 'hidden' && state !== 'none') state = 'hidden';
    else throw new Error(`note ${note.id}: ${action} after ${state}`);
  }
  return state;
}

describe('generateNotes', () => {
  it('is deterministic for a seed', () => {
    expect([...generateNotes({ seed: 11, notes: 3_000, to: TO })]).toEqual(sample);
    expect([...generateNotes({ seed: 12, notes: 50, to: TO })]).not.toEqual(sample.slice(0, 50));
  });

  it('gives notes plausible lives: opened first, valid transitions, time moving forward, nothing after `to`', () => {
    const problems: string[] = [];
    for (const note of sample) {
      const times = note.comments.map((c) => c.timestamp);
      if (statusOf(note) !== replay(note)) problems.push(`note ${note.id}: status ${statusOf(note)}`);
      if (times.join() !== [...times].sort().join()) problems.push(`note ${note.id}: time goes back`);
      if (times.some((t) => t >= TO.toISOString())) problems.push(`note ${note.id}: action after \`to\``);
      if (note.createdAt !== times[0]) problems.push(`note ${note.id}: created_at is not its opening`);
    }
    for (let i = 1; i < sample.length; i++) {
      const [a, b] = [sample[i - 1]!, sample[i]!];
      if (b.id !== a.id + 1 || b.createdAt < a.createdAt) problems.push(`notes ${a.id}, ${b.id}: out of order`);
    }
    expect(problems).toEqual([]);
    const actions = new Set(sample.flatMap((n) => n.comments.map((c) => c.action)));
    expect([...actions].sort()).toEqual(['closed', 'commented', 'hidden', 'opened', 'reopened']);
    const anonymous = sample.filter((n) => n.comments[0]!.uid === null).length / sample.length;
    expect(anonymous).toBeGreaterThan(0.05);
    expect(anonymous).toBeLessThan(0.25);
  });

  it('stops at exactly the number of comments asked for', () => {
    const notes = [...generateNotes({ seed: 3, comments: 1_001, to: TO })];
    expect(notes.reduce((n, note) => n + note.comments.length, 0)).toBe(1_001);
  });

  it('signs texts like the real apps, with hashtags, mentions, links and several lines', () => {
    for (const signature of [
      /via StreetComplete \d+\.\d/, /#mapsme/, /#organicmaps (android|ios) 2024\.\d\d\.\d\d/, /#OsmAnd/, /#EveryDoor/,
      /#MapComplete #notes/, /^onosm\.org/, /\(with iD\)/, /JOSM/, /Vespucci \d+\.\d/, /Go Map!!/,
    ]) {
      expect(texts.some((t) => signature.test(t)), String(signature)).toBe(true);
    }
    expect(texts.filter((t) => /(^|\s)#\w+/.test(t)).length).toBeGreaterThan(100);
    expect(texts.some((t) => /@\w/.test(t))).toBe(true);
    expect(texts.some((t) => /https?:\/\//.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('\n'))).toBe(true);
    expect(texts.some((t) => t === '')).toBe(true);
  });
});

describe('places', () => {
  it('keep every jittered position in its country (or at sea), in more than 20 countries', () => {
    const random = new Random(99);
    const misplaced: string[] = [];
    for (const place of PLACES) {
      for (let i = 0; i < 40; i++) {
        const lon = place.lon + (random.next() * 2 - 1) * JITTER_DEGREES;
        const lat = place.lat + (random.next() * 2 - 1) * JITTER_DEGREES;
        const found = countryCodeAt(lon, lat);
        if (found !== place.country) misplaced.push(`${place.name} (${lon}, ${lat}) is in ${found}`);
      }
    }
    expect(misplaced).toEqual([]);
    expect(new Set(PLACES.map((p) => p.country).filter((c) => c !== 'ZZ')).size).toBeGreaterThan(20);
    expect(new Set(sample.map((n) => countryCodeAt(n.lon, n.lat))).size).toBeGreaterThan(20);
  });
});

describe('writeDump', () => {
  it('writes a planet dump that imports back to exactly the generated notes', async () => {
    const file = join(work, 'generated.osn.xml');
    const written = await writeDump(file, { seed: 5, comments: 400, to: TO });
    const summary = await importDump({ pool: testDb.database.pool, file });
    expect(summary).toMatchObject({ complete: true, notesInserted: written.notes, commentsInserted: 400 });
    const notes = [...generateNotes({ seed: 5, comments: 400, to: TO })];
    const stored = await snapshot(testDb.database.pool);
    expect(stored.comments).toEqual(
      notes.flatMap((n) => n.comments.map((c, i) => ({ note_id: n.id, seq: i + 1, event: c.action, created_at: c.timestamp, id_user: c.uid, body: c.text }))),
    );
    expect(stored.notes.map((n) => [n.note_id, n.status, n.closed_at])).toEqual(notes.map((n) => [n.id, statusOf(n), n.closedAt]));
  });
});

describe('generate --dump beside the demo data (issue 22, item 7)', () => {
  it("imports as new notes and users: the demo data's notes, comments and names stay as they were", async () => {
    await seedDemoData(testDb.database.pool, silent);
    const feed = startDemoFeed(testDb.database.pool, { ratePerSecond: 50, log: silent });
    await eventually(async () => (await snapshot(testDb.database.pool)).comments.length > DEMO_NOTES * 2 + 20, { what: 'feed comments' });
    await feed.stop();
    const before = await snapshot(testDb.database.pool);
    const file = join(work, 'beside-demo.osn.xml');
    // What `npm run cli -- generate --dump FILE` writes: the command itself, with its defaults.
    const { run } = await import('../src/commands/generate.ts');
    const stdout = process.stdout.write;
    process.stdout.write = () => true;
    try {
      expect(await run({ config: testConfig(), log: silent, args: ['--dump', file, '--comments', '300'] })).toBe(0);
    } finally {
      process.stdout.write = stdout;
    }
    const summary = await importDump({ pool: testDb.database.pool, file });
    const after = await snapshot(testDb.database.pool);
    expect(summary).toMatchObject({ complete: true, notesUpdated: 0 });
    expect(after.notes.filter((n) => before.notes.some((b) => b.note_id === n.note_id))).toEqual(before.notes);
    expect(after.comments.filter((c) => before.notes.some((b) => b.note_id === c.note_id))).toEqual(before.comments);
    expect(after.users.filter((u) => before.users.some((b) => b.user_id === u.user_id))).toEqual(before.users);
    expect(after.notes.length).toBe(before.notes.length + summary.notesInserted);
  });
});

describe('live feed and demo data', () => {
  it('writes actions at the requested rate through the outbox, numbering each note without gaps', async () => {
    const stop = new AbortController();
    const feed = startLiveFeed(testDb.database.pool, { ratePerSecond: 100, signal: stop.signal, seed: 4, log: silent });
    await eventually(async () => (await snapshot(testDb.database.pool)).comments.length >= 40, { what: '40 comments' });
    stop.abort();
    const stats = await feed;
    const { notes, comments, events } = await snapshot(testDb.database.pool);
    expect(stats.failures).toBe(0);
    expect(comments).toHaveLength(stats.actions);
    expect(events).toBe(stats.actions);
    expect(notes.length).toBe(stats.notesOpened);
    for (const note of notes) {
      const own = comments.filter((c) => c.note_id === note.note_id);
      expect(own.map((c) => c.seq)).toEqual(own.map((_, i) => i + 1));
      expect(own[0]!.event).toBe('opened');
    }
    await eventually(() => inserted.length > 0, { what: 'note_inserted' });
  });

  it('seeds the demo data once, into an empty notes table only', async () => {
    const first = await seedDemoData(testDb.database.pool, silent);
    expect(first).toMatchObject({ seeded: true, notes: DEMO_NOTES });
    const { notes, comments } = await snapshot(testDb.database.pool);
    expect(notes).toHaveLength(DEMO_NOTES);
    expect(comments.length).toBe(first.comments);
    const yearAgo = new Date(Date.now() - 366 * 86_400_000).toISOString();
    expect(notes.every((n) => n.created_at > yearAgo)).toBe(true);
    expect(await seedDemoData(testDb.database.pool, silent)).toEqual({ seeded: false, notes: 0, comments: 0 });
  });

  it('runs the demo feed on top of the demo data until stopped', async () => {
    await seedDemoData(testDb.database.pool, silent);
    const before = (await snapshot(testDb.database.pool)).comments.length;
    const feed = startDemoFeed(testDb.database.pool, { ratePerSecond: 50, log: silent });
    await eventually(async () => (await snapshot(testDb.database.pool)).comments.length >= before + 10, { what: 'demo feed comments' });
    const stopping = Date.now();
    await feed.stop();
    expect(Date.now() - stopping).toBeLessThan(1_500);
  });
});
