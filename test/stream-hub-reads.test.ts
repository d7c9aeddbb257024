import type pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectClient, type Database } from '../src/db/client.ts';
import { createLogger } from '../src/log.ts';
import { createProcessorMetrics } from '../src/streaming/processor/metrics.ts';
import { Processor } from '../src/streaming/processor/processor.ts';
import { PgPubSub } from '../src/streaming/realtime/pubsub.ts';
import { StreamHub } from '../src/streaming/realtime/stream-hub.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';
import { recordingDatabase, type RecordedStatement } from './helpers/recording-database.ts';
import { testConfig } from './helpers/server.ts';

// With ROLE=all each batch reaches the stream hub twice: handed over by the processor of its own
// process (src/app.ts), with its stream rows when small, then announced by fact_processed. The
// hub delivers such a batch from its rows and reads nothing, announcement or not (issue 25).
const testDb = useTestDatabase();
const config = testConfig({ PROCESSOR_BATCH_WAIT_MS: '0' });
const log = createLogger(config.LOG_LEVEL);
const announced = new Set<number>();
let batchReads: RecordedStatement[];
let handOvers = 0;
let tail: Database;
let listener: pg.Client;
let pubsub: PgPubSub;
let hub: StreamHub;
let processor: Processor;

beforeAll(async () => {
  // The hub's live tail, recording the batch reads it sends.
  ({ database: tail, statements: batchReads } = recordingDatabase(testDb.url, (text) => text.includes('streaming.stream_batches')));
  listener = await connectClient(testDb.url, 'hub reads test listener');
  listener.on('notification', (n) => announced.add((JSON.parse(n.payload!) as { batch: number }).batch));
  await listener.query('LISTEN fact_processed');
  pubsub = new PgPubSub(testDb.url, log);
  await pubsub.start();
  // Polled once a minute, far past this test: only hand-overs and notifications wake it.
  hub = new StreamHub({ pool: testDb.database.pool, tailPool: tail.pool, pubsub, log, queueLimit: 1_000, pollMs: 60_000 });
  await hub.start();
  processor = new Processor({
    url: testDb.url,
    pool: testDb.database.pool,
    config,
    log,
    metrics: createProcessorMetrics(new Registry()),
    onCommitted: (batches) => {
      handOvers++;
      hub.handOver(batches);
    },
  });
  await processor.start();
});

afterAll(async () => {
  await processor?.stop();
  await hub?.stop();
  await pubsub?.stop();
  await listener?.end();
  await tail?.close();
});

it('reads nothing for a handed-over batch, although its announcement follows', async () => {
  const stream = hub.events({ filter: {}, kinds: ['comment'], after: null });
  const notes = FIXTURE_NOTES.slice(0, 8);
  const readsBefore = batchReads.length;
  const handOversBefore = handOvers;
  for (const note of notes) {
    const batchBefore = hub.batchId;
    await insertNotes(testDb.database.pool, [note]);
    await expect.poll(() => hub.batchId, { timeout: 10_000 }).toBeGreaterThan(batchBefore);
    // Its announcement has reached this test's listener, and so (a moment later at most) the hub's.
    await expect.poll(() => announced.has(hub.batchId), { timeout: 10_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const handed = handOvers - handOversBefore;
  expect(handed).toBeGreaterThanOrEqual(notes.length);
  expect(batchReads.length - readsBefore).toBe(0);

  // Nothing was skipped: every comment reached the subscriber.
  const expected = notes.reduce((n, note) => n + note.comments.length, 0);
  const received: number[] = [];
  for await (const event of stream) {
    received.push(event.noteId);
    if (received.length === expected) break;
  }
  expect([...new Set(received)].sort()).toEqual(notes.map((n) => n.id).sort());
});
