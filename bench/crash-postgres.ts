// `CRASH_PGDATA=<dir> CRASH_URL=<url> npx tsx bench/crash-postgres.ts [--roles all]`: crashes a disposable
// PostgreSQL (never a shared one) while writers, the processor and a subscriber run, and checks
// that nothing delivered was lost or changed by the crash. The processor's announcements commit
// with synchronous_commit off (src/streaming/processor/announce.ts); its batches keep
// synchronous commits, so a position a subscriber has seen must survive the crash with the same
// event. Steps:
// - four writers commit single-statement notes (note, opening comment, text), retrying through
//   the outage (a duplicate key on retry means the first try committed);
// - a processor (ROLE=processor) and an API (ROLE=api) run as their own processes, or with
//   `--roles all` one server doing both (its processor hands batches and their rows to its hub);
//   a graphql-ws subscriber follows factProcessed and resumes with its last cursor after any error;
// - `pg_ctl stop -m immediate` mid-run (every backend aborts, no shutdown checkpoint, WAL not
//   yet written is lost, recovery at start), and a SIGKILL of the processor mid-batch with it
//   (with `--roles all`, of the whole server); then PostgreSQL and a new processor start again.
// Checks: every acknowledged comment has exactly one fact and one processed event; positions
// are unique; the subscriber got every event exactly once, in order, and each position it got
// is the same event (note, sequence) in the database after recovery.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { migrateDatabase } from '../src/db/migrate.ts';
import { startService, type Child } from './streaming/processes.ts';

const { values: args } = parseArgs({ options: { roles: { type: 'string', default: 'split' } } });
if (args.roles !== 'split' && args.roles !== 'all') throw new Error(`--roles must be split or all, not ${args.roles}`);
const PGDATA = process.env.CRASH_PGDATA;
const SERVER = process.env.CRASH_URL;
if (!PGDATA || !SERVER || SERVER.includes(':5432/')) {
  throw new Error('set CRASH_PGDATA and CRASH_URL to a disposable cluster (never the machine\'s PostgreSQL on 5432)');
}
const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl';
const pgCtl = (...args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', PG_CTL, '-D', PGDATA, ...args], { stdio: 'ignore' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => process.stderr.write(`[crash] ${new Date().toISOString().slice(11, 23)} ${m}\n`);

const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
const database = `crash_${Date.now()}`;
await admin.query(`CREATE DATABASE "${database}"`);
await admin.end();
const url = new URL(SERVER);
url.pathname = `/${database}`;
const databaseUrl = url.toString();
await migrateDatabase(databaseUrl);

const env = { DATABASE_URL: databaseUrl, SWEEP_INTERVAL_SECONDS: '0', PROCESSOR_BATCH_SIZE: '50' };
// With --roles all the processor is the API's own process: killing one kills both.
const startProcessor = () => startService({ ...env, ROLE: args.roles === 'all' ? 'all' : 'processor' });
let processor: Child & { url: string | null } = await startProcessor();
const api = args.roles === 'all' ? processor : await startService({ ...env, ROLE: 'api' });
let apiUrl = api.url!;

// The subscriber: follows factProcessed from the stream's head, resuming after its last cursor.
const head = (await (await fetch(new URL('/graphql', apiUrl), {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ streamCursor }' }),
})).json()) as { data: { streamCursor: string } };
let cursor = head.data.streamCursor;
const delivered: { position: number; noteId: number; sequenceAction: number }[] = [];
let following = true;
let resumes = 0;
const follow = (async () => {
  while (following) {
    const client = createClient({ url: apiUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    try {
      const events = client.iterate<{ factProcessed: { cursor: string; position: number; noteId: number; sequenceAction: number } }>({
        query: 'subscription ($after: String) { factProcessed(after: $after) { cursor position noteId sequenceAction } }',
        variables: { after: cursor },
      });
      for await (const result of events) {
        const e = result.data?.factProcessed;
        if (!e) continue;
        delivered.push({ position: e.position, noteId: e.noteId, sequenceAction: e.sequenceAction });
        cursor = e.cursor;
        if (!following) break;
      }
    } catch {
      // the API or the database went away: resume after the last cursor
    } finally {
      await client.dispose();
    }
    if (following) {
      resumes++;
      await sleep(300);
    }
  }
})();

// Writers: single-statement notes, retried through the outage.
const WRITE = `
  WITH note_rows AS (
    INSERT INTO notes (note_id, latitude, longitude, created_at, id_country)
    VALUES ($1, 0, 0, clock_timestamp(), (SELECT country_id FROM countries WHERE iso_a2 = 'FR'))
  ), comment_rows AS (
    INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES ($1, 1, 'opened', clock_timestamp())
  )
  INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES ($1, 1, 'crash test ' || $1)`;
const acknowledged = new Set<number>();
let writing = true;
const writers = Array.from({ length: 4 }, async (_, w) => {
  let id = 1 + w * 1_000_000;
  let client: pg.Client | null = null;
  while (writing) {
    try {
      if (!client) {
        client = new pg.Client({ connectionString: databaseUrl, application_name: 'crash writer' });
        client.on('error', () => {});
        await client.connect();
      }
      await client.query(WRITE, [id]);
      acknowledged.add(id++);
      await sleep(4);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        acknowledged.add(id++); // the first try committed before its connection was lost
        continue;
      }
      await client?.end().catch(() => {});
      client = null;
      await sleep(200);
    }
  }
  await client?.end().catch(() => {});
});

await sleep(4_000);
log(`crashing PostgreSQL (immediate stop) and killing the processor; ${acknowledged.size} notes acknowledged, ${delivered.length} delivered`);
processor.kill();
pgCtl('stop', '-m', 'immediate');
const deliveredBeforeCrash = delivered.length;
await sleep(1_000);
pgCtl('start', '-w', '-l', `${PGDATA}/../crash-restart.log`);
log('PostgreSQL back; starting a new processor');
processor = await startProcessor();
if (args.roles === 'all') apiUrl = processor.url!;
await sleep(4_000);
writing = false;
await Promise.all(writers);
log(`writers stopped: ${acknowledged.size} notes acknowledged`);

const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
for (let waited = 0; ; waited += 200) {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM streaming.events WHERE status = 'pending'`);
  if (rows[0]!.n === 0) break;
  if (waited > 120_000) throw new Error('the outbox did not drain');
  await sleep(200);
}
const { rows: events } = await pool.query<{ position: number; noteId: number; sequenceAction: number }>(
  `SELECT position::float8 AS position, note_id AS "noteId", sequence_action AS "sequenceAction" FROM streaming.events
   WHERE kind = 'comment' ORDER BY position`,
);
for (let waited = 0; delivered.length < events.length && waited < 30_000; waited += 200) await sleep(200);
following = false;
processor.kill();
if (args.roles === 'split') api.kill();
await Promise.race([follow, sleep(2_000)]);

const problems: string[] = [];
const { rows: counts } = await pool.query<{ comments: number; facts: number; distinctFacts: number; notes: number; positions: number; distinctPositions: number; notDone: number }>(
  `SELECT (SELECT count(*)::int FROM note_comments) AS comments, (SELECT count(*)::int FROM dwh.facts) AS facts,
          (SELECT count(DISTINCT (id_note, sequence_action))::int FROM dwh.facts) AS "distinctFacts",
          (SELECT count(*)::int FROM notes) AS notes,
          (SELECT count(position)::int FROM streaming.events) AS positions,
          (SELECT count(DISTINCT position)::int FROM streaming.events) AS "distinctPositions",
          (SELECT count(*)::int FROM streaming.events WHERE status <> 'done') AS "notDone"`,
);
const c = counts[0]!;
const stored = new Set((await pool.query<{ id: number }>('SELECT note_id AS id FROM notes')).rows.map((r) => r.id));
const lost = [...acknowledged].filter((id) => !stored.has(id));
if (lost.length) problems.push(`${lost.length} acknowledged notes missing after the crash`);
if (c.facts !== c.comments || c.distinctFacts !== c.facts) problems.push(`facts ${c.facts} (${c.distinctFacts} distinct) for ${c.comments} comments`);
if (c.positions !== c.distinctPositions) problems.push(`positions not unique: ${c.positions} vs ${c.distinctPositions}`);
if (c.notDone) problems.push(`${c.notDone} events not done`);
const byPosition = new Map(events.map((e) => [e.position, e]));
const seen = new Set<number>();
let previous = 0;
for (const d of delivered) {
  if (seen.has(d.position)) problems.push(`position ${d.position} delivered twice`);
  if (d.position <= previous) problems.push(`position ${d.position} after ${previous}`);
  seen.add(d.position);
  previous = d.position;
  const e = byPosition.get(d.position);
  if (!e || e.noteId !== d.noteId || e.sequenceAction !== d.sequenceAction) {
    problems.push(`position ${d.position} delivered as note ${d.noteId}/${d.sequenceAction}, stored as ${e ? `${e.noteId}/${e.sequenceAction}` : 'nothing'}`);
  }
}
const missed = events.filter((e) => !seen.has(e.position)).length;
if (missed) problems.push(`${missed} stored events never delivered`);
const summary = {
  roles: args.roles,
  acknowledged: acknowledged.size,
  notes: c.notes,
  comments: c.comments,
  facts: c.facts,
  events: events.length,
  delivered: delivered.length,
  deliveredBeforeCrash,
  resumes,
  problems: problems.slice(0, 20),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
await pool.end();
const cleanup = new pg.Client({ connectionString: SERVER });
await cleanup.connect();
await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
await cleanup.end();
process.exit(problems.length ? 1 : 0);
