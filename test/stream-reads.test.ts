// The API's reads of the processed event stream (streaming.stream_events/stream_batches,
// drizzle/functions/streaming/) against real PostgreSQL: each filter selects exactly what the in-memory rule
// (matches) accepts, pages join up without gaps, and batches list their positions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { loadBatches, loadEvents, matches, type StreamEvent, type StreamFilter } from '../src/streaming/realtime/stream-events.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';

const testDb = useTestDatabase();
let processor: Processor;
let all: StreamEvent[];

const PARIS = { lat: 48.85, lon: 2.35 };
const BERLIN = { lat: 52.52, lon: 13.4 };
const notes: FixtureNote[] = [
  { id: 1, ...PARIS, comments: [
    { action: 'opened', at: '2025-03-01T10:00:00Z', text: 'Bench #Bench via StreetComplete 60.1', uid: 7, user: 'seven' },
    { action: 'commented', at: '2025-03-02T10:00:00Z', text: 'seen #other', uid: 8, user: 'eight' },
    { action: 'closed', at: '2025-03-03T10:00:00Z', text: 'fixed', uid: 7, user: 'seven' },
  ] },
  { id: 2, ...BERLIN, comments: [
    { action: 'opened', at: '2025-03-01T11:00:00Z', text: 'Bank #bench #mapcomplete', uid: 8, user: 'eight' },
    { action: 'commented', at: '2025-03-02T11:00:00Z', text: 'no tags here' },
  ] },
  { id: 3, ...BERLIN, comments: [
    { action: 'opened', at: '2025-03-01T12:00:00Z', text: 'via StreetComplete 61.0', uid: 9, user: 'nine' },
    { action: 'closed', at: '2025-03-04T12:00:00Z', text: '#Other done', uid: 9, user: 'nine' },
    { action: 'reopened', at: '2025-03-05T12:00:00Z', text: 'still wrong', uid: 8, user: 'eight' },
  ] },
];

beforeAll(async () => {
  processor = await startProcessor(testDb);
  await insertNotes(testDb.database.pool, notes);
  await waitForDrained(testDb.database.pool);
  all = await loadEvents(testDb.database.pool, 0, Number.MAX_SAFE_INTEGER, 1000);
});

afterAll(async () => {
  await processor.stop();
});

describe('stream reads', () => {
  it('return every processed comment once, in position order, with its fact', () => {
    expect(all.map((e) => `${e.noteId}/${e.sequenceAction}`).sort()).toEqual(
      notes.flatMap((n) => n.comments.map((_, i) => `${n.id}/${i + 1}`)).sort(),
    );
    const positions = all.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const first = all.find((e) => e.noteId === 1 && e.sequenceAction === 1)!;
    expect(first).toMatchObject({
      kind: 'comment', action: 'opened', userId: 7, username: 'seven', countryCode: 'FR',
      application: 'StreetComplete', applicationVersion: '60.1', hashtags: ['bench'], commentLength: 36,
    });
    expect(first.processedAt).toBeInstanceOf(Date);
  });

  it.each<[string, StreamFilter]>([
    ['a country', { countries: ['DE'] }],
    ['users', { users: [8, 9] }],
    ['actions', { actions: ['closed', 'reopened'] }],
    ['an application', { applications: ['StreetComplete'] }],
    ['hashtags (any case)', { hashtags: ['OTHER', 'mapcomplete'] }],
    ['several at once', { countries: ['DE'], users: [9], actions: ['closed'] }],
    ['something no event has', { hashtags: ['nowhere'] }],
  ])('select by %s exactly what the in-memory filter accepts', async (_, filter) => {
    const selected = await loadEvents(testDb.database.pool, 0, Number.MAX_SAFE_INTEGER, 1000, filter);
    const expected = all.filter((e) => matches(e, filter));
    expect(selected.map((e) => e.position)).toEqual(expected.map((e) => e.position));
    if (!filter.hashtags?.includes('nowhere')) expect(selected.length).toBeGreaterThan(0);
  });

  it('page by position without gaps or repeats, and stop at the upper bound', async () => {
    const pages: number[][] = [];
    let after = 0;
    for (;;) {
      const page = await loadEvents(testDb.database.pool, after, Number.MAX_SAFE_INTEGER, 3);
      if (page.length === 0) break;
      pages.push(page.map((e) => e.position));
      after = page.at(-1)!.position;
    }
    expect(pages.flat()).toEqual(all.map((e) => e.position));
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    const upTo = all[4]!.position;
    expect((await loadEvents(testDb.database.pool, all[1]!.position, upTo, 1000)).map((e) => e.position)).toEqual(
      all.slice(2, 5).map((e) => e.position),
    );
  });

  it('give the same rows through stream_events with no filter as through stream_tail', async () => {
    // loadEvents sends unfiltered reads to stream_tail; stream_events hands them there too.
    const { rows } = await testDb.database.pool.query<StreamEvent>('SELECT * FROM streaming.stream_events(0, $1, 1000)', [Number.MAX_SAFE_INTEGER]);
    expect(rows).toEqual(all);
  });

  it('list batches in commit order covering every position', async () => {
    const batches = await loadBatches(testDb.database.pool, 0, 1000);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.map((b) => b.batchId)).toEqual([...batches.map((b) => b.batchId)].sort((a, b) => a - b));
    const covered = all.filter((e) => batches.some((b) => b.firstPosition! <= e.position && e.position <= b.lastPosition!));
    expect(covered).toHaveLength(all.length);
    expect(batches.flatMap((b) => b.countries).sort()).toEqual(expect.arrayContaining(['DE', 'FR']));
    expect(await loadBatches(testDb.database.pool, batches.at(-1)!.batchId, 1000)).toEqual([]);
  });
});
