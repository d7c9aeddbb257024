// `npx tsx bench/etl-ab.ts <other-tree>`: the micro-ETL of this tree against the one of another
// checkout (e.g. `git worktree add` or `git archive` of the base commit), on two databases given
// the same 60,000-comment backlog (bench/read-api-data.ts: 3,000 users, most actions signed),
// drained by claim_and_process batches of PROCESSOR_BACKLOG_BATCH_SIZE taken alternately from
// each (ABBA), so that load from other work on the machine falls on both alike. Prints each side's
// events per second of batch time (the sum of its batches' round trips).
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { connectClient } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { writeBenchNotes } from './read-api-data.ts';

const other = process.argv[2];
if (!other) throw new Error('usage: npx tsx bench/etl-ab.ts <path of the other checkout>');
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BATCH = loadConfig({}).PROCESSOR_BACKLOG_BATCH_SIZE;
const otherMigrate = (await import(pathToFileURL(resolve(other, 'src/db/migrate.ts')).href)) as typeof import('../src/db/migrate.ts');

const admin = await connectClient(SERVER, 'bench admin');
const stamp = Date.now();
const sides = [
  { name: 'this tree', database: `bench_ab_this_${stamp}`, migrate: migrateDatabase, seconds: 0, events: 0 },
  { name: other, database: `bench_ab_other_${stamp}`, migrate: otherMigrate.migrateDatabase, seconds: 0, events: 0 },
];
const urlOf = (database: string) => Object.assign(new URL(SERVER), { pathname: `/${database}` }).toString();
const clients = [];
try {
  for (const side of sides) {
    await admin.query(`CREATE DATABASE "${side.database}"`);
    await side.migrate(urlOf(side.database));
    const client = await connectClient(urlOf(side.database), 'bench ab');
    await writeBenchNotes(client);
    await client.query('ANALYZE');
    clients.push(client);
  }
  let busy = true;
  for (let round = 0; busy; round++) {
    busy = false;
    // ABBA: each side goes first every other round, so that going first or second weighs on both.
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const side = sides[i]!;
      const started = performance.now();
      const { rows } = await clients[i]!.query<{ events: number }>('SELECT events FROM streaming.claim_and_process($1, $2)', [BATCH, 'ab']);
      if (!rows[0]) continue;
      side.seconds += (performance.now() - started) / 1000;
      side.events += rows[0].events;
      busy = true;
    }
  }
  for (const side of sides) {
    console.log(`${side.name}: ${side.events} events in ${side.seconds.toFixed(2)} s of batches, ${Math.round(side.events / side.seconds)} events/s`);
  }
} finally {
  for (const client of clients) await client.end();
  for (const side of sides) await admin.query(`DROP DATABASE IF EXISTS "${side.database}" WITH (FORCE)`);
  await admin.end();
}
