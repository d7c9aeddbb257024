// Full-text search (filter.text on notes and facts) and the closing-time filter of notes, on
// hand-written notes with known answers and on the real OSM notes; and the statement the API
// sends for a search is planned on the GIN index.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import type { FixtureNote } from './helpers/notes.ts';
import { loadNotes, readPlanetDump, loadDump } from './helpers/read-api.ts';
import { recordingDatabase, type RecordedStatement } from './helpers/recording-database.ts';
import { graphql, startTestServer } from './helpers/server.ts';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const BERLIN = { lat: 52.52, lon: 13.405 };
const alice = { uid: 1, user: 'alice' };
const bob = { uid: 2, user: 'bob' };

const NOTES: FixtureNote[] = [
  { id: 1, ...PARIS, comments: [
    { action: 'opened', at: '2024-01-10T08:00:00Z', ...alice, text: 'Pont fermé, route barrée' },
    { action: 'commented', at: '2024-01-11T08:00:00Z', text: 'Still closed bridge' },
    { action: 'closed', at: '2024-02-01T08:00:00Z', ...bob, text: 'Fixed: bridge reopened' },
  ] },
  { id: 2, ...BERLIN, comments: [{ action: 'opened', at: '2024-03-05T08:00:00Z', text: 'Brücke gesperrt wegen Bauarbeiten' }] },
  { id: 3, ...PARIS, comments: [
    { action: 'opened', at: '2024-05-01T08:00:00Z', ...alice, text: 'Missing bridge over river' },
    { action: 'closed', at: '2024-06-15T08:00:00Z', ...bob, text: 'Added the bridge' },
  ] },
  { id: 4, ...BERLIN, comments: [
    { action: 'opened', at: '2023-12-20T08:00:00Z', text: 'Die Straße heißt anders' },
    { action: 'closed', at: '2024-01-05T08:00:00Z', ...bob, text: 'renamed' },
  ] },
  { id: 5, ...PARIS, comments: [
    { action: 'opened', at: '2024-07-01T08:00:00Z', ...alice, text: 'BRIDGE and ROAD names wrong' },
    { action: 'commented', at: '2024-07-02T08:00:00Z', ...bob, text: '#survey needed' },
  ] },
];

const testDb = useTestDatabase();
let server: RunningServer;
/** Statements the server sent that search texts, as pg received them. */
let searches: RecordedStatement[];
let recorded: Database;

beforeAll(async () => {
  await loadNotes(testDb, NOTES);
  ({ database: recorded, statements: searches } = recordingDatabase(testDb.url, (text) => text.includes('plainto_tsquery')));
  server = await startTestServer(testDb, { deps: { database: recorded } });
});

afterAll(async () => {
  await server.stop();
  await recorded.close();
});

async function noteIds(filter: Record<string, unknown>): Promise<number[]> {
  const result = await graphql<{ notes: { edges: { node: { id: number } }[] } }>(
    server.url,
    'query($filter: NoteFilter) { notes(first: 100, filter: $filter) { edges { node { id } } } }',
    { filter },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.notes.edges.map((e) => e.node.id);
}

async function factKeys(filter: Record<string, unknown>): Promise<string[]> {
  const result = await graphql<{ facts: { edges: { node: { noteId: number; sequenceAction: number } }[] } }>(
    server.url,
    'query($filter: FactFilter) { facts(first: 100, filter: $filter) { edges { node { noteId sequenceAction } } } }',
    { filter },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.facts.edges.map((e) => `${e.node.noteId}:${e.node.sequenceAction}`).sort();
}

describe('notes: filter.text', () => {
  it.each([
    ['one word, any case', { all: ['Bridge'] }, [1, 3, 5]],
    ['all words in the same text', { all: ['bridge', 'closed'] }, [1]],
    ['any word', { any: ['brücke', 'straße'] }, [2, 4]],
    ['all and any together', { all: ['bridge'], any: ['missing', 'still'] }, [1, 3]],
    ['no stop words: "the" is found', { all: ['the'] }, [3]],
    ['no stemming: "bridges" is another word', { all: ['bridges'] }, []],
    ['no accent folding: "brucke" is another word', { any: ['brucke'] }, []],
    ['query operators are plain text', { all: ['closed | pont'] }, []],
    ['a hashtag word', { all: ['#survey'] }, [5]],
  ])('%s', async (_name, text, expected) => {
    expect(await noteIds({ text })).toEqual(expected);
  });

  it('combines with the other conditions', async () => {
    expect(await noteIds({ text: { all: ['bridge'] }, status: 'CLOSED' })).toEqual([1, 3]);
    expect(await noteIds({ text: { any: ['bridge', 'brücke'] }, country: 'DE' })).toEqual([2]);
  });

  it.each([
    ['neither all nor any', {}, 'filter.text'],
    ['an empty list', { all: [] }, 'filter.text.all'],
    ['a word without letters or digits', { any: ['!!!'] }, 'filter.text.any'],
    ['too many words', { all: Array.from({ length: 21 }, (_, i) => `w${i}`) }, 'filter.text.all'],
  ])('refuses %s with BAD_USER_INPUT naming the argument', async (_name, text, argument) => {
    const result = await graphql(server.url, 'query($f: NoteFilter) { notes(filter: $f) { edges { node { id } } } }', { f: { text } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });
});

describe('facts: filter.text', () => {
  it('matches the action whose own text has the words', async () => {
    expect(await factKeys({ text: { all: ['bridge'] } })).toEqual(['1:2', '1:3', '3:1', '3:2', '5:1']);
    expect(await factKeys({ text: { all: ['bridge'] }, actions: ['CLOSED'] })).toEqual(['1:3', '3:2']);
    expect(await factKeys({ text: { any: ['renamed', 'needed'] } })).toEqual(['4:2', '5:2']);
  });

  it('refuses bad words naming the argument', async () => {
    const result = await graphql(server.url, '{ facts(filter: { text: { any: ["..."] } }) { edges { node { noteId } } } }');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.text.any' });
  });
});

describe('notes: filter.closed', () => {
  it.each([
    ['a year', { year: 2024 }, [1, 3, 4]],
    ['from', { from: '2024-01-15T00:00:00Z' }, [1, 3]],
    ['a range', { from: '2024-01-01T00:00:00Z', to: '2024-02-01T08:00:00Z' }, [4]],
    ['a range ending after the close', { from: '2024-01-01T00:00:00Z', to: '2024-02-01T08:00:00.001Z' }, [1, 4]],
  ])('%s', async (_name, closed, expected) => {
    expect(await noteIds({ closed })).toEqual(expected);
  });

  it('refuses a year with a range, and from after to', async () => {
    const both = await graphql(server.url, '{ notes(filter: { closed: { year: 2024, from: "2024-01-01T00:00:00Z" } }) { edges { node { id } } } }');
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.closed.year' });
    const reversed = await graphql(
      server.url,
      '{ notes(filter: { closed: { from: "2024-02-01T00:00:00Z", to: "2024-01-01T00:00:00Z" } }) { edges { node { id } } } }',
    );
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.closed.from' });
  });
});

describe('the search index', () => {
  // The test notes are too few for the planner to prefer any index, so the statements the API
  // sent are planned again over 3,000 copies of the facts and their texts (39,000 of each, a
  // word in 0.1% of the texts), analysed, in a transaction that is rolled back. enable_seqscan
  // stays on: the planner chooses the index because it is cheaper.
  it('plans the notes and facts searches the API sends on note_comments_text_body_search_idx', async () => {
    searches.length = 0;
    await noteIds({ text: { all: ['zzyzxrare'] } });
    await factKeys({ text: { any: ['zzyzxrare', 'other'] } });
    expect(searches).toHaveLength(2);
    const client = await testDb.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`
        INSERT INTO note_comments_text (note_id, sequence_action, body)
        SELECT 1000000 + g * 100 + f.id_note, f.sequence_action,
               CASE WHEN g % 1000 = 0 THEN 'a zzyzxrare word' ELSE 'street name wrong, road closed ' || g END
        FROM dwh.facts f CROSS JOIN generate_series(1, 3000) g`);
      await client.query(`
        INSERT INTO dwh.facts
        SELECT (jsonb_populate_record(f, jsonb_build_object('fact_id', -(g * 1000 + f.fact_id), 'id_note', 1000000 + g * 100 + f.id_note))).*
        FROM dwh.facts f CROSS JOIN generate_series(1, 3000) g`);
      await client.query('ANALYZE note_comments_text');
      await client.query('ANALYZE dwh.facts');
      for (const statement of searches) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.text}`, statement.values);
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toContain('note_comments_text_body_search_idx');
        expect(plan).not.toMatch(/Seq Scan on note_comments_text/);
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

const FOLDER = process.env.OSM_NOTES_FIXTURES;

describe.skipIf(!FOLDER)('search on real OSM notes', () => {
  const realDb = useTestDatabase();
  let realServer: RunningServer;
  let real: FixtureNote[];

  beforeAll(async () => {
    const file = join(FOLDER!, 'planet_notes_real.osn.xml');
    real = await readPlanetDump(file);
    await loadDump(realDb, file);
    realServer = await startTestServer(realDb);
  });
  afterAll(() => realServer.stop());

  // Certain: the word stands alone between spaces or punctuation, outside markup. Possible: it is in the text at
  // all. The parser's word rules (URLs, hosts, hyphenated words) fall between the two.
  // Text inside <…> is read as markup (an HTML page pasted into a comment) and not indexed.
  const standsAlone = (text: string, word: string) =>
    !text.includes('<') && new RegExp(`(^|[\\s.,;:!?()"'])${word}($|[\\s.,;:!?()"'])`, 'iu').test(text);

  it.each(['the', 'road', 'note', 'no'])('finds the notes whose texts have "%s"', async (word) => {
    const result = await graphql<{ notes: { edges: { node: { id: number } }[] } }>(
      realServer.url,
      'query($f: NoteFilter) { notes(first: 100, filter: $f) { edges { node { id } } } }',
      { f: { text: { all: [word] } } },
    );
    expect(result.errors).toBeUndefined();
    const found = new Set(result.data!.notes.edges.map((e) => e.node.id));
    const certain = real.filter((n) => n.comments.some((c) => c.text && standsAlone(c.text, word))).map((n) => n.id);
    const possible = new Set(real.filter((n) => n.comments.some((c) => c.text?.toLowerCase().includes(word))).map((n) => n.id));
    expect(certain.length).toBeGreaterThan(0);
    for (const id of certain) expect(found.has(id), `note ${id}`).toBe(true);
    for (const id of found) expect(possible.has(id), `note ${id}`).toBe(true);
  });
});
