// Nothing is lost: a killed LISTEN connection, a processor killed mid-batch, two processors.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { expectConsistentWarehouse } from './helpers/consistency.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { eventually } from './helpers/wait.ts';
import { writeConcurrently } from './helpers/writers.ts';

const testDb = useTestDatabase();
const running: Processor[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  // Each test starts from empty base tables, outbox, facts and datamarts (seeded rows stay).
  await testDb.database.pool.query(`
    DO $$ BEGIN
      EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I.%I', schemaname, tablename), ', ') || ' CASCADE'
               FROM pg_tables
               WHERE (schemaname IN ('dwh', 'streaming')
                      AND tablename NOT IN ('dimension_applications', 'dimension_time_of_week'))
                  OR (schemaname = 'public' AND tablename IN ('notes', 'note_comments', 'note_comments_text')));
    END $$`);
});

async function pending(): Promise<number> {
  const { rows } = await testDb.database.pool.query(`SELECT count(*)::int AS n FROM streaming.events WHERE status = 'pending'`);
  return rows[0].n;
}

function spawnProcessor(env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: testDb.url, ROLE: 'processor', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

describe('the processor loses nothing', () => {
  it('when its LISTEN connection is killed twice while 8 writers insert 10,000 comments', async () => {
    const processor = await startProcessor(testDb);
    running.push(processor);
    const kills: number[] = [];
    const writing = writeConcurrently(testDb.url, {
      writers: 8,
      comments: 10_000,
      onProgress: (n) => {
        if ((n > 3_000 && kills.length === 0) || (n > 7_000 && kills.length === 1)) kills.push(n);
      },
    });
    // Kill the listener's backend at about 30 % and 70 % of the writes.
    for (let k = 0; k < 2; k++) {
      await eventually(() => kills.length > k, { timeoutMs: 60_000, what: 'writes to progress' });
      const pid = await eventually(() => processor.listener.backendPid(), { what: 'the listener to be connected' });
      await testDb.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await eventually(() => processor.listener.backendPid().then((p) => p !== null && p !== pid), {
        timeoutMs: 30_000,
        what: 'the listener to reconnect',
      });
    }
    expect(await writing).toBe(10_000);
    await waitForDrained(testDb.database.pool, 60_000);
    expect(processor.listener.reconnects).toBeGreaterThanOrEqual(2);
    await expectConsistentWarehouse(testDb.database.pool, 10_000);
  });

  it('when a processor process is killed with SIGKILL mid-batch and another takes over', async () => {
    await writeConcurrently(testDb.url, { writers: 4, comments: 6_000 });
    const first = spawnProcessor({ PROCESSOR_BATCH_SIZE: '100', PROCESSOR_BACKLOG_BATCH_SIZE: '100' });
    await eventually(async () => (await pending()) < 5_000, { timeoutMs: 60_000, what: 'the first processor to start' });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const left = await pending();
    expect(left).toBeGreaterThan(0);
    spawnProcessor();
    await waitForDrained(testDb.database.pool, 60_000);
    await expectConsistentWarehouse(testDb.database.pool, 6_000);
  });

  it('when two processors share the outbox while writers insert', async () => {
    running.push(await startProcessor(testDb, { PROCESSOR_BATCH_SIZE: '50', PROCESSOR_BACKLOG_BATCH_SIZE: '50' }));
    running.push(await startProcessor(testDb, { PROCESSOR_BATCH_SIZE: '50', PROCESSOR_BACKLOG_BATCH_SIZE: '50' }));
    expect(await writeConcurrently(testDb.url, { writers: 6, comments: 6_000 })).toBe(6_000);
    await waitForDrained(testDb.database.pool, 60_000);
    const { rows } = await testDb.database.pool.query(
      'SELECT count(DISTINCT processor_id)::int AS n FROM streaming.batches',
    );
    expect(rows[0].n).toBe(2);
    await expectConsistentWarehouse(testDb.database.pool, 6_000);
  });
});
