// `npx tsx bench/profile-event.ts [--events 200]`: where one event's milliseconds go, step by
// step, on a database of its own with nothing else running against it: the writer's statement
// (trigger included) and commit, the wake-up of a LISTEN client, the claim, the ETL and the
// batch's commit, the announcement and its arrival, and the API's reads. One event at a time,
// 50 ms apart; the ETL's stored functions are timed by PostgreSQL (track_functions = pl).
// Prints a markdown table (medians and p90 in ms) and one JSON line.
import { parseArgs } from 'node:util';
import { connectClient, createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { announceBatches } from '../src/streaming/processor/announce.ts';
import { createLogger } from '../src/log.ts';
import { loadBatches, loadEvents } from '../src/streaming/realtime/stream-events.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200' } } });
const EVENTS = Number(values.events);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WRITE = `
  WITH note_rows AS (
    INSERT INTO notes (note_id, latitude, longitude, created_at, id_country)
    VALUES ($1, 0, 0, clock_timestamp(), (SELECT country_id FROM countries WHERE iso_a2 = 'DE'))
  ), comment_rows AS (
    INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES ($1, 1, 'opened', clock_timestamp())
  )
  INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES ($1, 1, 'profile note #bench via StreetComplete 61.0')`;

const admin = await connectClient(SERVER, 'bench admin');
const database = `bench_profile_${Date.now()}`;
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(SERVER);
url.pathname = `/${database}`;
const databaseUrl = url.toString();
const log = createLogger('warn');
const steps: Record<string, number[]> = {};
const add = (step: string, ms: number) => (steps[step] ??= []).push(ms);
const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 100) / 100;
};

try {
  await migrateDatabase(databaseUrl);
  const writer = await connectClient(databaseUrl, 'bench writer');
  const listener = await connectClient(databaseUrl, 'bench listener');
  const apiListener = await connectClient(databaseUrl, 'bench api listener');
  const api = createDatabase(databaseUrl, { poolSize: 2, applicationName: 'bench api' }).pool;
  const processorPool = createDatabase(databaseUrl, { poolSize: 1, applicationName: 'bench processor' }).pool;
  const processor = await processorPool.connect();
  await processor.query(`SET track_functions = 'pl'`);
  await listener.query('LISTEN note_inserted');
  await apiListener.query('LISTEN fact_processed');
  let noteHeard: (() => void) | null = null;
  let factHeard: (() => void) | null = null;
  listener.on('notification', () => noteHeard?.());
  apiListener.on('notification', () => factHeard?.());

  const heard = (set: (f: () => void) => void) => new Promise<number>((resolve) => set(() => resolve(performance.now())));
  let note = 1;
  let batchId = 0;
  let position = 0;
  const oneEvent = async (record: boolean) => {
    const id = note++;
    // The writer: statement (note, comment, text; the outbox trigger runs at its end), then commit.
    const wake = heard((f) => (noteHeard = f));
    const t0 = performance.now();
    await writer.query('BEGIN');
    const t1 = performance.now();
    await writer.query(WRITE, [id]);
    const t2 = performance.now();
    await writer.query('COMMIT');
    const t3 = performance.now();
    const woken = await wake;
    // The processor: claim, ETL and bookkeeping (process_events), commit, then the announcement.
    const announced = heard((f) => (factHeard = f));
    const t4 = performance.now();
    await processor.query('BEGIN');
    const claimed = (await processor.query<{ id: number }>('SELECT id FROM streaming.claim_events(500)')).rows.map((r) => r.id);
    const t5 = performance.now();
    const { rows } = await processor.query(
      `SELECT batch_id AS "batchId", first_position AS "firstPosition", last_position AS "lastPosition", events, countries, users, lags_ms AS "lagsMs"
       FROM streaming.process_events($1, 'profile', now())`,
      [claimed],
    );
    const t6 = performance.now();
    await processor.query('COMMIT');
    const t7 = performance.now();
    await announceBatches(processor, rows, log);
    const t8 = performance.now();
    const arrived = await announced;
    // The API: its reads of the new batch and its events (run at once in the server).
    const t9 = performance.now();
    const [batches, events] = await Promise.all([loadBatches(api, batchId, 1000), loadEvents(api, position, rows[0].lastPosition, 1000)]);
    const t10 = performance.now();
    batchId = batches.at(-1)!.batchId;
    position = events.at(-1)!.position;
    if (!record) return;
    add('writer: statement with trigger', t2 - t1);
    add('writer: commit (WAL flush, NOTIFY)', t3 - t2);
    add('writer: BEGIN round trip', t1 - t0);
    add('wake-up: commit → LISTEN client hears note_inserted', woken - t3);
    add('processor: claim (claim_events)', t5 - t4);
    add('processor: ETL and bookkeeping (process_events)', t6 - t5);
    add('processor: commit (WAL flush)', t7 - t6);
    add('processor: announce (own transaction, async commit)', t8 - t7);
    add('API: hears fact_processed after the announce began', arrived - t7);
    add('API: reads batch and events (in parallel)', t10 - t9);
  };
  for (let i = 0; i < 30; i++) await oneEvent(false); // warm-up: plans, caches
  await processor.query('SELECT pg_stat_reset()');
  for (let i = 0; i < EVENTS; i++) {
    await oneEvent(true);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 600)); // function statistics are sent every 500 ms
  const functions = (
    await processor.query<{ name: string; calls: number; self: number; total: number }>(
      `SELECT schemaname || '.' || funcname AS name, calls::int, self_time AS self, total_time AS total
       FROM pg_stat_user_functions WHERE schemaname IN ('dwh', 'streaming') ORDER BY total_time DESC`,
    )
  ).rows.map((f) => ({ ...f, selfPerCall: Math.round((f.self / Math.max(1, f.calls)) * 1000) / 1000, totalPerCall: Math.round((f.total / Math.max(1, f.calls)) * 1000) / 1000 }));
  const table = Object.entries(steps).map(([step, xs]) => ({ step, p50: quantile(xs, 0.5), p90: quantile(xs, 0.9) }));
  const lines = [
    `Profile of one event (${EVENTS} events, one at a time), ${new Date().toISOString().slice(0, 16)} UTC`,
    '',
    '| step | p50 ms | p90 ms |',
    '|---|---:|---:|',
    ...table.map((t) => `| ${t.step} | ${t.p50} | ${t.p90} |`),
    '',
    '| stored function (per call) | total ms | self ms |',
    '|---|---:|---:|',
    ...functions.filter((f) => f.totalPerCall >= 0.01).map((f) => `| ${f.name} | ${f.totalPerCall} | ${f.selfPerCall} |`),
    '',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ steps: table, functions })}\n`);
  processor.release();
  await Promise.all([writer.end(), listener.end(), apiListener.end(), api.end(), processorPool.end()]);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}
