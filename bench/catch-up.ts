// `npx tsx bench/catch-up.ts [--backlog N] [--rounds R]`: the catch-up scenario of `npm run bench`
// alone, R times on one fresh database (each round a new backlog of N events written while no
// processor runs, then drained by a fresh processor). Prints each round's rate and the median:
// a quick before/after figure for changes to the micro-ETL.
import { parseArgs } from 'node:util';
import { connectClient, createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { catchUp, type Context } from './streaming/scenarios.ts';

const { values } = parseArgs({
  options: { backlog: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } },
});
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = await connectClient(SERVER, 'bench admin');
const database = `bench_catchup_${Date.now()}`;
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(SERVER);
url.pathname = `/${database}`;
const databaseUrl = url.toString();
const { pool } = createDatabase(databaseUrl, { poolSize: 2, applicationName: 'bench' });
try {
  await migrateDatabase(databaseUrl);
  const ctx: Context = { databaseUrl, pool, nextNote: 1 };
  const env = { DATABASE_URL: databaseUrl, SWEEP_INTERVAL_SECONDS: '0' };
  const rates: number[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const r = await catchUp(ctx, Number(values.backlog), env);
    rates.push(r.rate);
    console.log(`round ${round + 1}: ${r.backlog} events in ${r.seconds} s, ${r.rate} events/s`);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  console.log(`median ${sorted[Math.floor(sorted.length / 2)]} events/s`);
} finally {
  await pool.end();
  await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
  await admin.end();
}
