// importDump into a real database: what the file says is what is stored, re-imports change
// nothing, later files add only what is new, bzip2 works, and bulk mode replaces the
// per-statement notifications with one bulk_import_completed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../src/db/client.ts';
import { writeDump } from '../src/ingest/generator/dump-writer.ts';
import { insertGeneratedBatch } from '../src/ingest/generator/live-feed.ts';
import { importDump } from '../src/ingest/import-dump.ts';
import { statusOf, type IncomingNote } from '../src/ingest/model.ts';
import { PlanetDumpParser } from '../src/ingest/planet-parser.ts';
import { clearBaseTables, rowVersions, snapshot } from './fixtures/ingest/base-tables.ts';
import { useTestDatabase } from './helpers/database.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/ingest/${name}`, import.meta.url));
const SAMPLE = fixture('planet-sample.osn.xml');
const LATER = fixture('planet-sample-later.osn.xml');
const work = mkdtempSync(join(tmpdir(), 'notes-stream-import-'));

let listener: pg.Client;
const notifications: { channel: string; payload: string }[] = [];

beforeAll(async () => {
  listener = await connectClient(testDb.url, 'test listener');
  listener.on('notification', (n) => notifications.push({ channel: n.channel, payload: n.payload ?? '' }));
  await listener.query('LISTEN note_inserted; LISTEN bulk_import_completed');
});
afterAll(async () => {
  await listener.end();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await clearBaseTables(testDb.database.pool);
  notifications.length = 0;
});

function parse(file: string): IncomingNote[] {
  const parser = new PlanetDumpParser(file);
  parser.write(readFileSync(file, 'utf8'));
  parser.end();
  return parser.take().notes;
}

const load = (file: string, options: Partial<Parameters<typeof importDump>[0]> = {}) =>
  importDump({ pool: testDb.database.pool, file, ...options });

describe('importDump', () => {
  it('stores every note, comment, text and user of the file, numbered in document order', async () => {
    const summary = await load(SAMPLE);
    expect(summary).toMatchObject({ complete: true, notesRead: 6, commentsRead: 13, notesInserted: 6, commentsInserted: 13 });
    const notes = parse(SAMPLE);
    const stored = await snapshot(testDb.database.pool);
    expect(stored.notes.map(({ iso: _iso, ...n }) => n)).toEqual(
      notes.map((n) => ({ note_id: n.id, lat: n.lat, lon: n.lon, created_at: n.createdAt, status: statusOf(n), closed_at: n.closedAt })),
    );
    expect(stored.comments).toEqual(
      notes.flatMap((n) =>
        n.comments.map((c, i) => ({ note_id: n.id, seq: i + 1, event: c.action, created_at: c.timestamp, id_user: c.uid, body: c.text })),
      ),
    );
    expect(stored.users).toEqual([
      { user_id: 1001, username: 'alice' },
      { user_id: 1002, username: 'bob' },
      { user_id: 1003, username: 'carol' },
      { user_id: 1004, username: 'dave' },
      { user_id: 1005, username: 'eve & co' },
    ]);
    expect(stored.events).toBe(13);
  });

  it('stores empty texts as empty strings and anonymous comments without a user', async () => {
    await load(SAMPLE);
    const { comments } = await snapshot(testDb.database.pool);
    expect(comments.find((c) => c.note_id === 101 && c.seq === 4)).toMatchObject({ event: 'reopened', body: '' });
    expect(comments.find((c) => c.note_id === 101 && c.seq === 2)).toMatchObject({ id_user: null, body: 'Still there yesterday?' });
  });

  it('stores texts and names with quotes, backslashes, braces, commas and NULL-like words unchanged', async () => {
    const awkward = ['say "hi"', 'C:\\path\\', '{a,b}', 'NULL', ' padded ', '', 'line\nbreak', '\\"'];
    const comments = awkward.map((text, i) => ({
      action: i === 0 ? ('opened' as const) : ('commented' as const),
      timestamp: `2024-05-01T10:00:0${i}Z`,
      uid: 7000 + i,
      user: text || 'x',
      text,
    }));
    await insertGeneratedBatch(testDb.database.pool, [
      { id: 900, lat: 0, lon: 0, createdAt: '2024-05-01T10:00:00Z', closedAt: null, status: null, comments },
    ]);
    const stored = await snapshot(testDb.database.pool);
    expect(stored.comments.map((c) => c.body)).toEqual(awkward);
    expect(stored.users.map((u) => u.username)).toEqual(awkward.map((t) => t || 'x'));
  });

  it('puts each note in the country of its position, and the one at sea in the unknown country', async () => {
    await load(SAMPLE);
    const { notes } = await snapshot(testDb.database.pool);
    expect(notes.map((n) => [n.note_id, n.iso])).toEqual([
      [101, 'DE'], [102, 'FR'], [103, 'ZZ'], [104, 'JP'], [105, 'US'], [106, 'CO'],
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    await load(SAMPLE);
    const before = await snapshot(testDb.database.pool);
    const versions = await rowVersions(testDb.database.pool);
    const again = await load(SAMPLE);
    expect(again).toMatchObject({ complete: true, notesInserted: 0, notesUpdated: 0, commentsInserted: 0 });
    expect(await snapshot(testDb.database.pool)).toEqual(before);
    expect(await rowVersions(testDb.database.pool)).toEqual(versions);
  });

  it('adds only the new comments of known notes, continuing their numbering, and applies renames', async () => {
    await load(SAMPLE);
    const summary = await load(LATER);
    expect(summary).toMatchObject({ notesInserted: 1, notesUpdated: 2, commentsInserted: 4 });
    const { notes, comments, users } = await snapshot(testDb.database.pool);
    expect(comments.filter((c) => c.note_id === 104).map((c) => [c.seq, c.event, c.id_user])).toEqual([
      [1, 'opened', 1004], [2, 'closed', 1004], [3, 'reopened', 1001], [4, 'commented', null],
    ]);
    expect(comments.filter((c) => c.note_id === 106).map((c) => [c.seq, c.event])).toEqual([[1, 'opened'], [2, 'closed']]);
    expect(notes.find((n) => n.note_id === 104)).toMatchObject({ status: 'open', closed_at: null });
    expect(notes.find((n) => n.note_id === 106)).toMatchObject({ status: 'close', closed_at: '2024-02-10T09:00:00Z' });
    expect(notes.find((n) => n.note_id === 107)).toMatchObject({ iso: 'NL' });
    expect(users.find((u) => u.user_id === 1001)!.username).toBe('alice_renamed');
  });

  it('does not roll a note back when an older file comes after a newer one', async () => {
    await load(LATER);
    await load(SAMPLE);
    const { notes, comments } = await snapshot(testDb.database.pool);
    expect(notes.find((n) => n.note_id === 106)).toMatchObject({ status: 'close' });
    expect(notes.find((n) => n.note_id === 104)).toMatchObject({ status: 'open' });
    expect(comments.filter((c) => c.note_id === 104)).toHaveLength(4);
  });

  it('reads bzip2 files like plain ones', async () => {
    const summary = await load(fixture('planet-sample.osn.xml.bz2'));
    expect(summary).toMatchObject({ complete: true, compressed: true, notesInserted: 6, commentsInserted: 13 });
    const fromBz2 = await snapshot(testDb.database.pool);
    await clearBaseTables(testDb.database.pool);
    await load(SAMPLE);
    expect(await snapshot(testDb.database.pool)).toEqual(fromBz2);
  });

  it('names a corrupt bzip2 file and stores nothing', async () => {
    const file = join(work, 'corrupt.osn.xml.bz2');
    writeFileSync(file, readFileSync(fixture('planet-sample.osn.xml.bz2')).subarray(0, 300));
    const summary = await load(file);
    expect(summary.complete).toBe(false);
    expect(summary.error?.message).toMatch(/^.*corrupt\.osn\.xml\.bz2: not valid bzip2 data \(.+\)$/);
    expect((await snapshot(testDb.database.pool)).notes).toEqual([]);
  });

  it('notifies note_inserted for a small import and never bulk_import_completed', async () => {
    await load(SAMPLE);
    await listener.query(`SELECT pg_notify('note_inserted', '{"probe":1}')`);
    await eventually(() => notifications.some((n) => n.payload === '{"probe":1}'));
    expect(notifications.filter((n) => n.channel === 'note_inserted').length).toBeGreaterThan(1);
    expect(notifications.filter((n) => n.channel === 'bulk_import_completed')).toEqual([]);
  });

  it('in bulk mode sends one bulk_import_completed naming the outbox rows, and no note_inserted', async () => {
    const file = join(work, 'bulk.osn.xml');
    const written = await writeDump(file, { comments: 1_500, seed: 7 });
    const progress: number[] = [];
    const summary = await load(file, { batchNotes: 150, progressIntervalMs: 1, onProgress: (p) => progress.push(p.notesRead) });
    expect(summary).toMatchObject({ complete: true, bulk: true, notesInserted: written.notes, commentsInserted: 1_500 });
    expect(summary.batches).toBeGreaterThan(3);
    const bulk = await eventually(() => notifications.find((n) => n.channel === 'bulk_import_completed'));
    const { rows } = await testDb.database.pool.query<{ first: number; last: number; n: number }>(
      'SELECT min(id)::int AS first, max(id)::int AS last, count(*)::int AS n FROM streaming.events',
    );
    expect(rows[0]!.n).toBe(1_500);
    expect(JSON.parse(bulk.payload)).toEqual({
      file: 'bulk.osn.xml',
      notes: written.notes,
      comments: 1_500,
      first_event_id: rows[0]!.first,
      last_event_id: rows[0]!.last,
      complete: true,
    });
    await listener.query(`SELECT pg_notify('note_inserted', '{"probe":2}')`);
    await eventually(() => notifications.some((n) => n.payload === '{"probe":2}'));
    expect(notifications.filter((n) => n.channel === 'note_inserted' && n.payload !== '{"probe":2}')).toEqual([]);
    expect(notifications.filter((n) => n.channel === 'bulk_import_completed')).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('keeps the committed batches of a long import that hits bad input, and says where it stopped', async () => {
    const good = readFileSync(SAMPLE, 'utf8').replace('</osm-notes>', '');
    const file = join(work, 'stops.osn.xml');
    writeFileSync(file, `${good}<note id="108" lat="1" lon="1" created_at="yesterday"></note>\n</osm-notes>\n`);
    const summary = await load(file, { batchNotes: 2, connections: 1 });
    expect(summary.complete).toBe(false);
    expect(summary.error?.message).toMatch(/stops\.osn\.xml:\d+:\d+: note 108: created_at "yesterday" is not an ISO 8601 UTC timestamp/);
    expect(summary.lastStored).toMatchObject({ noteId: 106 });
    const { notes } = await snapshot(testDb.database.pool);
    expect(notes.map((n) => n.note_id)).toEqual([101, 102, 103, 104, 105, 106]);
  });

  it('leaves the database as before when a file smaller than a batch is bad', async () => {
    const file = join(work, 'small-bad.osn.xml');
    writeFileSync(file, readFileSync(SAMPLE, 'utf8').replace('action="hidden"', 'action="deleted"'));
    const summary = await load(file);
    expect(summary).toMatchObject({ complete: false, batches: 0 });
    expect(summary.error?.message).toMatch(/small-bad\.osn\.xml:18:\d+: note 102: unknown action "deleted"/);
    expect(await snapshot(testDb.database.pool)).toEqual({ notes: [], comments: [], users: [], events: 0 });
  });
});
