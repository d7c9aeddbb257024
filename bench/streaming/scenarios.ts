import { setPriority } from 'node:os';
import type pg from 'pg';
import { expectedDeliveries } from './audience.ts';
import { sampleUsage, spawnScript, type Child, type Usage } from './processes.ts';
import type { LatencySummary } from './stats.ts';

// The crowd's client processes (every subscriber but the probe) run at a lower CPU priority.
// They stand in for clients on other machines: on this one, four processes parsing tens of
// thousands of messages a second would otherwise take four times the API's share of the two
// cores. They still have to receive every event they are due (counted at the end).
const CROWD_NICENESS = 10;

export interface Context {
  databaseUrl: string;
  pool: pg.Pool;
  /** The next free note id: every writer gets a fresh range. */
  nextNote: number;
}

interface WriterResult {
  sent: number;
  seconds: number;
  firstNote: number;
  lastNote: number;
}

function writer(ctx: Context, options: { rate: number; total: number; batch: number; connections: number }): Child {
  const first = ctx.nextNote;
  ctx.nextNote += options.total + 1;
  return spawnScript('bench/streaming/writer.ts', [
    '--url', ctx.databaseUrl, '--rate', String(options.rate), '--total', String(options.total),
    '--batch', String(options.batch), '--connections', String(options.connections), '--first', String(first),
  ]);
}

export async function pendingEvents(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM streaming.events WHERE status = 'pending'`);
  return rows[0]!.n;
}

async function drained(pool: pg.Pool, timeoutMs = 600_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await pendingEvents(pool)) > 0) {
    if (Date.now() > end) throw new Error('the processor did not catch up in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the API process reports `count` open event subscriptions, none replaying. */
async function subscriptionsLive(apiUrl: string, count: number, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const metrics = await (await fetch(new URL('/metrics', apiUrl))).text();
    const open = Number(metrics.match(/^notes_stream_subscriptions\{kind="events"\} (\d+)$/m)?.[1] ?? 0);
    const replaying = Number(metrics.match(/^notes_stream_subscriptions_replaying (\d+)$/m)?.[1] ?? 0);
    if (open >= count && replaying === 0) return;
    if (Date.now() > end) throw new Error(`only ${open} of ${count} subscriptions open (${replaying} replaying)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface RawResult {
  rate: number;
  /** Events per writer transaction (1: single-row commits). */
  commitSize: number;
  sent: number;
  /** What the writers reached (they may fall short of `rate`); absent in runs before 2026-12-07. */
  achievedRate?: number;
  received: number;
  latency: LatencySummary;
}

/** A plain pg LISTEN client on the trigger's NOTIFY: the floor for latency on this machine. */
export async function rawBaseline(ctx: Context, rate: number, seconds: number, commitSize = 1): Promise<RawResult> {
  const listener = spawnScript('bench/streaming/raw-listener.ts', [ctx.databaseUrl]);
  await listener.line(/^ready/);
  const written = await writer(ctx, { rate, total: Math.round(rate * seconds), batch: commitSize, connections: 8 }).result<WriterResult>();
  await new Promise((r) => setTimeout(r, 500));
  const heard = await listener.finish<{ received: number; latency: LatencySummary }>();
  return { rate, commitSize, sent: written.sent, achievedRate: Math.round(written.sent / written.seconds), received: heard.received, latency: heard.latency };
}

export interface EndToEndResult {
  rate: number;
  /** Events per writer transaction (1: single-row commits). */
  commitSize: number;
  achievedRate: number;
  subscribers: number;
  sent: number;
  probeReceived: number;
  probeOrdered: boolean;
  /** Deliveries to the filtered subscribers, and what their filters match among the events written. */
  filteredReceived: number;
  filteredExpected: number;
  latency: LatencySummary;
  /** The probe's latency split: comment commit → fact commit, and fact commit → client. */
  processing: LatencySummary;
  delivery: LatencySummary;
  api: Usage;
  processor: Usage;
}

interface SubscriberResult {
  subscribers: number;
  received: number;
  errors: number;
  probeEvents: number;
  probeOrdered: boolean;
  latency: LatencySummary;
  processing: LatencySummary;
  delivery: LatencySummary;
}

/**
 * Comment commit → a WebSocket client receives factProcessed, with `subscribers` live
 * subscriptions: one unfiltered probe that times every event, the rest filtered by country.
 */
export async function endToEnd(
  ctx: Context,
  services: { api: Child & { url: string | null }; processor: Child },
  rate: number,
  subscribers: number,
  seconds: number,
  commitSize = 1,
): Promise<EndToEndResult> {
  const url = services.api.url!;
  // BENCH_TIMELINE_DIR: the probe also writes each event's timestamps there (see subscribers.ts).
  const timelineDir = process.env.BENCH_TIMELINE_DIR;
  const timeline = timelineDir ? ['--timeline', `${timelineDir}/${rate}x${commitSize}-${subscribers}.json`] : [];
  const probe = spawnScript('bench/streaming/subscribers.ts', ['--url', url, '--count', '1', '--probe', ...timeline]);
  const crowd: { child: Child; count: number }[] = [];
  const rest = subscribers - 1;
  const perProcess = 2_500;
  for (let left = rest; left > 0; left -= perProcess) {
    const count = Math.min(perProcess, left);
    const child = spawnScript('bench/streaming/crowd.ts', ['--url', url, '--count', String(count), '--sockets', String(Math.ceil(count / 100))]);
    setPriority(child.process.pid!, CROWD_NICENESS);
    crowd.push({ child, count });
  }
  await Promise.all([probe, ...crowd.map((c) => c.child)].map((c) => c.line(/^ready/, 300_000)));
  // graphql-ws does not acknowledge a subscription: ask the server how many it holds.
  await subscriptionsLive(url, subscribers);
  const apiUsage = sampleUsage(services.api.process.pid!);
  const processorUsage = sampleUsage(services.processor.process.pid!);
  const written = await writer(ctx, { rate, total: Math.round(rate * seconds), batch: commitSize, connections: 8 }).result<WriterResult>();
  await drained(ctx.pool);
  // Every event must reach the probe (a fast wrong answer is not a result); give it a minute.
  await probe.line(new RegExp(`^progress ${written.sent}$`), 60_000).catch(() => undefined);
  // The filtered subscribers must each get exactly what their filter matches: wait (up to a
  // minute) for every crowd process to report its expected count.
  const byCountry = await eventsByCountry(ctx.pool, written);
  const expected = crowd.map((c) => expectedDeliveries(c.count, byCountry));
  await Promise.all(crowd.map((c, k) => c.child.line(new RegExp(`^received ${expected[k]}$`), 60_000).catch(() => undefined)));
  const api = apiUsage.stop();
  const processor = processorUsage.stop();
  const heard = await probe.finish<SubscriberResult>();
  const others = await Promise.all(crowd.map((c) => c.child.finish<{ received: number; errors: number }>()));
  return {
    rate,
    commitSize,
    achievedRate: Math.round(written.sent / written.seconds),
    subscribers,
    sent: written.sent,
    probeReceived: heard.probeEvents,
    probeOrdered: heard.probeOrdered,
    filteredReceived: others.reduce((n, o) => n + o.received, 0),
    filteredExpected: expected.reduce((n, e) => n + e, 0),
    latency: heard.latency,
    processing: heard.processing,
    delivery: heard.delivery,
    api,
    processor,
  };
}

async function eventsByCountry(pool: pg.Pool, written: WriterResult): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ iso: string; n: number }>(
    `SELECT c.iso_a2 AS iso, count(*)::int AS n FROM notes n JOIN countries c ON c.country_id = n.id_country
     WHERE n.note_id BETWEEN $1 AND $2 GROUP BY 1`,
    [written.firstNote, written.lastNote],
  );
  return new Map(rows.map((r) => [r.iso.trim(), r.n]));
}

export interface ThroughputResult {
  mode: 'batched' | 'single-row';
  sent: number;
  writeSeconds: number;
  insertRate: number;
  /** Events processed per second, from the first insert until the outbox was empty. */
  processedRate: number;
  processor: Usage;
}

/** Writers as fast as they can (1,000-row transactions, or single-row commits); the processor follows. */
export async function throughput(
  ctx: Context,
  processor: Child,
  mode: 'batched' | 'single-row',
  total: number,
): Promise<ThroughputResult> {
  const usage = sampleUsage(processor.process.pid!);
  const started = performance.now();
  const written = await writer(ctx, {
    rate: 10_000_000,
    total,
    batch: mode === 'batched' ? 1_000 : 1,
    connections: mode === 'batched' ? 2 : 8,
  }).result<WriterResult>();
  await drained(ctx.pool);
  const seconds = (performance.now() - started) / 1000;
  return {
    mode,
    sent: written.sent,
    writeSeconds: Math.round(written.seconds * 10) / 10,
    insertRate: Math.round(written.sent / written.seconds),
    processedRate: Math.round(written.sent / seconds),
    processor: usage.stop(),
  };
}

export interface CatchUpResult {
  backlog: number;
  seconds: number;
  rate: number;
  processor: Usage;
}

/**
 * A backlog written while no processor runs, then drained by a fresh processor. The rate is
 * taken from the batches' own timestamps (first claim to last commit), so process start-up
 * is not counted.
 */
export async function catchUp(ctx: Context, backlog: number, env: Record<string, string>): Promise<CatchUpResult> {
  const before = await ctx.pool.query<{ id: number }>('SELECT coalesce(max(batch_id), 0) AS id FROM streaming.batches');
  await writer(ctx, { rate: 10_000_000, total: backlog, batch: 1_000, connections: 2 }).result<WriterResult>();
  const processor = spawnScript('src/main.ts', [], { ...env, ROLE: 'processor', LOG_LEVEL: 'warn' });
  const usage = sampleUsage(processor.process.pid!);
  await drained(ctx.pool);
  const { rows } = await ctx.pool.query<{ events: number; seconds: number }>(
    `SELECT sum(events)::int AS events, extract(epoch FROM max(committed_at) - min(started_at))::float8 AS seconds
     FROM streaming.batches WHERE batch_id > $1`,
    [before.rows[0]!.id],
  );
  const { events, seconds } = rows[0]!;
  const result = { backlog: events, seconds: Math.round(seconds * 10) / 10, rate: Math.round(events / seconds), processor: usage.stop() };
  await processor.finish().catch(() => undefined);
  return result;
}
