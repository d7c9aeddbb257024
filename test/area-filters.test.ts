// Area and followed-note filters on real OSM notes (OSM_NOTES_FIXTURES): live over a WebSocket,
// replayed from a cursor (the stream read of the database), and in the notes and facts queries.
// The four notes of the fixtures in New York City are in the Bronx; a triangle around three of
// them leaves the fourth out although it lies inside the triangle's bounding box, so the
// polygon test cannot pass on the box pre-check alone.
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDump } from '../src/ingest/import-dump.ts';
import { toStreamFilter } from '../src/schema/events.ts';
import { decodeStreamCursor } from '../src/streaming/realtime/cursor.ts';
import { loadEvents, matches } from '../src/streaming/realtime/stream-events.ts';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import type { FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { readPlanetDump } from './helpers/read-api.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { collect, wsClient, type Collected } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const FOLDER = process.env.OSM_NOTES_FIXTURES;

const NEW_YORK = { south: 40.7, west: -74.05, north: 40.92, east: -73.75 };
const BRONX_TRIANGLE = {
  type: 'Polygon',
  coordinates: [
    [
      [-73.93, 40.8],
      [-73.87, 40.8],
      [-73.93, 40.9],
      [-73.93, 40.8],
    ],
  ],
};
const IN_TRIANGLE = [153166, 153187, 153214];
const IN_BOX_OF_TRIANGLE_ONLY = 372068;

type Event = { noteEvent: { noteId: number; sequenceAction: number } };
const EVENT_QUERY = `subscription($filter: EventFilter, $after: String) { noteEvent(filter: $filter, after: $after) { noteId sequenceAction } }`;

describe.skipIf(!FOLDER)('area and note filters on real OSM notes', () => {
  const testDb = useTestDatabase();
  let processor: Processor;
  let server: RunningServer & { realtime?: Realtime };
  let notes: FixtureNote[];
  let start: string;
  const clients: Client[] = [];
  const live: Record<'box' | 'polygon', Collected<Event>> = {} as never;

  const actionsOf = (ids: number[]) =>
    notes.filter((n) => ids.includes(n.id)).flatMap((n) => n.comments.map((_, i) => `${n.id}:${i + 1}`)).sort();
  const received = (c: Collected<Event>) => c.items.map((e) => `${e.noteEvent.noteId}:${e.noteEvent.sequenceAction}`).sort();
  const inNewYork = () =>
    notes
      .filter((n) => n.lat >= NEW_YORK.south && n.lat <= NEW_YORK.north && n.lon >= NEW_YORK.west && n.lon <= NEW_YORK.east)
      .map((n) => n.id);
  function subscribe(variables: Record<string, unknown>): Collected<Event> {
    const client = wsClient(server.url);
    clients.push(client);
    return collect<Event>(client, EVENT_QUERY, variables);
  }
  async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await graphql<T>(server.url, text, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  beforeAll(async () => {
    notes = await readPlanetDump(join(FOLDER!, 'planet_notes_real.osn.xml'));
    processor = await startProcessor(testDb);
    server = await startTestServer(testDb, { realtime: true });
    start = (await query<{ streamCursor: string }>('{ streamCursor }')).streamCursor;
    live.box = subscribe({ filter: { bbox: NEW_YORK } });
    live.polygon = subscribe({ filter: { polygon: BRONX_TRIANGLE } });
    await eventually(() => server.realtime!.stream.liveSubscribers >= 2, { what: 'subscribers to be live' });
    const summary = await importDump({ pool: testDb.database.pool, file: join(FOLDER!, 'planet_notes_real.osn.xml') });
    expect(summary.complete).toBe(true);
    await waitForDrained(testDb.database.pool);
    await server.realtime!.stream.sync();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await server?.stop();
    await processor?.stop();
  });

  it('the fixtures hold four notes in New York, one of them outside the triangle but inside its bounds', () => {
    expect(new Set(inNewYork())).toEqual(new Set([...IN_TRIANGLE, IN_BOX_OF_TRIANGLE_ONLY]));
    const outside = notes.find((n) => n.id === IN_BOX_OF_TRIANGLE_ONLY)!;
    expect(outside.lon).toBeGreaterThan(-73.93);
    expect(outside.lat).toBeLessThan(40.9);
  });

  it('live subscribers get exactly the actions on notes inside the box and the polygon', async () => {
    const box = actionsOf(inNewYork());
    const polygon = actionsOf(IN_TRIANGLE);
    await eventually(() => live.box.items.length >= box.length && live.polygon.items.length >= polygon.length, {
      what: 'the area events',
    });
    await server.realtime!.stream.sync();
    expect(received(live.box)).toEqual(box);
    expect(received(live.polygon)).toEqual(polygon);
    expect(live.box.errors).toEqual([]);
  });

  it('a subscriber resuming from a cursor before the import gets the same events, from memory and from the database', async () => {
    // The hub's ring serves this resume; resumes older than the ring read the database through
    // loadEvents, checked here directly with the same filters.
    const resumed = subscribe({ filter: { polygon: BRONX_TRIANGLE }, after: start });
    await eventually(() => resumed.items.length >= actionsOf(IN_TRIANGLE).length, { what: 'the replayed events' });
    expect(received(resumed)).toEqual(actionsOf(IN_TRIANGLE));

    const after = decodeStreamCursor(start);
    const head = server.realtime!.stream.position;
    const read = async (filter: Record<string, unknown>) => {
      const streamFilter = toStreamFilter(filter);
      const rows = await loadEvents(testDb.database.pool, after, head, 10_000, streamFilter);
      return rows.filter((e) => e.kind === 'comment' && matches(e, streamFilter)).map((e) => `${e.noteId}:${e.sequenceAction}`).sort();
    };
    expect(await read({ bbox: NEW_YORK })).toEqual(actionsOf(inNewYork()));
    expect(await read({ polygon: BRONX_TRIANGLE })).toEqual(actionsOf(IN_TRIANGLE));
    expect(await read({ noteIds: [153187] })).toEqual(actionsOf([153187]));
    // The SQL narrows a polygon to its bounds only: the fourth note comes back from the database
    // and is dropped by the exact test.
    const bounded = await loadEvents(testDb.database.pool, after, head, 10_000, toStreamFilter({ polygon: BRONX_TRIANGLE }));
    expect(new Set(bounded.map((e) => e.noteId))).toEqual(new Set([...IN_TRIANGLE, IN_BOX_OF_TRIANGLE_ONLY]));
  });

  it('notes(filter) and facts(filter) answer the same areas from SQL', async () => {
    type Notes = { notes: { edges: { node: { id: number } }[] } };
    const ids = async (filter: Record<string, unknown>) =>
      (await query<Notes>('query($f: NoteFilter) { notes(first: 100, filter: $f) { edges { node { id } } } }', { f: filter })).notes.edges
        .map((e) => e.node.id)
        .sort((a, b) => a - b);
    expect(await ids({ bbox: NEW_YORK })).toEqual(inNewYork().sort((a, b) => a - b));
    expect(await ids({ polygon: BRONX_TRIANGLE })).toEqual([...IN_TRIANGLE].sort());
    expect(await ids({ noteIds: [153166, 6, 999999999] })).toEqual([6, 153166]);
    // Kinds combine with AND: the box and a note outside it give nothing.
    expect(await ids({ bbox: NEW_YORK, noteIds: [6] })).toEqual([]);

    type Facts = { facts: { edges: { node: { noteId: number; sequenceAction: number } }[] } };
    const facts = async (filter: Record<string, unknown>) =>
      (await query<Facts>('query($f: FactFilter) { facts(first: 100, filter: $f) { edges { node { noteId sequenceAction } } } }', { f: filter }))
        .facts.edges.map((e) => `${e.node.noteId}:${e.node.sequenceAction}`)
        .sort();
    expect(await facts({ polygon: BRONX_TRIANGLE })).toEqual(actionsOf(IN_TRIANGLE));
    expect(await facts({ bbox: NEW_YORK })).toEqual(actionsOf(inNewYork()));
    expect(await facts({ noteIds: [153187] })).toEqual(actionsOf([153187]));
  });

  it('the position index serves area queries', async () => {
    const client = await testDb.database.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query(
        `EXPLAIN SELECT note_id FROM notes n WHERE point(n.longitude, n.latitude) <@ box(point(-74.05, 40.7), point(-73.75, 40.92))`,
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('notes_position_gist');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });

  it("a follower gets the new comments of the notes they follow, and no one else's", async () => {
    const follower = subscribe({ filter: { noteIds: [153166, 6] } });
    await eventually(() => server.realtime!.stream.liveSubscribers >= 4, { what: 'the follower to be live' });
    const before = follower.items.length;
    const comment = async (noteId: number, text: string) => {
      await testDb.database.pool.query(
        `WITH next AS (SELECT note_id, max(sequence_action) + 1 AS seq FROM note_comments WHERE note_id = $1 GROUP BY note_id),
              c AS (INSERT INTO note_comments (note_id, sequence_action, event, created_at)
                    SELECT note_id, seq, 'commented', now() FROM next RETURNING note_id, sequence_action)
         INSERT INTO note_comments_text (note_id, sequence_action, body) SELECT note_id, sequence_action, $2 FROM c`,
        [noteId, text],
      );
    };
    await comment(153187, 'not followed');
    await comment(153166, 'followed');
    await comment(18, 'not followed either');
    await comment(6, 'followed too');
    await waitForDrained(testDb.database.pool);
    await eventually(() => follower.items.length >= before + 2, { what: 'the followed comments' });
    await server.realtime!.stream.sync();
    // Two notes: the stream orders each note's actions, not actions of different notes.
    const fresh = follower.items.slice(before).map((e) => e.noteEvent.noteId);
    expect(fresh.sort((a, b) => a - b)).toEqual([6, 153166]);
    expect(follower.items.every((e) => [153166, 6].includes(e.noteEvent.noteId))).toBe(true);
  });

  it('refuses bad areas with the field and the reason', async () => {
    const result = await graphql(server.url, 'query($f: NoteFilter) { notes(first: 1, filter: $f) { edges { node { id } } } }', {
      f: { polygon: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] } },
    });
    expect(result.errors?.[0]?.message).toMatch(/filter\.polygon: ring 0 needs at least 4 positions/);
    const box = await graphql(server.url, 'query($f: NoteFilter) { notes(first: 1, filter: $f) { edges { node { id } } } }', {
      f: { bbox: { south: 50, west: 0, north: 40, east: 1 } },
    });
    expect(box.errors?.[0]?.message).toMatch(/filter\.bbox: south \(50\) is north of north \(40\)/);
    expect(box.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
