// The HTTP exports: GeoJSON validated by a GeoJSON parser and checked against the database
// (coordinates in [longitude, latitude] order, properties), CSV parsed by an RFC 4180 parser,
// filters equal to the GraphQL queries' answers, exports longer than a page, limits with their
// continuation, clear refusals, and the rate limit; then the real OSM notes.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { check } from '@placemarkio/check-geojson';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_COLUMNS, NOTE_COLUMNS } from '../src/http/export-formats.ts';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase, type TestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { loadDump, loadNotes } from './helpers/read-api.ts';
import { graphql, startTestServer } from './helpers/server.ts';

const TRICKY: FixtureNote[] = [
  { id: 7001, lat: -33.87, lon: 151.21, comments: [
    { action: 'opened', at: '2024-08-01T10:00:00Z', uid: 9, user: 'quote"r', text: 'Comma, "quotes" and\r\nCRLF and\nLF' },
    { action: 'commented', at: '2024-08-02T10:00:00Z', text: '=SUM(A1) ✓ 日本語' },
  ] },
];

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: string;
}

/** GET with node:http, which exposes trailers. */
function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, trailers: res.trailers, body }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

type Collection = FeatureCollection<Point | null> & { truncated: boolean; next?: string; freshness: { position: number } };

async function geojson(url: string): Promise<Collection> {
  const answer = await get(url);
  expect(answer.status, answer.body).toBe(200);
  check(answer.body); // throws on anything that is not GeoJSON
  return JSON.parse(answer.body) as Collection;
}

/** The notes of the database as the export should show them. */
async function notesInDatabase(db: TestDatabase) {
  const { rows } = await db.database.pool.query(`
    SELECT n.note_id AS id, n.longitude, n.latitude, n.status::text AS status, n.created_at AS "createdAt", n.closed_at AS "closedAt",
           trim(c.iso_a2) AS "countryCode",
           (SELECT count(*)::int FROM note_comments k WHERE k.note_id = n.note_id) AS actions,
           (SELECT t.body FROM note_comments_text t WHERE t.note_id = n.note_id AND t.sequence_action = 1) AS text,
           (SELECT u.username FROM note_comments k JOIN users u ON u.user_id = k.id_user
            WHERE k.note_id = n.note_id AND k.sequence_action = 1) AS "openedBy"
    FROM notes n LEFT JOIN countries c ON c.country_id = n.id_country ORDER BY n.note_id`);
  return rows.map((r) => ({
    ...r,
    status: r.status === 'close' ? 'closed' : r.status,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  }));
}

const testDb = useTestDatabase();
let server: RunningServer;
let base: string;

beforeAll(async () => {
  await loadNotes(testDb, [...FIXTURE_NOTES, ...TRICKY]);
  server = await startTestServer(testDb, { env: { EXPORT_MAX_ROWS: '5000' } });
  base = server.url.replace('/graphql', '/export');
});
afterAll(() => server.stop());

describe('notes.geojson', () => {
  it('is a FeatureCollection of every note, [longitude, latitude] and properties as the database has them', async () => {
    const answer = await get(`${base}/notes.geojson`);
    expect(answer.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="notes-\d{4}-\d{2}-\d{2}\.geojson"$/);
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.trailers).toEqual({ 'export-truncated': 'false' });
    check(answer.body);
    const collection = JSON.parse(answer.body) as Collection;
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.truncated).toBe(false);
    expect(collection.freshness.position).toBeGreaterThan(0);
    const expected = await notesInDatabase(testDb);
    expect(collection.features).toHaveLength(expected.length);
    collection.features.forEach((feature, i) => {
      const note = expected[i]!;
      expect(feature.type).toBe('Feature');
      expect(feature.id).toBe(note.id);
      expect(feature.geometry).toEqual({ type: 'Point', coordinates: [note.longitude, note.latitude] });
      expect(feature.properties).toEqual({
        id: note.id, url: `https://www.openstreetmap.org/note/${note.id}`, status: note.status, createdAt: note.createdAt,
        closedAt: note.closedAt, countryCode: note.countryCode, openedBy: note.openedBy, actions: note.actions,
        lastActionAt: expect.any(String), text: note.text, longitude: note.longitude, latitude: note.latitude,
      });
    });
    const sydney = collection.features.find((f) => f.id === 7001)!;
    expect(sydney.geometry!.coordinates).toEqual([151.21, -33.87]);
    expect(sydney.properties).toMatchObject({ countryCode: 'AU', openedBy: 'quote"r', actions: 2, text: 'Comma, "quotes" and\r\nCRLF and\nLF' });
  });

  type NotesPage = { notes: { edges: { node: { id: number } }[] } };
  it.each([
    ['country and status', 'country=fr&status=CLOSED', { filter: { country: 'fr', status: 'CLOSED' } }],
    ['full-text search', `text=${encodeURIComponent('{"any":["missing","quotes"]}')}`, { filter: { text: { any: ['missing', 'quotes'] } } }],
    ['closing period', `closed=${encodeURIComponent('{"year":2024}')}`, { filter: { closed: { year: 2024 } } }],
    ['creation range', 'from=2024-01-01T00:00:00Z&to=2024-06-01T00:00:00Z', { from: '2024-01-01T00:00:00Z', to: '2024-06-01T00:00:00Z' }],
  ])('selects by %s exactly the notes the notes query does', async (_name, query, variables) => {
    const collection = await geojson(`${base}/notes.geojson?${query}`);
    const result = await graphql<NotesPage>(
      server.url,
      'query($filter: NoteFilter, $from: DateTime, $to: DateTime) { notes(first: 100, filter: $filter, from: $from, to: $to) { edges { node { id } } } }',
      variables,
    );
    const expected = result.data!.notes.edges.map((e) => e.node.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(collection.features.map((f) => f.id)).toEqual(expected);
  });
});

describe('facts.geojson', () => {
  it('selects what the facts query does, each at its note, with the fact as properties', async () => {
    const collection = await geojson(`${base}/facts.geojson?actions=CLOSED,REOPENED&country=DE`);
    const result = await graphql<{ facts: { edges: { node: Record<string, unknown> }[] } }>(
      server.url,
      `{ facts(first: 100, filter: { actions: [CLOSED, REOPENED], country: "DE" }) { edges { node {
         noteId sequenceAction action actionAt user { id username } daysToResolution commentLength hasUrl hasMention
         hashtags { name } application { name } applicationVersion note { latitude longitude } } } } }`,
    );
    const facts = result.data!.facts.edges.map((e) => e.node);
    expect(facts.length).toBeGreaterThan(1);
    expect(collection.features).toHaveLength(facts.length);
    const { rows: texts } = await testDb.database.pool.query('SELECT note_id, sequence_action, body FROM note_comments_text');
    collection.features.forEach((feature, i) => {
      const fact = facts[i] as { noteId: number; sequenceAction: number; action: string; actionAt: string; user: { id: number; username: string } | null;
        note: { latitude: number; longitude: number }; hashtags: { name: string }[]; application: { name: string } | null } & Record<string, unknown>;
      expect(feature.id).toBe(`${fact.noteId}:${fact.sequenceAction}`);
      expect(feature.geometry!.coordinates).toEqual([fact.note.longitude, fact.note.latitude]);
      expect(feature.properties).toEqual({
        noteId: fact.noteId, sequenceAction: fact.sequenceAction, action: fact.action.toLowerCase(), actionAt: fact.actionAt,
        countryCode: 'DE', userId: fact.user?.id ?? null, username: fact.user?.username ?? null, application: fact.application?.name ?? null,
        applicationVersion: fact.applicationVersion, daysToResolution: fact.daysToResolution, commentLength: fact.commentLength,
        hasUrl: fact.hasUrl, hasMention: fact.hasMention, hashtags: fact.hashtags.map((h) => h.name).join(' '),
        text: texts.find((t) => t.note_id === fact.noteId && t.sequence_action === fact.sequenceAction)?.body ?? null,
        longitude: fact.note.longitude, latitude: fact.note.latitude,
      });
    });
  });
});

describe('CSV', () => {
  it('writes the GeoJSON properties as RFC 4180 rows (CRLF, quoted fields) that parse back exactly', async () => {
    const answer = await get(`${base}/notes.csv`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="notes-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(answer.body.startsWith(`${NOTE_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(answer.body).toContain('"Comma, ""quotes"" and\r\nCRLF and\nLF"');
    const rows = parseCsv(answer.body, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    const features = (await geojson(`${base}/notes.geojson`)).features;
    expect(rows).toEqual(features.map((f) => Object.fromEntries(NOTE_COLUMNS.map((c) => [c, f.properties![c] === null ? '' : String(f.properties![c])]))));

    const facts = parseCsv((await get(`${base}/facts.csv?note=7001`)).body, { columns: true }) as Record<string, string>[];
    expect(facts.map((f) => [f.noteId, f.sequenceAction, f.action, f.text, f.longitude, f.latitude, f.hasUrl])).toEqual([
      ['7001', '1', 'opened', 'Comma, "quotes" and\r\nCRLF and\nLF', '151.21', '-33.87', 'false'],
      ['7001', '2', 'commented', '=SUM(A1) ✓ 日本語', '151.21', '-33.87', 'false'],
    ]);
    expect(Object.keys(facts[0]!)).toEqual([...FACT_COLUMNS]);
  });
});

describe('long exports and limits', () => {
  const many: FixtureNote[] = Array.from({ length: 2300 }, (_, i) => ({
    id: 100_000 + i,
    lat: -10 + (i % 200) / 10,
    lon: -60 + i / 100,
    comments: [{ action: 'opened', at: '2025-02-01T00:00:00Z', text: `bulk ${i}` }],
  }));

  beforeAll(async () => {
    await insertNotes(testDb.database.pool, many); // base tables are enough for notes
  });

  it('streams an export of several pages in order, without repeats', async () => {
    const collection = await geojson(`${base}/notes.geojson?from=2025-02-01T00:00:00Z&to=2025-02-02T00:00:00Z`);
    expect(collection.features.map((f) => f.id)).toEqual(many.map((n) => n.id));
    expect(collection.features.at(-1)!.geometry!.coordinates).toEqual([many.at(-1)!.lon, many.at(-1)!.lat]);
  });

  it('stops at the limit, says so, and continues from next', async () => {
    const first = await get(`${base}/notes.geojson?from=2025-02-01T00:00:00Z&limit=1500`);
    const cut = JSON.parse(first.body) as Collection;
    expect(cut.features).toHaveLength(1500);
    expect(cut.truncated).toBe(true);
    expect(cut.next).toMatch(/^\/export\/notes\.geojson\?from=.*&limit=1500&after=/);
    expect(first.trailers).toEqual({ 'export-truncated': 'true', 'export-next': cut.next });
    const rest = await geojson(server.url.replace('/graphql', cut.next!));
    expect(rest.truncated).toBe(false);
    expect([...cut.features, ...rest.features].map((f) => f.id)).toEqual(many.map((n) => n.id));
    const exact = await geojson(`${base}/notes.geojson?from=2025-02-01T00:00:00Z&limit=2300`);
    expect(exact).toMatchObject({ truncated: false });
    expect(exact.features).toHaveLength(2300);
  });
});

describe('refusals', () => {
  it.each([
    ['an unknown parameter', 'notes.geojson?colour=red', 400, 'colour', /unknown parameter "colour"; known: .*country/],
    ['a bad enum value', 'notes.csv?status=SHUT', 400, 'status', /status: Value "SHUT" does not exist in "NoteStatus" enum/],
    ['an unknown country', 'facts.geojson?country=XX', 400, 'filter.country', /unknown country code "XX"/],
    ['text that is not JSON', 'notes.geojson?text=bridge', 400, 'text', /text must be JSON/],
    ['a search without words', `notes.geojson?text=${encodeURIComponent('{"all":[]}')}`, 400, 'filter.text.all', /empty/],
    ['a bad date', 'facts.csv?from=yesterday', 400, 'from', /^from: /],
    ['from after to', 'notes.geojson?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', 400, 'from', /is after to/],
    ['a limit over EXPORT_MAX_ROWS', 'notes.geojson?limit=5001', 400, 'limit', /from 1 to 5000/],
    ['a parameter given twice', 'notes.geojson?country=FR&country=DE', 400, 'country', /given 2 times/],
    ['a cursor of another list', 'notes.geojson?after=bm9wZQ', 400, 'after', /not a cursor/],
  ])('answers %s with 400 BAD_USER_INPUT naming it', async (_name, path, status, argument, message) => {
    const answer = await get(`${base}/${path}`);
    expect(answer.status).toBe(status);
    const error = JSON.parse(answer.body).errors[0];
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(error.message).toMatch(message);
  });

  it('answers unknown exports 404 and other methods 405', async () => {
    expect((await get(`${base}/notes.kml`)).status).toBe(404);
    const posted = await fetch(`${base}/notes.csv`, { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET');
  });
});

describe('rate limit', () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startTestServer(testDb, { env: { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '2' } });
  });
  afterAll(() => limited.stop());

  it('spends the same budget as queries', async () => {
    const url = limited.url.replace('/graphql', '/export/notes.csv?limit=1');
    const query = () => fetch(limited.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    const statuses = [(await get(url)).status, (await query()).status, (await get(url)).status];
    expect(statuses).toEqual([200, 200, 429]);
  });
});

const FOLDER = process.env.OSM_NOTES_FIXTURES;

describe.skipIf(!FOLDER)('exports of real OSM notes', () => {
  const realDb = useTestDatabase();
  let realServer: RunningServer;
  beforeAll(async () => {
    await loadDump(realDb, join(FOLDER!, 'planet_notes_real.osn.xml'));
    realServer = await startTestServer(realDb);
  });
  afterAll(() => realServer.stop());

  it('writes valid GeoJSON and CSV whose values equal the database, texts included', async () => {
    const exportUrl = realServer.url.replace('/graphql', '/export');
    const collection = await geojson(`${exportUrl}/notes.geojson`);
    const expected = await notesInDatabase(realDb);
    expect(collection.features.length).toBe(expected.length);
    expect(expected.length).toBe(98);
    collection.features.forEach((feature: Feature<Point | null>, i) => {
      expect(feature.geometry!.coordinates).toEqual([expected[i]!.longitude, expected[i]!.latitude]);
      expect(feature.properties).toMatchObject({ id: expected[i]!.id, status: expected[i]!.status, text: expected[i]!.text });
    });
    const rows = parseCsv((await get(`${exportUrl}/facts.csv`)).body, { columns: true }) as Record<string, string>[];
    const { rows: facts } = await realDb.database.pool.query(`
      SELECT f.id_note, f.sequence_action, coalesce(t.body, '') AS body FROM dwh.facts f
      LEFT JOIN note_comments_text t ON t.note_id = f.id_note AND t.sequence_action = f.sequence_action
      ORDER BY f.action_at, f.id_note, f.sequence_action`);
    expect(rows.map((r) => [Number(r.noteId), Number(r.sequenceAction), r.text])).toEqual(facts.map((f) => [f.id_note, f.sequence_action, f.body]));
  });
});
