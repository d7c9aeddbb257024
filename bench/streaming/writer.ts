// Load generator (a child process of bench/run.ts): inserts new notes with one comment each at
// a target rate, as single-row commits or in batches, into note ids from --first upwards.
// The comment time is clock_timestamp(), so listeners can measure latency from the insert;
// with --acks the writer also records when each note's commit was acknowledged.
// Prints one JSON line when done: { sent, seconds, firstNote, lastNote }.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { COUNTRIES } from './audience.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
    batch: { type: 'string', default: '1' },
    first: { type: 'string', default: '1' },
    connections: { type: 'string', default: '4' },
    total: { type: 'string' },
    // Stop writing after this many seconds even if fewer than total were sent (a writer slower
    // than asked would otherwise stretch a scenario).
    'max-seconds': { type: 'string' },
    // Writes { noteId: epoch ms, sub-millisecond } of each commit's acknowledgement to this JSON
    // file at the end: latency from the commit as its writer saw it (subscribers.ts --acks).
    acks: { type: 'string' },
  },
});
const rate = Number(values.rate);
const batch = Number(values.batch);
const total = values.total ? Number(values.total) : Math.round(rate * Number(values.seconds));

// One statement, so one round trip per transaction: the three inserts as data-modifying CTEs
// (foreign keys are checked at the end of the statement). Five round trips (BEGIN, three
// INSERTs, COMMIT) cost this process ~0.6 ms of CPU per transaction, a fifth of a core at
// 1,000 single-row commits/s on a machine whose two cores also run what is measured.
const WRITE = `
  WITH ids AS (SELECT unnest($1::int[]) AS id),
  note_rows AS (
    INSERT INTO notes (note_id, latitude, longitude, created_at, id_country)
    SELECT id, 0, 0, clock_timestamp(), (SELECT country_id FROM countries WHERE iso_a2 = ($2::text[])[1 + id % $3])
    FROM ids
  ), comment_rows AS (
    INSERT INTO note_comments (note_id, sequence_action, event, created_at)
    SELECT id, 1, 'opened', clock_timestamp() FROM ids
  )
  INSERT INTO note_comments_text (note_id, sequence_action, body)
  SELECT id, 1, 'bench note ' || id || ' #bench via StreetComplete 61.0' FROM ids`;

const pool = new pg.Pool({ connectionString: values.url, max: Number(values.connections), application_name: 'bench writer' });
let next = Number(values.first);
let sent = 0;
const acks: Record<number, number> = {};
// Before the clock starts, every connection opens and rehearses one write, rolled back (no event
// is emitted): a new backend's first statements load catalogs and plan, which is the writer's
// cost, not the stream's. Opened on demand, they made the first transactions late, then a burst.
const opened = await Promise.all(Array.from({ length: Number(values.connections) }, () => pool.connect()));
for (const client of opened) client.release();
await Promise.all(opened.map(() => write(batch, true)));
const started = performance.now();

async function write(count: number, rehearse = false): Promise<void> {
  const ids = Array.from({ length: count }, () => next++);
  const client = await pool.connect();
  try {
    if (rehearse) {
      await client.query('BEGIN');
      await client.query(WRITE, [ids, COUNTRIES, COUNTRIES.length]);
      await client.query('ROLLBACK');
      next -= count;
      return;
    }
    await client.query(WRITE, [ids, COUNTRIES, COUNTRIES.length]);
    sent += count;
    if (values.acks) {
      const acknowledged = performance.timeOrigin + performance.now();
      for (const id of ids) acks[id] = acknowledged;
    }
  } finally {
    client.release();
  }
}

// Paced: transaction k starts no earlier than k * batch / rate seconds after the start.
const inFlight = new Set<Promise<void>>();
for (let k = 0; sent + inFlight.size * batch < total || inFlight.size > 0; k++) {
  const overTime = values['max-seconds'] !== undefined && performance.now() - started > Number(values['max-seconds']) * 1000;
  const remaining = overTime ? 0 : total - (next - Number(values.first));
  if (remaining > 0) {
    const due = started + ((k * batch) / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= Number(values.connections)) await Promise.race(inFlight);
    const p: Promise<void> = write(Math.min(batch, remaining)).finally(() => inFlight.delete(p));
    inFlight.add(p);
  } else if (inFlight.size > 0) {
    await Promise.race(inFlight);
  } else {
    break; // out of time
  }
}
await pool.end();
const seconds = (performance.now() - started) / 1000;
if (values.acks) writeFileSync(values.acks, JSON.stringify(acks));
process.stdout.write(`${JSON.stringify({ sent, seconds, firstNote: Number(values.first), lastNote: next - 1 })}\n`);
