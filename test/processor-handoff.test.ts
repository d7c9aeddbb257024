import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createLogger } from '../src/log.ts';
import { connectClient } from '../src/db/client.ts';
import type { BatchResult } from '../src/streaming/processor/batch-result.ts';
import { createProcessorMetrics } from '../src/streaming/processor/metrics.ts';
import { Processor } from '../src/streaming/processor/processor.ts';
import type { PgPubSub } from '../src/streaming/realtime/pubsub.ts';
import { StreamHub } from '../src/streaming/realtime/stream-hub.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';
import { testConfig } from './helpers/server.ts';

// With ROLE=all the processor hands each committed batch to the stream hub of its own process
// (src/app.ts), so delivery does not wait for the batch's announcement to make a round trip
// through PostgreSQL (issue 25).
const testDb = useTestDatabase();
const config = testConfig({ PROCESSOR_BATCH_WAIT_MS: '0' });
const log = createLogger(config.LOG_LEVEL);
const handed: { batches: BatchResult[]; committedRows: number; announcedBefore: boolean }[] = [];
const announced: number[] = [];
let hub: StreamHub;
let processor: Processor;
let listener: Awaited<ReturnType<typeof connectClient>>;

// A pubsub that never delivers: the hub then learns of batches only from the processor (and its
// poll, set to a minute, far past these tests).
const silent = { subscribe: () => () => {}, onReconnect: () => () => {} } as unknown as PgPubSub;

beforeAll(async () => {
  listener = await connectClient(testDb.url, 'handoff test listener');
  listener.on('notification', (n) => announced.push((JSON.parse(n.payload!) as { batch: number }).batch));
  await listener.query('LISTEN fact_processed');
  hub = new StreamHub({ pool: testDb.database.pool, pubsub: silent, log, queueLimit: 1_000, pollMs: 60_000 });
  await hub.start();
  processor = new Processor({
    url: testDb.url,
    pool: testDb.database.pool,
    config,
    log,
    metrics: createProcessorMetrics(new Registry()),
    onCommitted: (batches) => {
      // Synchronously, as the processor calls it: is the batch visible to others yet, and has its
      // announcement been heard already?
      const ids = batches.map((b) => b.batchId);
      handed.push({ batches: [...batches], committedRows: -1, announcedBefore: ids.some((id) => announced.includes(id)) });
      const entry = handed.at(-1)!;
      void testDb.database.pool
        .query<{ n: number }>('SELECT count(*)::int AS n FROM streaming.batches WHERE batch_id = ANY ($1)', [ids])
        .then(({ rows }) => (entry.committedRows = rows[0]!.n));
      hub.handOver(batches);
    },
  });
  await processor.start();
});

afterAll(async () => {
  await processor?.stop();
  await hub?.stop();
  await listener?.end();
});

describe('batches handed from the processor to a stream hub in the same process', () => {
  it('reach a live subscriber with no notification and no poll', async () => {
    const stream = hub.events({ filter: {}, kinds: ['comment'], after: null });
    const notes = FIXTURE_NOTES.slice(0, 2);
    await insertNotes(testDb.database.pool, notes);
    const expected = notes.reduce((n, note) => n + note.comments.length, 0);
    const received: number[] = [];
    for await (const event of stream) {
      received.push(event.noteId);
      if (received.length === expected) break;
    }
    expect([...new Set(received)].sort()).toEqual(notes.map((n) => n.id).sort());
    expect(hub.position).toBeGreaterThanOrEqual(expected);
  });

  it('are handed over once committed and before their announcement', async () => {
    await insertNotes(testDb.database.pool, FIXTURE_NOTES.slice(2, 4));
    await expect.poll(() => handed.reduce((n, h) => n + h.batches.length, 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => handed.every((h) => h.committedRows === h.batches.length), { timeout: 10_000 }).toBe(true);
    expect(handed.some((h) => h.announcedBefore)).toBe(false);
    // Every handed batch is still announced, for API processes elsewhere.
    const ids = handed.flatMap((h) => h.batches.map((b) => b.batchId));
    await expect.poll(() => ids.every((id) => announced.includes(id)), { timeout: 10_000 }).toBe(true);
  });
});
