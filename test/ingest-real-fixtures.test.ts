// Real OSM notes (../shared/fixtures/osm-notes, named by OSM_NOTES_FIXTURES; skipped without
// it): the import and the poller store exactly what a direct reading of the files says.
// The direct reading below is deliberately independent of src/ingest: plain regular
// expressions over the text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollOnce } from '../src/ingest/api-poller.ts';
import { importDump } from '../src/ingest/import-dump.ts';
import { FakeApi } from './fixtures/ingest/api-server.ts';
import { clearBaseTables, snapshot, type Snapshot } from './fixtures/ingest/base-tables.ts';
import { useTestDatabase } from './helpers/database.ts';

const folder = process.env.OSM_NOTES_FIXTURES;

const decode = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
const attributes = (s: string) => Object.fromEntries([...s.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));
const element = (s: string, name: string) => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(s);
  return m ? decode(m[1]!) : undefined;
};
const apiTime = (s: string) => s.replace(' UTC', 'Z').replace(' ', 'T');

interface Expected {
  notes: { note_id: number; lat: number; lon: number; created_at: string; status: string; closed_at: string | null }[];
  comments: Omit<Snapshot['comments'][number], never>[];
  users: Map<number, string>;
}

function statusFrom(actions: string[], closedAt: string | null): string {
  for (const action of [...actions].reverse()) {
    if (action === 'hidden') return 'hidden';
    if (action === 'closed') return 'close';
    if (action === 'opened' || action === 'reopened') return 'open';
  }
  return closedAt ? 'close' : 'open';
}

function readPlanet(xml: string): Expected {
  const expected: Expected = { notes: [], comments: [], users: new Map() };
  for (const note of xml.matchAll(/<note ([^>]*)>([\s\S]*?)<\/note>/g)) {
    const a = attributes(note[1]!);
    const comments = [...note[2]!.matchAll(/<comment ([^>]*?)(?:\/>|>([\s\S]*?)<\/comment>)/g)];
    comments.forEach((c, i) => {
      const ca = attributes(c[1]!);
      const uid = ca.uid ? Number(ca.uid) : null;
      if (uid !== null) expected.users.set(uid, ca.user!);
      expected.comments.push({ note_id: Number(a.id), seq: i + 1, event: ca.action!, created_at: ca.timestamp!, id_user: uid, body: decode(c[2] ?? '') });
    });
    const closedAt = a.closed_at ?? null;
    expected.notes.push({
      note_id: Number(a.id), lat: Number(a.lat), lon: Number(a.lon), created_at: a.created_at!,
      status: statusFrom(comments.map((c) => attributes(c[1]!).action!), closedAt), closed_at: closedAt,
    });
  }
  return expected;
}

function readApi(xml: string): Expected {
  const expected: Expected = { notes: [], comments: [], users: new Map() };
  for (const note of xml.matchAll(/<note ([^>]*)>([\s\S]*?)<\/note>/g)) {
    const a = attributes(note[1]!);
    const body = note[2]!;
    const id = Number(element(body, 'id'));
    [...body.matchAll(/<comment>([\s\S]*?)<\/comment>/g)].forEach((c, i) => {
      const uid = element(c[1]!, 'uid');
      if (uid) expected.users.set(Number(uid), element(c[1]!, 'user')!);
      expected.comments.push({
        note_id: id, seq: i + 1, event: element(c[1]!, 'action')!, created_at: apiTime(element(c[1]!, 'date')!),
        id_user: uid ? Number(uid) : null, body: element(c[1]!, 'text') ?? '',
      });
    });
    const closed = element(body, 'date_closed');
    expected.notes.push({
      note_id: id, lat: Number(a.lat), lon: Number(a.lon), created_at: apiTime(element(body, 'date_created')!),
      status: element(body, 'status') === 'closed' ? 'close' : element(body, 'status')!, closed_at: closed ? apiTime(closed) : null,
    });
  }
  return expected;
}

function expectStored(stored: Snapshot, expected: Expected) {
  const byId = <T extends { note_id: number }>(rows: T[]) => [...rows].sort((x, y) => x.note_id - y.note_id);
  expect(stored.notes.map(({ iso: _iso, ...n }) => n)).toEqual(byId(expected.notes));
  const order = (c: { note_id: number; seq: number }, d: { note_id: number; seq: number }) => c.note_id - d.note_id || c.seq - d.seq;
  expect(stored.comments).toEqual([...expected.comments].sort(order));
  expect(stored.users).toEqual([...expected.users].sort((x, y) => x[0] - y[0]).map(([user_id, username]) => ({ user_id, username })));
}

describe.skipIf(!folder)('real OSM notes fixtures', () => {
  const testDb = useTestDatabase();
  const path = (name: string) => join(folder!, name);
  let api: FakeApi;

  beforeAll(async () => {
    api = await FakeApi.start();
  });
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(async () => {
    await clearBaseTables(testDb.database.pool);
  });

  it('imports planet_notes_real.osn.xml: 98 notes and 397 comments, as the file says', async () => {
    const file = path('planet_notes_real.osn.xml');
    const summary = await importDump({ pool: testDb.database.pool, file });
    expect(summary).toMatchObject({ complete: true, notesInserted: 98, commentsInserted: 397 });
    const expected = readPlanet(readFileSync(file, 'utf8'));
    expect(expected.notes).toHaveLength(98);
    expect(expected.comments).toHaveLength(397);
    expectStored(await snapshot(testDb.database.pool), expected);
    const again = await importDump({ pool: testDb.database.pool, file });
    expect(again).toMatchObject({ notesInserted: 0, notesUpdated: 0, commentsInserted: 0 });
  });

  for (const [name, notes, comments] of [['api-20-notes.xml', 20, 34], ['api-5-notes.xml', 5, 9], ['api-0-notes.xml', 0, 0]] as const) {
    it(`polls ${name}: ${notes} notes and ${comments} comments, and nothing more when polled again`, async () => {
      const xml = readFileSync(path(name), 'utf8');
      api.queue = [{ body: xml }, { body: xml }];
      const poll = () => pollOnce({ pool: testDb.database.pool, apiUrl: api.url, since: '2025-01-01T00:00:00Z' });
      expect(await poll()).toMatchObject({ ok: true, notes, notesInserted: notes, commentsInserted: comments });
      const expected = readApi(xml);
      expect(expected.comments).toHaveLength(comments);
      const stored = await snapshot(testDb.database.pool);
      expectStored(stored, expected);
      expect(await poll()).toMatchObject({ ok: true, notesInserted: 0, notesUpdated: 0, commentsInserted: 0 });
      expect(await snapshot(testDb.database.pool)).toEqual(stored);
    });
  }
});
