// Webhook delivery benchmark: `npx tsx bench/webhooks.ts [--webhooks 1000] [--rate 100]
// [--seconds 30] [--mix audience|countries] [--quick]` (PostgreSQL at BENCH_DATABASE_URL).
// Creates its own database, starts the processor and the API as separate processes and a local
// receiver process, registers the webhooks (one unfiltered probe; the others as --mix says:
// `audience`, the WebSocket benchmark's subscribers, one in ten by one of the writer's 17
// countries and nine in ten by a mapper's user id, which the anonymous writer never matches;
// or `countries`, every one by a country, so each event goes to about one webhook in 17),
// writes single-row commits at the rate, and measures comment commit → receiver and fact commit → receiver, beside a WebSocket
// probe subscriber of the same events, with the CPU time of each process and of the whole
// machine (it is shared). Writes bench/results/webhooks-<mix>[-quick].json and .md; exits
// non-zero when a delivery is missing, repeated or out of order. To profile the API process:
// BENCH_API_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' (it is stopped with SIGTERM).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { connectClient, createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { COUNTRIES, watchedCountry } from './streaming/audience.ts';
import { sampleUsage, spawnScript, startService } from './streaming/processes.ts';
import type { LatencySummary } from './streaming/stats.ts';

const { values } = parseArgs({
  options: {
    webhooks: { type: 'string' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    mix: { type: 'string', default: 'audience' },
  },
});
if (values.mix !== 'audience' && values.mix !== 'countries') throw new Error('--mix must be audience or countries');
const WEBHOOKS = Number(values.webhooks ?? (values.quick ? 100 : 1000));
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds ?? (values.quick ? 5 : 30));
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = 'bench-admin-token';
const QUERY = 'subscription($filter: EventFilter) { factProcessed(filter: $filter) { cursor noteId countryCode enqueuedAt processedAt } }';
const log = (message: string) => process.stderr.write(`[bench webhooks] ${message}\n`);

/** Busy and total CPU ticks of the whole machine (/proc/stat), to see what else ran. */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + fields[4]!;
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

const admin = await connectClient(SERVER, 'bench admin');
const database = `bench_webhooks_${Date.now()}`;
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(SERVER);
url.pathname = `/${database}`;
const databaseUrl = url.toString();
const pool = createDatabase(databaseUrl, { poolSize: 2, applicationName: 'bench' }).pool;
const children: { kill(): unknown }[] = [];
let nextNote = 1;
let failed: string | null = null;

try {
  await migrateDatabase(databaseUrl);
  const env = { DATABASE_URL: databaseUrl, SWEEP_INTERVAL_SECONDS: '0' };
  const processor = await startService({ ...env, ROLE: 'processor' });
  children.push(processor);
  const receiver = spawnScript('bench/streaming/webhook-receiver.ts', []);
  children.push(receiver);
  const port = Number(/ready (\d+)/.exec(await receiver.line(/^ready \d+/))![1]);
  const api = await startService({
    ...env,
    ROLE: 'api',
    ADMIN_TOKEN: ADMIN,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_MAX_PER_OWNER: '100000',
    ...(process.env.BENCH_API_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS } : {}),
  });
  // A clean stop (SIGTERM): its leases are given up, and a profile (BENCH_API_NODE_OPTIONS) written.
  children.push({ kill: () => api.finish().catch(() => api.kill()) });
  const apiUrl = api.url!;

  log(`registering ${WEBHOOKS} webhooks`);
  const registered = performance.now();
  const countryOf = (i: number) => (i === 0 ? null : values.mix === 'countries' ? COUNTRIES[i % COUNTRIES.length]! : watchedCountry(i));
  const filterOf = (i: number) => (i === 0 ? {} : countryOf(i) ? { countries: [countryOf(i)] } : { users: [1_000_000 + i] });
  for (let i = 0; i < WEBHOOKS; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, WEBHOOKS - i) }, async (_, k) => {
        const response = await fetch(apiUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
          body: JSON.stringify({
            query: 'mutation($url: String!, $query: String!, $variables: JSONObject) { createWebhook(url: $url, query: $query, variables: $variables) { webhook { id } } }',
            variables: { url: `http://127.0.0.1:${port}/hook`, query: QUERY, variables: { filter: filterOf(i + k) } },
          }),
        });
        const body = (await response.json()) as { errors?: { message: string }[] };
        if (body.errors) throw new Error(`createWebhook: ${body.errors[0]!.message}`);
      }),
    );
  }
  const registrationSeconds = (performance.now() - registered) / 1000;
  await until(async () => {
    const metrics = await (await fetch(new URL('/metrics', apiUrl))).text();
    const delivering = Number(/^notes_stream_webhooks_delivering (\d+)$/m.exec(metrics)?.[1] ?? 0);
    const replaying = Number(/^notes_stream_subscriptions_replaying (\d+)$/m.exec(metrics)?.[1] ?? 1);
    return delivering === WEBHOOKS && replaying === 0;
  }, 'every webhook to be delivered live');

  log('warm-up: 3 s at the rate (not reported)');
  let expected = await write(3);
  await receiver.line(new RegExp(`^received ${expected}$`), 120_000);
  receiver.process.kill('SIGUSR2');
  await receiver.line(/^reset$/);
  // The baseline: a WebSocket subscriber of every event, in the same run.
  const probe = spawnScript('bench/streaming/subscribers.ts', ['--url', apiUrl, '--count', '1', '--probe']);
  children.push(probe);
  await probe.line(/^ready/);
  await until(async () => {
    const metrics = await (await fetch(new URL('/metrics', apiUrl))).text();
    return Number(/^notes_stream_subscriptions\{kind="events"\} (\d+)$/m.exec(metrics)?.[1] ?? 0) >= WEBHOOKS + 1;
  }, 'the WebSocket probe to be live');

  log(`${SECONDS} s at ${RATE} events/s`);
  const machineBefore = machineTicks();
  const usage = { api: sampleUsage(api.process.pid!), processor: sampleUsage(processor.process.pid!), receiver: sampleUsage(receiver.process.pid!) };
  const started = performance.now();
  const sent = SECONDS * RATE;
  expected = await write(SECONDS);
  const arrived = await receiver.line(new RegExp(`^received ${expected}$`), 300_000).then(
    () => true,
    () => false,
  );
  const elapsed = (performance.now() - started) / 1000;
  const machineAfter = machineTicks();
  const processes = { api: usage.api.stop(), processor: usage.processor.stop(), receiver: usage.receiver.stop() };
  await probe.line(new RegExp(`^progress ${sent}$`), 60_000).catch(() => undefined);
  const heard = await receiver.finish<{ received: number; repeats: number; outOfOrder: number; latency: LatencySummary; delivery: LatencySummary }>();
  const ws = await probe.finish<{ latency: LatencySummary; delivery: LatencySummary; probeEvents: number }>();
  const metrics = await (await fetch(new URL('/metrics', apiUrl))).text();
  const total = (name: string) =>
    [...metrics.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
  const machineBusyCores = ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * cpus().length;
  const ours = processes.api.cpuSeconds + processes.processor.cpuSeconds + processes.receiver.cpuSeconds;

  if (!arrived || heard.received !== expected || heard.repeats > 0 || heard.outOfOrder > 0) {
    failed = `received ${heard.received} of ${expected} deliveries, ${heard.repeats} repeated, ${heard.outOfOrder} out of order`;
  }
  const result = {
    date: new Date().toISOString(),
    quick: values.quick,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1e9), node: process.version, loadAverageAfter: loadavg().map((l) => Math.round(l * 100) / 100) },
    scenario: {
      webhooks: WEBHOOKS,
      filters:
        values.mix === 'countries'
          ? 'one unfiltered probe webhook; every other one factProcessed filtered by one of 17 countries (about 1 in 17 events each)'
          : 'one unfiltered probe webhook; of the others one in ten filtered by one of 17 countries, nine in ten by a user id the writer never matches (the WebSocket benchmark\'s audience)',
      rate: RATE,
      seconds: SECONDS,
      writes: 'single-row commits from 8 connections',
      settings: 'server defaults (WEBHOOK_MAX_IN_FLIGHT 64, WEBHOOK_TIMEOUT_MS 10000, SUBSCRIBER_QUEUE_LIMIT 1000); WEBHOOK_ALLOWED_HOSTS=127.0.0.1',
      registrationSeconds: Math.round(registrationSeconds * 10) / 10,
    },
    events: sent,
    deliveries: { expected, received: heard.received, repeats: heard.repeats, outOfOrder: heard.outOfOrder, perSecond: Math.round(heard.received / elapsed) },
    webhookLatency: heard.latency,
    webhookDelivery: heard.delivery,
    websocketProbe: { events: ws.probeEvents, latency: ws.latency, delivery: ws.delivery },
    serverFigures: { deliveries: total('notes_stream_webhook_deliveries_total'), failures: total('notes_stream_webhook_failures_total'), retries: total('notes_stream_webhook_retries_total') },
    cpu: { seconds: Math.round(elapsed * 10) / 10, ...processes, machineBusyCores: Math.round(machineBusyCores * 100) / 100, otherBusyCores: Math.round((machineBusyCores - ours / elapsed) * 100) / 100 },
    problems: failed ? [failed] : [],
  };
  const stem = `webhooks-${values.mix}${values.quick ? '-quick' : ''}`;
  writeFileSync(new URL(`./results/${stem}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  const markdown = report(result);
  writeFileSync(new URL(`./results/${stem}.md`, import.meta.url), markdown);
  process.stdout.write(markdown);
  log(`wrote bench/results/${stem}.json and .md`);

  /** Writes `seconds` of single-row commits; returns the deliveries they are due (probe + filtered). */
  async function write(seconds: number): Promise<number> {
    const total = seconds * RATE;
    const first = nextNote;
    nextNote += total + 1;
    const writer = spawnScript('bench/streaming/writer.ts', ['--url', databaseUrl, '--rate', String(RATE), '--total', String(total), '--batch', '1', '--connections', '8', '--first', String(first)]);
    const written = await writer.result<{ sent: number; firstNote: number; lastNote: number }>();
    const { rows } = await pool.query<{ iso: string; n: number }>(
      `SELECT c.iso_a2 AS iso, count(*)::int AS n FROM notes n JOIN countries c ON c.country_id = n.id_country
       WHERE n.note_id BETWEEN $1 AND $2 GROUP BY 1`,
      [written.firstNote, written.lastNote],
    );
    const byCountry = new Map(rows.map((r) => [r.iso.trim(), r.n]));
    let due = written.sent;
    for (let i = 1; i < WEBHOOKS; i++) due += byCountry.get(countryOf(i) ?? '') ?? 0;
    return due;
  }
} finally {
  await Promise.all(children.map((child) => child.kill()));
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}
if (failed) {
  process.stderr.write(`[bench webhooks] FAILED: ${failed}\n`);
  process.exit(1);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function report(r: {
  date: string;
  machine: { cpus: number; cpu?: string; node: string; loadAverageAfter: number[] };
  scenario: { webhooks: number; filters: string; rate: number; seconds: number; writes: string; settings: string; registrationSeconds: number };
  events: number;
  deliveries: { expected: number; received: number; repeats: number; outOfOrder: number; perSecond: number };
  webhookLatency: LatencySummary;
  webhookDelivery: LatencySummary;
  websocketProbe: { latency: LatencySummary; delivery: LatencySummary };
  serverFigures: { failures: number; retries: number };
  cpu: Record<string, unknown> & { seconds: number; machineBusyCores: number; otherBusyCores: number };
  problems: string[];
}): string {
  const row = (name: string, s: LatencySummary) => `| ${name} | ${s.count} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} |`;
  const usage = (name: string) => {
    const u = r.cpu[name] as { cpuSeconds: number; peakRssMb: number };
    return `| ${name} | ${u.cpuSeconds} | ${Math.round((u.cpuSeconds / r.cpu.seconds) * 100)} % | ${u.peakRssMb} |`;
  };
  return `# Webhook delivery benchmark ${r.date.slice(0, 10)}

${r.machine.cpus} CPUs (${r.machine.cpu}), Node ${r.machine.node}; load average after the run ${r.machine.loadAverageAfter.join(' / ')}.
The machine is shared: during the measured ${r.cpu.seconds} s it was busy ${r.cpu.machineBusyCores} cores on average, of which
${r.cpu.otherBusyCores} were processes outside this benchmark's API, processor and receiver (PostgreSQL, the writer and the
WebSocket probe count as outside too).

- ${r.scenario.webhooks} webhooks: ${r.scenario.filters}; registered in ${r.scenario.registrationSeconds} s
- ${r.scenario.rate} events/s for ${r.scenario.seconds} s (${r.events} events), ${r.scenario.writes}
- ${r.scenario.settings}

Deliveries: ${r.deliveries.received} of ${r.deliveries.expected} (${r.deliveries.perSecond}/s), ${r.deliveries.repeats} repeated, ${r.deliveries.outOfOrder} out of order;
server-side failures ${r.serverFigures.failures}, retries ${r.serverFigures.retries}.${r.problems.length ? `\n\n**Problems:** ${r.problems.join('; ')}` : ''}

| latency (ms) | count | p50 | p95 | p99 | max |
|---|---:|---:|---:|---:|---:|
${row('webhooks: comment commit → receiver', r.webhookLatency)}
${row('webhooks: fact commit → receiver', r.webhookDelivery)}
${row('WebSocket probe (baseline): comment commit → client', r.websocketProbe.latency)}
${row('WebSocket probe (baseline): fact commit → client', r.websocketProbe.delivery)}

| process | CPU s | of one core | peak RSS MB |
|---|---:|---:|---:|
${usage('api')}
${usage('processor')}
${usage('receiver')}
`;
}
