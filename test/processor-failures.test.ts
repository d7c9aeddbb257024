// Poison input: the others are processed, the bad one ends dead with a readable error, an
// admin can see it and requeue it, and the status reflects it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';
import { readFacts, startProcessor, waitForDrained } from './helpers/processor.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { sseSubscribe } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const ADMIN_TOKEN = 'test-admin-token';
const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer;

beforeAll(async () => {
  const env = { PROCESSOR_MAX_ATTEMPTS: '3', PROCESSOR_RETRY_BASE_MS: '1', ADMIN_TOKEN };
  processor = await startProcessor(testDb, env);
  server = await startTestServer(testDb, { env });
});

afterAll(async () => {
  await server.stop();
  await processor.stop();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function eventsOf(noteId: number) {
  const { rows } = await testDb.database.pool.query(
    'SELECT status::text, attempts, last_error FROM streaming.events WHERE note_id = $1 ORDER BY id',
    [noteId],
  );
  return rows;
}

describe('poison input', () => {
  it('dead-letters what cannot be processed, with a readable error, and processes the rest', async () => {
    const pool = testDb.database.pool;
    // An event for a note that does not exist, and an event of an unknown kind.
    await pool.query(`INSERT INTO streaming.events (kind, note_id, sequence_action, event) VALUES
      ('comment', 777001, 1, 'opened'), ('teleported', 777002, 1, NULL)`);
    await insertNotes(pool, [
      { id: 777002, lat: 10, lon: 10, comments: [{ action: 'opened', at: '2024-01-01T00:00:00Z', text: 'ok' }] },
      { id: 777003, lat: 45, lon: 7, comments: [{ action: 'opened', at: '2024-01-01T00:00:00Z', text: 'x'.repeat(100_000) }] },
      { id: 777004, lat: 45, lon: 8, comments: [{ action: 'opened', at: '2024-01-01T00:00:00Z', text: 'Ã©Ã¨ mojibake \uFFFD\uFFFD ☃ 𝄞' }] },
    ]);
    await eventually(async () => (await eventsOf(777001))[0]?.status === 'dead', { what: 'note 777001 to be dead' });
    await eventually(async () => (await eventsOf(777002))[0]?.status === 'dead', { what: 'the bogus kind to be dead' });
    await waitForDrained(pool);

    expect(await eventsOf(777001)).toEqual([
      { status: 'dead', attempts: 3, last_error: 'event 1 refers to note 777001, which does not exist (SQLSTATE 23503)' },
    ]);
    expect((await eventsOf(777002))[0]).toEqual({
      status: 'dead',
      attempts: 3,
      last_error: 'event 2 has unknown kind "teleported" (SQLSTATE 22000)',
    });
    expect((await eventsOf(777002))[1]).toMatchObject({ status: 'done' });
    const facts = await readFacts(pool);
    expect(facts.find((f) => f.note === 777003)?.commentLength).toBe(100_000);
    expect(facts.find((f) => f.note === 777004)?.commentLength).toBe([...'Ã©Ã¨ mojibake \uFFFD\uFFFD ☃ 𝄞'].length);
    expect(facts.filter((f) => [777002, 777003, 777004].includes(f.note))).toHaveLength(3);
  });

  it('lists dead letters and shows them in streamingStatus', async () => {
    const result = await graphql<{
      deadLetters: { edges: { node: { noteId: number; kind: string; attempts: number; lastError: string } }[] };
      streamingStatus: { status: string; queue: { dead: number; pending: number }; processors: unknown[]; listener: { connected: boolean } };
    }>(
      server.url,
      `{ deadLetters(first: 10) { edges { node { noteId kind attempts lastError } } }
         streamingStatus { status queue { dead pending } processors { processorId } listener { connected } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.deadLetters.edges.map((e) => e.node.noteId)).toEqual([777001, 777002]);
    expect(result.data!.streamingStatus).toMatchObject({ status: 'OK', queue: { dead: 2, pending: 0 }, listener: { connected: true } });
    expect(result.data!.streamingStatus.processors).toHaveLength(1);
  });

  it('refuses admin mutations without the token and requeues with it', async () => {
    const refused = await graphql(server.url, 'mutation { retryDeadLetters }');
    expect(refused.errors?.[0]?.message).toMatch(/needs the admin token/);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });

    // Once the missing note exists, a retry succeeds.
    await insertNotes(testDb.database.pool, [
      { id: 777001, lat: 1, lon: 1, comments: [{ action: 'opened', at: '2024-02-01T00:00:00Z' }] },
    ]);
    const retried = await graphql<{ retryDeadLetters: number }>(
      server.url,
      'mutation($ids: [Float!]) { retryDeadLetters(ids: $ids) }',
      { ids: [1] },
      admin,
    );
    expect(retried.data).toEqual({ retryDeadLetters: 1 });
    await eventually(async () => (await eventsOf(777001))[0]?.status === 'done', { what: 'the retried event' });
  });

  it('reprocesses notes on request, checking its arguments', async () => {
    const bad = await graphql(server.url, 'mutation { reprocessNotes(range: { from: 9, to: 1 }) }', undefined, admin);
    expect(bad.errors?.[0]?.message).toBe('range.from (9) is after range.to (1)');
    const queued = await graphql(server.url, 'mutation { reprocessNotes(range: { from: 777000, to: 777999 }) }', undefined, admin);
    expect(queued.data).toEqual({ reprocessNotes: 4 });
    await waitForDrained(testDb.database.pool);
    const integrity = await graphql(server.url, '{ etlIntegrity { commentsWithoutFact factsWithoutComment healthy } }');
    expect(integrity.data).toEqual({ etlIntegrity: { commentsWithoutFact: 0, factsWithoutComment: 0, healthy: true } });
  });

  it('reports DOWN without a processor and DEGRADED when more than 100 events wait', async () => {
    await processor.stop();
    // Waiting events not yet due (as after failures): they count as backlog but nothing takes them.
    await testDb.database.pool.query(
      `INSERT INTO streaming.events (kind, note_id, available_at)
       SELECT 'reprocess', 777003, now() + interval '1 hour' FROM generate_series(1, 101)`,
    );
    // The stopped processor's heartbeat row is gone: without a processor the status is DOWN.
    const down = await graphql<{ streamingStatus: { status: string; reasons: string[] } }>(server.url, '{ streamingStatus { status reasons } }');
    expect(down.data!.streamingStatus).toMatchObject({ status: 'DOWN', reasons: expect.arrayContaining(['no processor is running']) });
    processor = await startProcessor(testDb);
    const degraded = await graphql<{ streamingStatus: { status: string; reasons: string[] } }>(server.url, '{ streamingStatus { status reasons } }');
    expect(degraded.data!.streamingStatus.status).toBe('DEGRADED');
    expect(degraded.data!.streamingStatus.reasons.join(' ')).toMatch(/101 events wait in the outbox/);
  });

  it('sends each server\'s streamingStatus subscribers the status by that server\'s thresholds', async () => {
    // Still 101 events waiting: DEGRADED at the default threshold (100), OK at 1,000.
    const lenient = await startTestServer(testDb, { env: { ALERT_BACKLOG_EVENTS: '1000' } });
    const query = 'subscription { streamingStatus(everySeconds: 60) { status } }';
    const strict = sseSubscribe<{ streamingStatus: { status: string } }>(server.url, query);
    const relaxed = sseSubscribe<{ streamingStatus: { status: string } }>(lenient.url, query);
    try {
      await eventually(() => strict.items.length > 0 && relaxed.items.length > 0, { what: 'a status on both servers' });
      expect(strict.items[0]).toEqual({ streamingStatus: { status: 'DEGRADED' } });
      expect(relaxed.items[0]).toEqual({ streamingStatus: { status: 'OK' } });
    } finally {
      strict.stop();
      relaxed.stop();
      await lenient.stop();
    }
  });
});
