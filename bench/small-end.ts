// `npx tsx bench/small-end.ts [--quick] [--label NAME] [--no-save]`: the small end of the
// stream (issue 25), on a database of its own like bench/run.ts.
// - writer ratio: one writer, single-statement commits (note, comment, text) as fast as it can,
//   against the API alone (ROLE=api) and against the whole server (ROLE=all), interleaved in
//   rounds; wait events of every backend sampled meanwhile.
// - latency floor: 10 events/s from one writer, one probe subscribed to factProcessed and
//   noteEvent, from the comment's insert and from its commit's acknowledgement at the writer,
//   split into processing (insert → fact commit) and delivery.
// - public feed: 100 and 1,000 unfiltered subscribers at 1,000 single commits/s from one writer.
// Floor and feed run against the default server (ROLE=all), or with --roles split against an API
// and a processor in processes of their own.
// Writes bench/results/small-end.json and .md (small-end-quick.* with --quick) and, unless
// --quick or --no-save, a line in bench/results/history.md (its small-end table).
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import type pg from 'pg';
import { connectClient, createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { sampleUsage, spawnScript, startService, type Child, type Usage } from './streaming/processes.ts';
import { addHistoryRow, type HistoryTable } from './streaming/history.ts';
import { pendingEvents } from './streaming/scenarios.ts';
import type { LatencySummary } from './streaming/stats.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    label: { type: 'string' },
    'no-save': { type: 'boolean', default: false },
    only: { type: 'string' },
    // all: the default server, API and processor in one process; split: one process each.
    roles: { type: 'string', default: 'all' },
  },
});
const quick = values.quick;
const plan = quick
  ? { ratioRounds: 1, ratioTotal: 20_000, ratioSeconds: 3, floorSeconds: 10, feedSeconds: 3, feed: [100] }
  : { ratioRounds: 3, ratioTotal: 50_000, ratioSeconds: 6, floorSeconds: 30, feedSeconds: 8, feed: [100, 1_000] };
const only = values.only ? new Set(values.only.split(',')) : null;

const SMALL_END: HistoryTable = {
  intro: [
    '## Small end (`bench/small-end.ts`, issue 25)',
    '',
    "One line per full `bench/small-end.ts` run. Writer: one writer's single commits/s with the whole server as a share of ROLE=api (median of rounds); floor: p50 / p99 ms at 10 events/s from the comment's insert (from commit: from the writer's commit acknowledgement, in runs that timed it); feed: writer rate and factProcessed p99 at 100 and 1,000 unfiltered subscribers.",
  ],
  header: '| date (UTC) | run | load | writer ratio (api, all) | floor factProcessed | floor noteEvent | feed 100 | feed 1,000 | problems |',
  separator: '|---|---|---|---|---|---|---|---|---|',
};
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (message: string) => process.stderr.write(`[small-end] ${message}\n`);
const problems: string[] = [];

interface WriterResult {
  sent: number;
  seconds: number;
  firstNote: number;
  lastNote: number;
}

let nextNote = 1;
function writer(url: string, rate: number, total: number, options: { maxSeconds?: number; acks?: string } = {}): Child {
  const first = nextNote;
  nextNote += total + 1;
  return spawnScript('bench/streaming/writer.ts', [
    '--url', url, '--rate', String(rate), '--total', String(total), '--batch', '1', '--connections', '1', '--first', String(first),
    ...(options.maxSeconds ? ['--max-seconds', String(options.maxSeconds)] : []),
    ...(options.acks ? ['--acks', options.acks] : []),
  ]);
}

async function drained(pool: pg.Pool, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await pendingEvents(pool)) > 0) {
    if (Date.now() > end) throw new Error('the processor did not catch up in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopService(service: Child): Promise<void> {
  service.process.kill('SIGTERM');
  await new Promise((r) => (service.process.exitCode !== null ? r(null) : service.process.once('exit', r)));
}

/** Counts wait events per backend kind (by application name) every 10 ms until stop(). */
function sampleWaits(pool: pg.Pool, database: string): { stop(): Promise<Record<string, Record<string, number>>> } {
  const counts: Record<string, Record<string, number>> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 10));
      const { rows } = await pool.query<{ app: string; wait: string }>(
        `SELECT application_name AS app, coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait
         FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
        [database],
      );
      for (const { app, wait } of rows) {
        const byWait = (counts[app] ??= {});
        byWait[wait] = (byWait[wait] ?? 0) + 1;
      }
    }
  })().catch((error: unknown) => log(`wait sampling stopped: ${String(error)}`));
  return {
    stop: async () => {
      running = false;
      await loop;
      return counts;
    },
  };
}

/** Commits in the database and WAL syncs of the server (every database: other users count too). */
async function counters(pool: pg.Pool, database: string): Promise<{ commits: number; walSyncs: number; walRecords: number }> {
  const { rows } = await pool.query(
    `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = $1)::float8 AS commits,
            (SELECT wal_sync FROM pg_stat_wal)::float8 AS "walSyncs", (SELECT wal_records FROM pg_stat_wal)::float8 AS "walRecords"`,
    [database],
  );
  return rows[0];
}

/** Batches committed since `since` (by this database's processors) and their mean size. */
async function batchesSince(pool: pg.Pool, since: Date): Promise<{ batches: number; eventsPerBatch: number }> {
  const { rows } = await pool.query<{ n: number; events: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(events), 0)::int AS events FROM streaming.batches WHERE committed_at >= $1`,
    [since],
  );
  const { n, events } = rows[0]!;
  return { batches: n, eventsPerBatch: n ? Math.round((events / n) * 10) / 10 : 0 };
}

interface RatioRound {
  server: 'api' | 'all';
  rate: number;
  sent: number;
  commitsPerSecond: number;
  walSyncsPerSecond: number;
  waits: Record<string, Record<string, number>>;
  server_: Usage;
  batches: number;
  eventsPerBatch: number;
}

async function writerRatio(url: string, database: string, pool: pg.Pool, env: Record<string, string>) {
  const rounds: RatioRound[] = [];
  for (let round = 0; round < plan.ratioRounds; round++) {
    for (const role of ['api', 'all'] as const) {
      const service = await startService({ ...env, ROLE: role });
      if (role === 'all') {
        await new Promise((r) => setTimeout(r, 1000));
        await drained(pool);
      }
      const usage = sampleUsage(service.process.pid!);
      const before = await counters(pool, database);
      const waits = sampleWaits(pool, database);
      const startedAt = new Date();
      const started = performance.now();
      const written = await writer(url, 10_000_000, plan.ratioTotal, { maxSeconds: plan.ratioSeconds }).result<WriterResult>();
      const seconds = (performance.now() - started) / 1000;
      const waited = await waits.stop();
      const after = await counters(pool, database);
      const rate = Math.round(written.sent / written.seconds);
      if (role === 'all') await drained(pool);
      const batches = await batchesSince(pool, startedAt);
      rounds.push({
        ...batches,
        server: role,
        rate,
        sent: written.sent,
        commitsPerSecond: Math.round((after.commits - before.commits) / seconds),
        walSyncsPerSecond: Math.round((after.walSyncs - before.walSyncs) / seconds),
        waits: waited,
        server_: usage.stop(),
      });
      log(`  round ${round + 1}, ROLE=${role}: ${rate} commits/s`);
      await stopService(service);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const api = rounds.filter((r) => r.server === 'api').map((r) => r.rate);
  const all = rounds.filter((r) => r.server === 'all').map((r) => r.rate);
  const ratios = rounds.filter((r) => r.server === 'all').map((r, k) => Math.round((r.rate / api[k]!) * 100) / 100);
  return { rounds, apiMedian: median(api), allMedian: median(all), ratios, ratioMedian: median(ratios) };
}

interface ProbeResult {
  probeEvents: number;
  probeOrdered: boolean;
  latency: LatencySummary;
  processing: LatencySummary;
  delivery: LatencySummary;
  noteEvent?: { received: number; latency: LatencySummary; delivery: LatencySummary };
  /** From each commit's acknowledgement at the writer (the floor only). */
  fromCommit?: { factProcessed: LatencySummary; noteEvent: LatencySummary };
}

async function latencyFloor(url: string, pool: pg.Pool, services: { api: Child & { url: string | null } }) {
  const rate = 10;
  // BENCH_TIMELINE_DIR: the probe also writes each event's timestamps there (see subscribers.ts).
  const timeline = process.env.BENCH_TIMELINE_DIR ? ['--timeline', `${process.env.BENCH_TIMELINE_DIR}/floor.json`] : [];
  // The writer's commit acknowledgements, for latency from the commit as the writer saw it (the
  // latency above starts at the comment's insert, inside the writer's statement and before its
  // commit's WAL flush).
  const acks = join(tmpdir(), `small-end-acks-${process.pid}.json`);
  const probe = spawnScript('bench/streaming/subscribers.ts', ['--url', services.api.url!, '--count', '1', '--probe', '--note-events', '--acks', acks, ...timeline]);
  await probe.line(/^ready/);
  await new Promise((r) => setTimeout(r, 500));
  const startedAt = new Date();
  const written = await writer(url, rate, rate * plan.floorSeconds, { acks }).result<WriterResult>();
  await drained(pool);
  await probe.line(new RegExp(`^progress ${written.sent}$`), 30_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 300));
  const heard = await probe.finish<ProbeResult>();
  rmSync(acks, { force: true });
  if (heard.probeEvents !== written.sent || !heard.probeOrdered) problems.push(`latency floor: factProcessed ${heard.probeEvents} of ${written.sent}`);
  if (heard.noteEvent?.received !== written.sent) problems.push(`latency floor: noteEvent ${heard.noteEvent?.received} of ${written.sent}`);
  return { rate, sent: written.sent, ...heard, ...(await batchesSince(pool, startedAt)) };
}

/** Eight writers of single commits as fast as they go (bench/run.ts's single-row mode), the processor following. */
async function singleRow(url: string, pool: pg.Pool) {
  const first = nextNote;
  nextNote += 1_000_000;
  const startedAt = new Date();
  const started = performance.now();
  const child = spawnScript('bench/streaming/writer.ts', [
    '--url', url, '--rate', '10000000', '--total', '999999', '--batch', '1', '--connections', '8', '--first', String(first), '--max-seconds', String(plan.feedSeconds),
  ]);
  const written = await child.result<WriterResult>();
  await drained(pool);
  const seconds = (performance.now() - started) / 1000;
  return { sent: written.sent, insertRate: Math.round(written.sent / written.seconds), processedRate: Math.round(written.sent / seconds), ...(await batchesSince(pool, startedAt)) };
}

async function publicFeed(url: string, pool: pg.Pool, services: { api: Child & { url: string | null }; processor: Child | null }, subscribers: number) {
  const rate = 1000;
  const probe = spawnScript('bench/streaming/subscribers.ts', ['--url', services.api.url!, '--count', '1', '--probe', '--note-events']);
  const rest = subscribers - 1;
  const crowd = spawnScript('bench/streaming/crowd.ts', ['--url', services.api.url!, '--count', String(rest), '--sockets', String(Math.ceil(rest / 100)), '--unfiltered']);
  await Promise.all([probe.line(/^ready/), crowd.line(/^ready/)]);
  await new Promise((r) => setTimeout(r, 1000));
  const apiUsage = sampleUsage(services.api.process.pid!);
  const processorUsage = services.processor && sampleUsage(services.processor.process.pid!);
  const startedAt = new Date();
  const written = await writer(url, rate, rate * plan.feedSeconds, { maxSeconds: plan.feedSeconds }).result<WriterResult>();
  await drained(pool);
  const batches = await batchesSince(pool, startedAt);
  await probe.line(new RegExp(`^progress ${written.sent}$`), 60_000).catch(() => undefined);
  const due = written.sent * rest;
  await crowd.line(new RegExp(`^received ${due}$`), 60_000).catch(() => undefined);
  const heard = await probe.finish<ProbeResult>();
  const others = await crowd.finish<{ received: number; errors: number }>();
  if (heard.probeEvents !== written.sent || !heard.probeOrdered) problems.push(`public feed ${subscribers}: probe ${heard.probeEvents} of ${written.sent}`);
  if (others.received !== due) problems.push(`public feed ${subscribers}: crowd ${others.received} of ${due}`);
  return {
    ...heard,
    subscribers,
    rate,
    achievedRate: Math.round(written.sent / written.seconds),
    sent: written.sent,
    delivered: others.received + heard.probeEvents,
    due: due + written.sent,
    ...batches,
    api: apiUsage.stop(),
    processor: processorUsage ? processorUsage.stop() : null,
  };
}

const admin = await connectClient(SERVER, 'bench admin');
const database = `bench_small_${Date.now()}`;
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(SERVER);
url.pathname = `/${database}`;
const databaseUrl = url.toString();
const pool = createDatabase(databaseUrl, { poolSize: 2, applicationName: 'bench' }).pool;
const services: Child[] = [];
const loadBefore = loadavg().map((l) => Math.round(l * 100) / 100);
try {
  await migrateDatabase(databaseUrl);
  const env = { DATABASE_URL: databaseUrl, SWEEP_INTERVAL_SECONDS: '0' };
  const result: Record<string, unknown> = { date: new Date().toISOString(), quick, code: codeVersion(), loadAverageBefore: loadBefore };
  if (!only || only.has('ratio')) {
    log('writer ratio: one writer, ROLE=api against ROLE=all, interleaved');
    result.writerRatio = await writerRatio(databaseUrl, database, pool, env);
  }
  result.roles = values.roles;
  const processor = values.roles === 'split' ? await startService({ ...env, ROLE: 'processor' }) : null;
  const api = await startService({ ...env, ROLE: values.roles === 'split' ? 'api' : 'all' });
  services.push(api, ...(processor ? [processor] : []));
  // Warm-up, not reported: first plans and connections.
  await writer(databaseUrl, 200, 400).result();
  await drained(pool);
  if (!only || only.has('floor')) {
    log('latency floor: 10 events/s, one subscriber (factProcessed and noteEvent)');
    result.latencyFloor = await latencyFloor(databaseUrl, pool, { api });
  }
  if (only?.has('single')) {
    log('single-row mode: eight writers of single commits as fast as they go');
    result.singleRow = [await singleRow(databaseUrl, pool), await singleRow(databaseUrl, pool)];
  }
  if (!only || only.has('feed')) {
    const feeds = [];
    for (const n of plan.feed) {
      log(`public feed: ${n} unfiltered subscribers, 1,000 single commits/s from one writer`);
      feeds.push(await publicFeed(databaseUrl, pool, { api, processor }, n));
    }
    result.publicFeed = feeds;
  }
  result.loadAverageAfter = loadavg().map((l) => Math.round(l * 100) / 100);
  result.problems = problems;
  const stem = `small-end${quick ? '-quick' : ''}`;
  const markdown = render(result);
  if (!values['no-save']) {
    writeFileSync(new URL(`./results/${stem}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL(`./results/${stem}.md`, import.meta.url), markdown);
    if (!quick) appendSmallEndHistory(result, values.label);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stderr.write(markdown);
} finally {
  for (const service of services) service.kill();
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}
if (problems.length > 0) {
  log(`FAILED: ${problems.join('; ')}`);
  process.exit(1);
}

function codeVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const changes = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return `${commit}${changes ? '+changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ms(s: LatencySummary | undefined): string {
  return s ? `p50 ${s.p50} / p99 ${s.p99} ms` : '–';
}

function render(r: Any): string {
  const lines = [`# Small end (issue 25): ${r.date.slice(0, 16)} UTC, code ${r.code}`, '', `Load average before ${r.loadAverageBefore.join(' ')}, after ${r.loadAverageAfter?.join(' ')} (2 cores, shared).`, ''];
  if (r.writerRatio) {
    const w = r.writerRatio;
    lines.push('## Writer ratio (one writer, single-statement commits)', '', '| round | server | commits/s | database commits/s | WAL syncs/s (server) | batches (events each) | top waits (writer; processor) |', '|---|---|---:|---:|---:|---:|---|');
    w.rounds.forEach((x: Any, i: number) => {
      const top = (app: string) =>
        Object.entries((x.waits[app] ?? {}) as Record<string, number>)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
      const processorApps = Object.keys(x.waits).filter((a) => a !== 'bench writer' && a !== 'bench');
      lines.push(`| ${Math.floor(i / 2) + 1} | ${x.server} | ${x.rate} | ${x.commitsPerSecond} | ${x.walSyncsPerSecond} | ${x.server === 'all' ? `${x.batches} (${x.eventsPerBatch})` : '–'} | ${top('bench writer')}; ${processorApps.map(top).join(' ')} |`);
    });
    lines.push('', `Median ROLE=api ${w.apiMedian}/s, ROLE=all ${w.allMedian}/s; ratio per round ${w.ratios.join(', ')} (median ${w.ratioMedian}; target >= 0.8).`, '');
  }
  if (r.latencyFloor) {
    const f = r.latencyFloor;
    lines.push(
      `## Latency floor (10 events/s, one subscriber; ${r.roles === 'split' ? 'API and processor in processes of their own' : 'the default server, ROLE=all'})`,
      '',
      '| subscription | insert → client | commit acknowledged → client | processing (insert → fact commit) | delivery (fact commit → client) |',
      '|---|---|---|---|---|',
      `| factProcessed | ${ms(f.latency)} | ${ms(f.fromCommit?.factProcessed)} | ${ms(f.processing)} | ${ms(f.delivery)} |`,
      `| noteEvent | ${ms(f.noteEvent?.latency)} | ${ms(f.fromCommit?.noteEvent)} | (same) | ${ms(f.noteEvent?.delivery)} |`,
      '',
      `${f.sent} events in ${f.batches} batches; target p50 <= 5 ms, p99 <= 15 ms. Insert: the comment's insert time (clock_timestamp() in the writer's statement, before its commit); commit acknowledged: when the writer got its commit's answer.`,
      '',
    );
  }
  if (r.publicFeed) {
    lines.push('## Public feed (unfiltered subscribers, one writer asking 1,000 commits/s)', '', '| subscribers | writer reached | factProcessed | noteEvent | delivered | batches (events each) | API CPU s | processor CPU s |', '|---:|---:|---|---|---:|---:|---:|---:|');
    for (const p of r.publicFeed) {
      lines.push(`| ${p.subscribers} | ${p.achievedRate}/s | ${ms(p.latency)} (processing ${ms(p.processing)}) | ${ms(p.noteEvent?.latency)} | ${p.delivered} of ${p.due} | ${p.batches} (${p.eventsPerBatch}) | ${p.api.cpuSeconds} | ${p.processor?.cpuSeconds ?? '(same process)'} |`);
    }
    lines.push('', 'Targets: writer >= 900/s, p99 <= 50 ms at 100 subscribers, p99 <= 100 ms at 1,000; nothing lost.', '');
  }
  if (r.singleRow) {
    lines.push('## Single-row mode (eight writers, single commits, as fast as they go)', '', '| run | inserted/s | processed/s | batches (events each) |', '|---:|---:|---:|---:|');
    r.singleRow.forEach((x: Any, i: number) => lines.push(`| ${i + 1} | ${x.insertRate} | ${x.processedRate} | ${x.batches} (${x.eventsPerBatch}) |`));
    lines.push('');
  }
  if (r.problems.length) lines.push(`Problems: ${r.problems.join('; ')}`, '');
  return `${lines.join('\n')}\n`;
}

/** " (from commit p50 / p99)" when the run timed the floor from the writer's acknowledgements. */
function fromCommit(s: LatencySummary | undefined): string {
  return s ? ` (from commit ${s.p50} / ${s.p99})` : '';
}

function appendSmallEndHistory(r: Any, label: string | undefined): void {
  const w = r.writerRatio;
  const f = r.latencyFloor;
  const feed = (n: number) => {
    const p = (r.publicFeed ?? []).find((x: Any) => x.subscribers === n);
    return p ? `${p.achievedRate}/s, p99 ${p.latency.p99} ms` : '–';
  };
  const cells = [
    r.date.slice(0, 16).replace('T', ' '),
    `${label ? `${label}, ` : ''}code ${r.code}`,
    r.loadAverageBefore[0],
    w ? `${w.ratioMedian} (${w.apiMedian}, ${w.allMedian})` : '–',
    f ? `${f.latency.p50} / ${f.latency.p99}${fromCommit(f.fromCommit?.factProcessed)}` : '–',
    f?.noteEvent ? `${f.noteEvent.latency.p50} / ${f.noteEvent.latency.p99}${fromCommit(f.fromCommit?.noteEvent)}` : '–',
    feed(100),
    feed(1000),
    String(r.problems.length),
  ];
  addHistoryRow(SMALL_END, `| ${cells.join(' | ')} |`);
}
