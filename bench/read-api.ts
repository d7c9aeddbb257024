// Read-API benchmark: `npx tsx bench/read-api.ts` (PostgreSQL at BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres). Creates its own database, writes 20,000 notes /
// 60,000 comments, lets the streaming processor build facts and datamarts, starts the GraphQL
// server, and drives it from a separate process (autocannon) with a trivial query, a country
// datamart query and a facts page, all in one run. Writes bench/results/read-api[-quick].json|md.
// Profile the server side with: node --cpu-prof --import tsx bench/read-api.ts
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { loadConfig } from '../src/config.ts';
import { connectClient, createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createLogger } from '../src/log.ts';
import { buildServer } from '../src/server.ts';
import { startRealtime } from '../src/streaming/realtime/realtime.ts';
import { Processor } from '../src/streaming/processor/processor.ts';
import { writeBenchNotes } from './read-api-data.ts';
import type { LoadRequest, LoadSummary } from './read-api-load.ts';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
// Runs are interleaved (every query once per round) so that load from other work on the machine
// falls on all queries alike; each query's figure sums its rounds.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP_S = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const TARGET_RATIO = 0.5;
const READ_POOL = process.env.BENCH_READ_POOL !== '0';
// `npm run bench -- --quick` sets "-quick", so a quick run leaves the full run's results alone.
const RESULT_SUFFIX = process.env.BENCH_RESULT_SUFFIX ?? '';
const TICKS_PER_SECOND = 100; // Linux USER_HZ (getconf CLK_TCK)

const QUERIES = {
  trivial: '{ __typename }',
  country: `{ country(code: "FR") { code name stats {
    opened commented closed reopened stillOpen resolved backlog resolutionRate
    avgDaysToResolution medianDaysToResolution avgCommentLength commentsWithUrlPct applicationsUsed
    firstActionDate lastActionDate } } }`,
  facts: `{ facts(first: 20, filter: { country: "DE" }, direction: DESC) { edges { node {
    noteId sequenceAction action actionAt user { username } application { name } daysToResolution commentLength } }
    pageInfo { hasNextPage endCursor } } }`,
  countryWithSeries: `{ country(code: "FR") { code name stats {
    opened closed stillOpen backlog resolutionRate medianDaysToResolution lastYearActivity
    years { year opened closed medianDaysToResolution } topHashtags(first: 5) { hashtag { name } uses } } } }`,
  // Profile pages with the OSM-Notes-Analytics parity figures (docs/parity.md).
  countryProfile: `{ country(code: "FR") { code name stats {
    opened closed stillOpen today { opened closed } thisMonth { opened closed } thisYear { opened closed closedWithComment }
    actionMarks { action count first { noteId at } latest { noteId at } } dateStartedCreating dateStartedSolving
    daysSinceLastAction peakDays(action: OPENED, first: 5) { date count } workingHours { opening commenting closing }
    topUsers(first: 10) { rank count user { id username } } solvers: topUsers(action: CLOSED, period: THIS_YEAR, first: 10) { rank count user { id } }
    openAgeDistribution { days0To7 days8To30 days31To90 over90Days } createdLast30Days resolvedLast30Days
    newVsResolvedRatio healthScore topHashtags(action: OPENED, first: 5) { hashtag { name } uses }
    mobileApplications desktopApplications } } }`,
  userProfile: `{ user(id: 7) { username stats {
    opened commented closed today { opened closed } thisYear { opened closed }
    actionMarks { action count first { noteId at } latest { noteId at } } daysSinceLastAction
    peakDays(action: CLOSED, first: 5) { date count } workingHours { opening commenting closing }
    topCountries(first: 10) { rank count country { code } } solving: topCountries(action: CLOSED, first: 10) { rank count country { code } }
    behaviour { notesOpenedNotClosedByUser responseTimeDays mentionsGiven mentionsReceived replies collaborationScore }
    contributorType badges { id name } healthScore } } }`,
};
type Name = keyof typeof QUERIES;
// The same queries against two servers of one process and database: the default configuration
// (response cache on, fed by the LISTEN connection) and one with RESPONSE_CACHE_MB=0, so
// the uncached cost of each query stays measured.
const MODES = ['cached', 'uncached'] as const;
type Mode = (typeof MODES)[number];
interface Run {
  round: number;
  mode: Mode;
  name: Name;
  summary: LoadSummary;
  /** CPU used during the run by the server process, the database backends and the load generator. */
  cpuMs: { server: number; postgres: number | null; client: number };
}
const ORDER: Name[] = ['trivial', 'country', 'facts', 'countryWithSeries', 'countryProfile', 'userProfile'];

const run = promisify(execFile);

async function load(request: LoadRequest): Promise<LoadSummary> {
  const script = new URL('./read-api-load.ts', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, JSON.stringify(request)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadSummary;
}

/**
 * CPU time (ms) used so far by each PostgreSQL backend of the database, from /proc (a server on
 * this machine only; null elsewhere). Stat fields 14 and 15 are user and system time in ticks.
 */
async function backendCpu(client: Awaited<ReturnType<typeof connectClient>>, dbName: string): Promise<Map<number, number> | null> {
  const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) return null;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
  }
  return cpu;
}

/** CPU the backends used between two readings (a backend that started in between counts whole). */
function cpuSpent(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

async function waitForDrained(client: Awaited<ReturnType<typeof connectClient>>) {
  for (;;) {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM streaming.events WHERE status = 'pending'`);
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const dbName = `notes_bench_read_${process.pid}`;
  const admin = await connectClient(SERVER_URL, 'notes-stream bench');
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  // BENCH_KEEP_DATABASE=1 leaves the database for EXPLAIN and profiling (drop it by hand).
  const keep = process.env.BENCH_KEEP_DATABASE === '1';
  const stack: (() => Promise<unknown>)[] = [
    () => (keep ? Promise.resolve(process.stderr.write(`kept ${dbUrl}\n`)) : admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).then(() => admin.end()),
  ];
  try {
    await migrateDatabase(dbUrl);
    const config = loadConfig({ DATABASE_URL: dbUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PROCESSOR_BATCH_SIZE: '2000', PROCESSOR_BATCH_WAIT_MS: '0', RATE_LIMIT_PER_MINUTE: '0' });
    const log = createLogger(config.LOG_LEVEL);
    const client = await connectClient(dbUrl, 'notes-stream bench data');
    stack.push(() => client.end());

    let started = Date.now();
    const written = await writeBenchNotes(client);
    const writeSeconds = (Date.now() - started) / 1000;
    started = Date.now();
    const processorDb = createDatabase(dbUrl, { poolSize: 2, applicationName: 'notes-stream bench processor' });
    const processor = new Processor({ url: dbUrl, pool: processorDb.pool, config, log });
    await processor.start();
    await waitForDrained(client);
    await processor.stop();
    await processorDb.close();
    const etlSeconds = (Date.now() - started) / 1000;
    await client.query('VACUUM ANALYZE');
    const { rows: sizes } = await client.query(
      `SELECT (SELECT count(*) FROM dwh.facts)::int AS facts, (SELECT count(*) FROM dwh.datamart_countries)::int AS countries,
              (SELECT count(*) FROM dwh.datamart_users)::int AS users, current_setting('server_version') AS postgres`,
    );
    process.stderr.write(`data: ${JSON.stringify({ ...written, ...sizes[0], writeSeconds, etlSeconds })}\n`);

    const database = createDatabase(dbUrl, { poolSize: config.DB_POOL_SIZE });
    stack.push(() => database.close());
    // Analytics and lists read through a pool whose connections carry the statement timeout, as
    // app.ts builds for DATABASE_READ_URL (BENCH_READ_POOL=0: no such pool, SET LOCAL per query).
    const readDatabase = READ_POOL
      ? createDatabase(dbUrl, { poolSize: config.DB_POOL_SIZE, statementTimeoutMs: config.ANALYTICS_TIMEOUT_MS })
      : undefined;
    if (readDatabase) stack.push(() => readDatabase.close());
    const realtime = await startRealtime(dbUrl, database, config, log);
    stack.push(() => realtime.stop());
    const servers = {} as Record<Mode, { url: string }>;
    for (const mode of MODES) {
      const modeConfig = mode === 'cached' ? config : { ...config, RESPONSE_CACHE_MB: 0 };
      const server = await buildServer({ config: modeConfig, log, database, readDatabase, realtime, metrics: new Registry() }).start();
      stack.push(() => server.stop());
      servers[mode] = server;
    }

    const expected: Partial<Record<Name, string>> = {};
    for (const name of Object.keys(QUERIES) as Name[]) {
      const response = await fetch(servers.uncached.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: QUERIES[name] }),
      });
      const body = await response.text();
      if (!response.ok || body.includes('"errors"')) throw new Error(`${name} fails: ${body}`);
      expected[name] = body;
    }

    const loadBefore = loadavg();
    const request = (mode: Mode, name: Name, durationSeconds: number): LoadRequest => ({
      url: servers[mode].url, query: QUERIES[name], connections: CONNECTIONS, expectBody: expected[name], durationSeconds,
    });
    for (const mode of MODES) for (const name of ORDER) await load(request(mode, name, WARMUP_S));
    const runs: Run[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [mode, name] of MODES.flatMap((m) => ORDER.map((n) => [m, n] as const))) {
        const pgBefore = await backendCpu(client, dbName);
        const serverBefore = process.cpuUsage();
        const summary = await load(request(mode, name, DURATION_S));
        const server = process.cpuUsage(serverBefore);
        const cpuMs = {
          server: (server.user + server.system) / 1000,
          postgres: cpuSpent(pgBefore, await backendCpu(client, dbName)),
          client: summary.clientCpuMs,
        };
        process.stderr.write(`round ${round} ${mode} ${name}: ${summary.requestsPerSecond.toFixed(0)} req/s, p99 ${summary.latencyMs.p99} ms\n`);
        runs.push({ round, mode, name, summary, cpuMs });
      }
    }
    await writeResults({ written, sizes: sizes[0], writeSeconds, etlSeconds, runs, poolSize: config.DB_POOL_SIZE, loadBefore });
  } finally {
    for (const step of stack.reverse()) await step().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
  }
}

/** Figures of one server's runs, each query against the trivial query of the same server. */
function modeRows(runs: Run[], mode: Mode) {
  const of = (name: Name) => runs.filter((r) => r.name === name && r.mode === mode);
  const rate = (name: Name) => of(name).reduce((n, r) => n + r.summary.requests, 0) / (of(name).length * DURATION_S);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const baseline = rate('trivial');
  // The ratio of each round (query vs the trivial query of the same round), to show the spread.
  const roundRatios = (name: Name) =>
    of(name).map((r) => r.summary.requestsPerSecond / of('trivial').find((t) => t.round === r.round)!.summary.requestsPerSecond);
  // CPU per request (ms) of each part: a measure other work on the machine hardly changes, and
  // the rate a dedicated machine reaches once CPU-bound is inversely proportional to its total.
  const cpuPerRequest = (name: Name) => {
    const requests = of(name).reduce((n, r) => n + r.summary.requests, 0);
    const sum = (part: 'server' | 'postgres' | 'client') =>
      of(name).some((r) => r.cpuMs[part] === null) ? null : of(name).reduce((n, r) => n + r.cpuMs[part]!, 0) / requests;
    const [server, postgres, client] = [sum('server'), sum('postgres'), sum('client')];
    const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    const total = server === null || postgres === null || client === null ? null : server + postgres + client;
    return { server: round3(server), postgres: round3(postgres), client: round3(client), total: round3(total) };
  };
  const cpuRatio = (name: Name) => {
    const [mine, trivial] = [cpuPerRequest(name).total, cpuPerRequest('trivial').total];
    return mine && trivial ? Math.round((trivial / mine) * 100) / 100 : null;
  };
  return ORDER.map((name) => ({
    mode,
    name,
    requestsPerSecond: Math.round(rate(name)),
    p50Ms: median(of(name).map((r) => r.summary.latencyMs.p50)),
    p99Ms: median(of(name).map((r) => r.summary.latencyMs.p99)),
    worstP99Ms: Math.max(...of(name).map((r) => r.summary.latencyMs.p99)),
    ratioToTrivial: Math.round((rate(name) / baseline) * 100) / 100,
    roundRatios: roundRatios(name).map((x) => Math.round(x * 100) / 100),
    cpuMsPerRequest: cpuPerRequest(name),
    cpuBoundRatio: cpuRatio(name),
    failures: of(name).reduce((n, r) => n + r.summary.non2xx + r.summary.errors + r.summary.timeouts + r.summary.mismatches, 0),
  }));
}

async function writeResults(input: {
  written: { notes: number; comments: number };
  sizes: Record<string, unknown>;
  writeSeconds: number;
  etlSeconds: number;
  runs: Run[];
  poolSize: number;
  loadBefore: number[];
}) {
  const rows = MODES.flatMap((mode) => modeRows(input.runs, mode));
  const baseline = rows.find((r) => r.mode === 'cached' && r.name === 'trivial')!.requestsPerSecond;
  const date = new Date().toISOString().slice(0, 10);
  const result = {
    date,
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model, node: process.version, postgres: input.sizes.postgres },
    data: { ...input.written, ...input.sizes, writeSeconds: input.writeSeconds, etlSeconds: input.etlSeconds },
    load: {
      tool: 'autocannon (separate process)', connections: CONNECTIONS, rounds: ROUNDS, durationSeconds: DURATION_S, warmupSeconds: WARMUP_S,
      dbPoolSize: input.poolSize, readPoolWithStatementTimeout: READ_POOL, loadAverage: { before: input.loadBefore, after: loadavg() },
    },
    queries: QUERIES,
    baselineRequestsPerSecond: Math.round(baseline),
    targetRatio: TARGET_RATIO,
    runs: rows,
    detail: input.runs,
  };
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const base = new URL(`./results/read-api${RESULT_SUFFIX}`, import.meta.url).pathname;
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const verdict = (r: (typeof rows)[number]) => (r.name === 'trivial' ? '' : r.ratioToTrivial >= TARGET_RATIO ? 'meets' : 'below');
  const md = [
    `# Read API benchmark, ${date}`,
    '',
    `${result.machine.cpus} CPUs (${result.machine.cpuModel}), Node ${result.machine.node}, PostgreSQL ${String(result.machine.postgres)}.`,
    `Data: ${input.written.notes} notes, ${input.written.comments} comments → ${String(input.sizes.facts)} facts, ` +
      `${String(input.sizes.countries)} country and ${String(input.sizes.users)} user datamart rows ` +
      `(written in ${input.writeSeconds.toFixed(1)} s, processed by the streaming processor in ${input.etlSeconds.toFixed(1)} s).`,
    `Load: autocannon in a separate process, ${CONNECTIONS} connections; after ${WARMUP_S} s of warm-up per query, ` +
      `${ROUNDS} rounds of ${DURATION_S} s per query, interleaved (DB pool ${input.poolSize}` +
      `${READ_POOL ? `, plus a read pool of ${input.poolSize} whose connections carry the analytics statement timeout` : ', analytics timeout by SET LOCAL in a transaction'}). ` +
      `Machine load average (1 min) ${input.loadBefore[0]!.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after: other work shares these CPUs. ` +
      `Rates sum all rounds; p50/p99 are the median over rounds (worst p99 beside it); ` +
      `baseline = the trivial query on the same server (${Math.round(baseline)} req/s with the cache); target: at least ${TARGET_RATIO * 100} % of it. ` +
      `Two servers in one process over one database: the default configuration (response cache on: answers are kept until ` +
      `a processed batch says the warehouse changed, and nothing is processed during these runs) and RESPONSE_CACHE_MB=0 (every request executes).`,
    '',
    '| server | query | req/s | p50 ms | p99 ms (worst) | ratio to trivial | ratio per round | target | failed responses |',
    '|---|---|---:|---:|---:|---:|---|---|---:|',
    ...rows.map(
      (r) =>
        `| ${r.mode} | ${r.name} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} (${r.worstP99Ms}) | ${r.ratioToTrivial} | ` +
        `${r.roundRatios.join(', ')} | ${verdict(r)} | ${r.failures} |`,
    ),
    '',
    'CPU per request (ms), measured in the same runs (server process, its PostgreSQL backends, the load ' +
      'generator), and the ratio to the trivial query it implies once the CPUs are the limit:',
    '',
    '| server | query | server process | PostgreSQL | client | total | CPU-bound ratio |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const c = r.cpuMsPerRequest;
      return `| ${r.mode} | ${r.name} | ${c.server} | ${c.postgres ?? 'n/a'} | ${c.client} | ${c.total ?? 'n/a'} | ${r.cpuBoundRatio ?? 'n/a'} |`;
    }),
    '',
    'Queries:',
    '',
    ...Object.entries(QUERIES).map(([name, q]) => `- ${name}: \`${q.replace(/\s+/g, ' ')}\``),
    '',
  ].join('\n');
  await writeFile(`${base}.md`, md);
  process.stderr.write(`${md}\nwritten ${base}.json and .md\n`);
}

await main();
