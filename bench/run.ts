// `npm run bench` (or `npm run bench -- --quick`, under two minutes): every benchmark in one run,
// each figure beside its baseline from the same run. Starts its own database on the machine's
// PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), the API
// and the processor as separate processes, drives load from more processes, and writes
// bench/results/streaming.json and .md (streaming-quick.* for --quick), plus a line in
// bench/results/history.md for a full run. Exits non-zero when a scenario lost or reordered an event.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs, promisify } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { connectClient, createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { appendHistory } from './streaming/history.ts';
import { renderMarkdown } from './streaming/report.ts';
import { startService } from './streaming/processes.ts';
import { catchUp, endToEnd, rawBaseline, throughput, type Context, type EndToEndResult } from './streaming/scenarios.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'skip-read': { type: 'boolean', default: false },
    'skip-import': { type: 'boolean', default: false },
    'skip-webhooks': { type: 'boolean', default: false },
    /** Names the run in history.md; default: the commit (with "+changes" when the tree has edits). */
    label: { type: 'string' },
  },
});
const quick = values.quick;
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const plan = quick
  ? { seconds: 2, rates: [100, 1000], subscribers: [1, 100], grouped: [100], batched: 20_000, single: 4_000, backlog: 20_000, importComments: 50_000, readSeconds: 2 }
  : { seconds: 8, rates: [100, 1000, 5000], subscribers: [1, 100, 10_000], grouped: [100, 10_000], batched: 100_000, single: 20_000, backlog: 100_000, importComments: 1_000_000, readSeconds: 5 };
const GROUPED_RATE = 1000;
// The services run on the defaults (only DATABASE_URL and the sweep are set): read them from the
// configuration itself, so that the report cannot go stale.
const processorSettings = () => {
  const defaults = loadConfig({});
  const names = ['PROCESSOR_BATCH_SIZE', 'PROCESSOR_BACKLOG_BATCH_SIZE', 'PROCESSOR_BATCH_WAIT_MS', 'PROCESSOR_STREAM_PACE_MS', 'PROCESSOR_CONCURRENCY', 'SUBSCRIBER_QUEUE_LIMIT'] as const;
  return names.map((name) => `${name} ${defaults[name]}`).join(', ');
};
const GROUP = 10;
const run = promisify(execFile);
const problems: string[] = [];
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
// Every event must reach the probe in order, and each filtered subscriber exactly what it matches.
const checkDeliveries = (r: EndToEndResult, label: string) => {
  if (r.probeReceived !== r.sent || !r.probeOrdered) {
    problems.push(`end-to-end at ${label}: probe got ${r.probeReceived} of ${r.sent} (ordered: ${r.probeOrdered})`);
  }
  if (r.filteredReceived !== r.filteredExpected) {
    problems.push(`end-to-end at ${label}: filtered subscribers got ${r.filteredReceived} of ${r.filteredExpected}`);
  }
};

const admin = await connectClient(SERVER, 'bench admin');
const database = `bench_${Date.now()}`;
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(SERVER);
url.pathname = `/${database}`;
const databaseUrl = url.toString();
const pool = createDatabase(databaseUrl, { poolSize: 2, applicationName: 'bench' }).pool;
const services: { kill(): void }[] = [];

try {
  await migrateDatabase(databaseUrl);
  const version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  const env = { DATABASE_URL: databaseUrl, SWEEP_INTERVAL_SECONDS: '0' };
  const ctx: Context = { databaseUrl, pool, nextNote: 1 };
  const processor = await startService({ ...env, ROLE: 'processor' });
  const api = await startService({ ...env, ROLE: 'api' });
  services.push(processor, api);

  // Fresh processes and an empty warehouse: first plans, JIT and connections cost a few hundred
  // milliseconds that a running server has long paid. Not reported.
  log('warm-up: 3 s at 1,000 events/s with one subscriber');
  await endToEnd(ctx, { api, processor }, GROUPED_RATE, 1, 3, GROUP);

  log('raw baseline: a plain LISTEN client on the trigger NOTIFY');
  const raw = [];
  for (const rate of plan.rates) {
    const r = await rawBaseline(ctx, rate, plan.seconds);
    if (r.received < r.sent) problems.push(`raw baseline at ${rate}/s heard ${r.received} of ${r.sent}`);
    raw.push(r);
  }

  log('end-to-end: comment commit → factProcessed on a WebSocket');
  const e2e = [];
  for (const subscribers of plan.subscribers) {
    // 10,000 subscribers at 5,000 events/s would be millions of messages a second on 2 cores.
    for (const rate of plan.rates.filter((r) => subscribers < 10_000 || r <= 1000)) {
      log(`  ${rate}/s with ${subscribers} subscriber(s)`);
      const r = await endToEnd(ctx, { api, processor }, rate, subscribers, plan.seconds);
      checkDeliveries(r, `${rate}/s × ${subscribers}`);
      e2e.push(r);
    }
  }
  // Single-row commits top out near 300-360/s here (CPU, and PostgreSQL's NOTIFY commit lock):
  // 1,000 events/s is also offered as it reaches a real ingester, ten comments per commit.
  log(`  ${GROUPED_RATE}/s in commits of ${GROUP}`);
  raw.push(await rawBaseline(ctx, GROUPED_RATE, plan.seconds, GROUP));
  for (const subscribers of plan.grouped) {
    log(`  ${GROUPED_RATE}/s in commits of ${GROUP} with ${subscribers} subscriber(s)`);
    const r = await endToEnd(ctx, { api, processor }, GROUPED_RATE, subscribers, plan.seconds, GROUP);
    checkDeliveries(r, `${GROUPED_RATE}/s in commits of ${GROUP} × ${subscribers}`);
    e2e.push(r);
  }

  log('sustained processing: batched writers, then single-row commits');
  const sustained = [await throughput(ctx, processor, 'batched', plan.batched), await throughput(ctx, processor, 'single-row', plan.single)];

  log(`catch-up after a ${plan.backlog}-event backlog`);
  processor.process.kill('SIGTERM');
  await new Promise((r) => processor.process.once('exit', r));
  const backlog = await catchUp(ctx, plan.backlog, env);

  let read: unknown = null;
  if (!values['skip-read']) {
    log('read API: typical queries against { __typename } (bench/read-api.ts)');
    await run(process.execPath, ['--import', 'tsx', 'bench/read-api.ts'], {
      env: {
        ...process.env,
        BENCH_DURATION_S: String(plan.readSeconds),
        BENCH_ROUNDS: quick ? '1' : '4',
        BENCH_RESULT_SUFFIX: quick ? '-quick' : '',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    const stem = `read-api${quick ? '-quick' : ''}`;
    read = JSON.parse(readFileSync(new URL(`./results/${stem}.json`, import.meta.url), 'utf8'));
  }

  let importResult: unknown = null;
  if (!values['skip-import']) {
    log(`import of a generated ${plan.importComments}-comment dump (bench/import.ts)`);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/import.ts', '--comments', String(plan.importComments), '--no-save'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    importResult = JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1, stdout.lastIndexOf('\n}') + 2));
  }

  let webhooks: unknown = null;
  if (!values['skip-webhooks']) {
    log('webhooks: 1,000 webhooks at 100 events/s into a local receiver (bench/webhooks.ts)');
    await run(process.execPath, ['--import', 'tsx', 'bench/webhooks.ts', ...(quick ? ['--quick'] : [])], { maxBuffer: 64 * 1024 * 1024 });
    const stem = `webhooks-audience${quick ? '-quick' : ''}`;
    webhooks = JSON.parse(readFileSync(new URL(`./results/${stem}.json`, import.meta.url), 'utf8'));
  }

  const result = {
    date: new Date().toISOString(),
    quick,
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 1e9),
      node: process.version,
      postgres: version,
      loadAverageAfter: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    settings: {
      processor: `${processorSettings()} (defaults)`,
      writers:
        'single-row commits from 8 connections (raw, end-to-end), and 10-event commits from 8 at 1,000/s (raw, end-to-end); ' +
        '1,000-row transactions from 2 (batched, backlog)',
      subscribers:
        'one unfiltered probe timing every event; of the others one in ten filtered by one of 17 countries, ' +
        'nine in ten by a user id (a mapper watching their notes); 100 subscriptions per socket; ' +
        'all but the probe in client processes at niceness 10 (standing in for clients on other machines) that speak ' +
        'graphql-transport-ws themselves and count their next frames without decoding them (the probe is a graphql-ws client)',
      seconds: plan.seconds,
      warmUp: '3 s at 1,000 events/s in 10-event commits, one subscriber, before the first scenario (not reported)',
    },
    raw,
    endToEnd: e2e,
    sustained,
    backlog,
    read,
    import: importResult,
    webhooks,
    problems,
  };
  // One file per scenario, overwritten by the next run (git keeps the earlier ones).
  const stem = `streaming${quick ? '-quick' : ''}`;
  writeFileSync(new URL(`./results/${stem}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  const markdown = renderMarkdown(result);
  writeFileSync(new URL(`./results/${stem}.md`, import.meta.url), markdown);
  process.stdout.write(markdown);
  log(`wrote bench/results/${stem}.json and .md`);
  if (!quick) {
    appendHistory(result, values.label ?? (await codeVersion()), `bench/results/${stem}.md`);
    log('added the run to bench/results/history.md');
  }
} finally {
  for (const service of services) service.kill();
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}

/** The commit under test, marked when the working tree differs from it. */
async function codeVersion(): Promise<string> {
  try {
    const { stdout: commit } = await run('git', ['rev-parse', '--short', 'HEAD']);
    const { stdout: changes } = await run('git', ['status', '--porcelain', '--untracked-files=no']);
    return `${commit.trim()}${changes.trim() ? '+changes' : ''}`;
  } catch {
    return 'unknown commit';
  }
}

if (problems.length > 0) {
  process.stderr.write(`[bench] FAILED: ${problems.join('; ')}\n`);
  process.exit(1);
}
