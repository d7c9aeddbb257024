// A small batch comes back from streaming.claim_and_process with its stream rows, and a stream
// hub in the processor's process delivers it from them without reading (issue 25): the rows are
// the ones its reads would give, and a batch that does not follow the last one read is read.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/client.ts';
import { createLogger } from '../src/log.ts';
import { PgPubSub } from '../src/streaming/realtime/pubsub.ts';
import { loadBatches, loadEvents, parseHandedBatch, type StreamEvent } from '../src/streaming/realtime/stream-events.ts';
import { StreamHub } from '../src/streaming/realtime/stream-hub.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';
import { recordingDatabase, type RecordedStatement } from './helpers/recording-database.ts';
import { testConfig } from './helpers/server.ts';

const testDb = useTestDatabase();
const log = createLogger(testConfig().LOG_LEVEL);
let tailReads: RecordedStatement[];
let tail: Database;
let pubsub: PgPubSub;
let hub: StreamHub;

interface Processed {
  batchId: number;
  lastPosition: number;
  events: number;
  stream: unknown;
}

/** Writes the notes and processes them as one batch, as the processor does (no announcement). */
async function processNotes(ids: number[], handOver = 100): Promise<Processed> {
  await insertNotes(testDb.database.pool, FIXTURE_NOTES.filter((n) => ids.includes(n.id)));
  const { rows } = await testDb.database.pool.query<Processed>(
    `SELECT batch_id AS "batchId", last_position AS "lastPosition", events, stream
     FROM streaming.claim_and_process(1000, 'hand-over test', $1)`,
    [handOver],
  );
  return rows[0]!;
}

beforeAll(async () => {
  // The hub's tail, recording every read of the stream it sends.
  ({ database: tail, statements: tailReads } = recordingDatabase(testDb.url, (text) => text.includes('streaming.stream_')));
  pubsub = new PgPubSub(testDb.url, log);
  await pubsub.start();
  // Polled once a minute, far past this test: only hand-overs wake it.
  hub = new StreamHub({ pool: testDb.database.pool, tailPool: tail.pool, pubsub, log, queueLimit: 1_000, pollMs: 60_000 });
  await hub.start();
});

afterAll(async () => {
  await hub?.stop();
  await pubsub?.stop();
  await tail?.close();
});

it('returns a small batch with the rows the stream reads give', async () => {
  const first = FIXTURE_NOTES.slice(0, 4).map((n) => n.id);
  const batch = await processNotes(first);
  expect(batch.events).toBe(FIXTURE_NOTES.slice(0, 4).reduce((n, note) => n + note.comments.length, 0));
  const handed = parseHandedBatch(batch.stream);
  const [read] = await loadBatches(testDb.database.pool, batch.batchId - 1, 1);
  const events = await loadEvents(testDb.database.pool, batch.lastPosition - batch.events, batch.lastPosition, 1000);
  expect(handed).toEqual({ batch: read, events });
  // The fixtures' texts, hashtags, applications and users came through, not nulls.
  expect(events.some((e) => e.hashtags.length > 0 && e.application !== null && e.username !== null)).toBe(true);

  // A batch larger than asked for comes without rows.
  const large = await processNotes([FIXTURE_NOTES[4]!.id], 0);
  expect(large.stream).toBeNull();
});

it('delivers a handed-over batch that follows the last one read without reading', async () => {
  await hub.sync();
  const stream = hub.events({ filter: {}, kinds: ['comment'], after: null });
  const readsBefore = tailReads.length;
  const batch = await processNotes([FIXTURE_NOTES[5]!.id]);
  expect(batch.batchId).toBe(hub.batchId + 1);
  hub.handOver([batch]);
  expect(hub.batchId).toBe(batch.batchId);
  expect(hub.position).toBe(batch.lastPosition);
  expect(tailReads.length - readsBefore).toBe(0);
  const received = await take(stream, FIXTURE_NOTES[5]!.comments.length);
  expect(received.map((e) => e.noteId)).toEqual(FIXTURE_NOTES[5]!.comments.map(() => FIXTURE_NOTES[5]!.id));
  stream.close();
});

it('reads a handed-over batch when one it was not told of came between', async () => {
  const stream = hub.events({ filter: {}, kinds: ['comment'], after: null });
  const missed = await processNotes([FIXTURE_NOTES[6]!.id]);
  const readsBefore = tailReads.length;
  const batch = await processNotes([FIXTURE_NOTES[7]!.id]);
  expect(batch.batchId).toBe(missed.batchId + 1);
  hub.handOver([batch]);
  await expect.poll(() => hub.batchId, { timeout: 10_000 }).toBe(batch.batchId);
  expect(tailReads.length - readsBefore).toBeGreaterThan(0);
  // Both batches' comments, each once, in position order.
  const expected = [FIXTURE_NOTES[6]!, FIXTURE_NOTES[7]!].flatMap((note) => note.comments.map(() => note.id));
  const received = await take(stream, expected.length);
  expect(received.map((e) => e.noteId)).toEqual(expected);
  expect(received.map((e) => e.position)).toEqual([...received.map((e) => e.position)].sort((a, b) => a - b));
  expect(hub.position).toBe(batch.lastPosition);
  stream.close();
});

async function take(stream: AsyncIterable<StreamEvent>, count: number): Promise<StreamEvent[]> {
  const received: StreamEvent[] = [];
  if (count === 0) return received;
  for await (const event of stream) {
    received.push(event);
    if (received.length === count) break;
  }
  return received;
}
