// Each alert rule against the real thing it watches, evaluated by the server's evaluator over
// the test database: hold times (PENDING, then FIRING), a processor's LISTEN connection cut by a
// proxy, poison events that fail and are dead-lettered, and an OSM API poller that meets 5xx
// answers and rate limits while the notes it stores are old. /metrics serves the same figures.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertEvaluator, type AlertState } from '../src/alerts/evaluator.ts';
import { registerAlertMetrics } from '../src/alerts/metrics.ts';
import { startPoller } from '../src/ingest/poll-daemon.ts';
import { readPollHealth } from '../src/ingest/poll-health.ts';
import { Processor } from '../src/streaming/processor/processor.ts';
import { readFileSync } from 'node:fs';
import { FakeApi } from './fixtures/ingest/api-server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startProcessor } from './helpers/processor.ts';
import { testConfig } from './helpers/server.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
const log = pino({ level: 'silent' });
const evaluators: AlertEvaluator[] = [];

function evaluator(env: Record<string, string>): AlertEvaluator {
  const created = new AlertEvaluator({ pool: testDb.database.pool, config: testConfig(env), log });
  evaluators.push(created);
  return created;
}

function stateOf(alerts: AlertEvaluator, rule: string): AlertState {
  return alerts.current().find((s) => s.rule.name === rule)!;
}

/** Evaluates until `rule` is in `status` (the figures come from processes that run on their own). */
async function evaluateUntil(alerts: AlertEvaluator, rule: string, status: AlertState['status'], timeoutMs = 15_000) {
  return eventually(
    async () => {
      await alerts.evaluate();
      const state = stateOf(alerts, rule);
      return state.status === status ? state : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `${rule} to be ${status}` },
  );
}

beforeEach(async () => {
  await testDb.database.pool.query('TRUNCATE streaming.events, streaming.sync_state');
});

afterAll(async () => {
  for (const e of evaluators) await e.stop();
});

describe('hold time', () => {
  it('makes a rule PENDING while its condition holds, FIRING once it held long enough, INACTIVE after', async () => {
    const alerts = evaluator({ ALERT_BACKLOG_EVENTS: '2', ALERT_BACKLOG_FOR_SECONDS: '1' });
    await alerts.evaluate();
    expect(stateOf(alerts, 'StreamingBacklogHigh')).toMatchObject({ status: 'inactive', value: 0, activeAt: null });
    // Events waiting for a retry an hour from now: nothing takes them, and no processor runs here.
    await testDb.database.pool.query(
      `INSERT INTO streaming.events (kind, note_id, available_at) SELECT 'reprocess', 1, now() + interval '1 hour' FROM generate_series(1, 3)`,
    );
    await alerts.evaluate();
    const pending = stateOf(alerts, 'StreamingBacklogHigh');
    expect(pending).toMatchObject({ status: 'pending', value: 3, summary: '3 events wait in the outbox (threshold 2)' });
    expect(pending.activeAt).toEqual(pending.since);

    const firing = await evaluateUntil(alerts, 'StreamingBacklogHigh', 'firing');
    expect(firing.activeAt).toEqual(pending.activeAt);
    expect(firing.since.getTime() - firing.activeAt!.getTime()).toBeGreaterThanOrEqual(1000);

    await testDb.database.pool.query('DELETE FROM streaming.events');
    await alerts.evaluate();
    expect(stateOf(alerts, 'StreamingBacklogHigh')).toMatchObject({ status: 'inactive', value: 0, activeAt: null });
    expect(stateOf(alerts, 'StreamingBacklogHigh').since.getTime()).toBeGreaterThan(firing.since.getTime());
  });

  it('with the default hold time (60 s) a backlog over the default threshold is only PENDING', async () => {
    const alerts = evaluator({});
    await testDb.database.pool.query(
      `INSERT INTO streaming.events (kind, note_id, available_at) SELECT 'reprocess', 1, now() + interval '1 hour' FROM generate_series(1, 101)`,
    );
    await alerts.evaluate();
    expect(stateOf(alerts, 'StreamingBacklogHigh')).toMatchObject({ status: 'pending', value: 101 });
    expect(stateOf(alerts, 'StreamingLagHigh').status).toBe('inactive');
  });
});

describe('streaming rules', () => {
  it('StreamingListenerDown fires while a processor cannot reach its LISTEN connection, and resolves', async () => {
    const proxy = await startTcpProxy(testDb.url);
    const config = testConfig({ PROCESSOR_BATCH_WAIT_MS: '0' });
    // The LISTEN connection goes through the proxy; the heartbeat (the pool) does not.
    const processor = new Processor({ url: proxy.url, pool: testDb.database.pool, config, log });
    await processor.start();
    const alerts = evaluator({ ALERT_LISTENER_DOWN_SECONDS: '1' });
    try {
      await alerts.evaluate();
      expect(stateOf(alerts, 'StreamingListenerDown')).toMatchObject({ status: 'inactive', value: 0 });
      proxy.cut();
      const firing = await evaluateUntil(alerts, 'StreamingListenerDown', 'firing');
      expect(firing.value).toBeGreaterThan(1);
      proxy.open();
      await evaluateUntil(alerts, 'StreamingListenerDown', 'inactive');
    } finally {
      await processor.stop();
      await proxy.close();
    }
  });

  it('StreamingErrorRateHigh and DeadLettersGrowing fire when events fail and are dead-lettered', async () => {
    const processor = await startProcessor(testDb, { PROCESSOR_MAX_ATTEMPTS: '2', PROCESSOR_RETRY_BASE_MS: '1' });
    const alerts = evaluator({ ALERT_ERROR_RATE_FOR_SECONDS: '0' });
    try {
      await alerts.evaluate();
      expect(stateOf(alerts, 'DeadLettersGrowing')).toMatchObject({ status: 'inactive', value: 0 });
      expect(stateOf(alerts, 'StreamingErrorRateHigh')).toMatchObject({ status: 'inactive', value: 0 });
      // An event of a kind the micro-ETL does not know fails every time.
      await testDb.database.pool.query(`INSERT INTO streaming.events (kind, note_id) VALUES ('teleported', 1)`);
      const dead = await evaluateUntil(alerts, 'DeadLettersGrowing', 'firing');
      expect(dead.value).toBe(1);
      expect(dead.summary).toBe('1 events were dead-lettered in the last 60 min (threshold 0)');
      // The failures reach the heartbeat within its period (2 s).
      const errors = await evaluateUntil(alerts, 'StreamingErrorRateHigh', 'firing');
      expect(errors.value).toBe(1); // two failures, nothing processed
    } finally {
      await processor.stop();
    }
  });
});

describe('ingestion rules', () => {
  const page = readFileSync(new URL('./fixtures/ingest/api-page-1.xml', import.meta.url), 'utf8');

  it('follow the poller: 5xx answers, rate limits, low success and old notes while it runs', async () => {
    const api = await FakeApi.start();
    // One 5xx, a 429 and a 509 (OSM's bandwidth limit), then stored answers holding notes of 2024.
    api.queue = [
      { status: 503, body: 'down' },
      { status: 429, body: 'slow down' },
      { status: 509, body: 'bandwidth exceeded' },
    ];
    api.fallback = { body: page };
    const alerts = evaluator({});
    const metrics = new Registry();
    registerAlertMetrics(metrics, alerts);
    await alerts.evaluate();
    for (const rule of ['NotesStale', 'PollerSuccessLow', 'OsmApiServerErrors', 'OsmApiRateLimited']) {
      expect(stateOf(alerts, rule)).toMatchObject({ status: 'inactive', value: null });
    }
    const poller = startPoller({
      pool: testDb.database.pool,
      apiUrl: api.url,
      since: '2024-02-01T00:00:00Z',
      intervalMs: 60_000,
      backoff: { baseMs: 5, maxMs: 20 },
      log,
    });
    try {
      await eventually(async () => (await readPollHealth(testDb.database.pool))?.totals.ok === 1, {
        what: 'the poller to store an answer',
      });
      await alerts.evaluate();
      expect(stateOf(alerts, 'OsmApiServerErrors')).toMatchObject({ status: 'firing', value: 1 });
      expect(stateOf(alerts, 'OsmApiRateLimited')).toMatchObject({ status: 'firing', value: 2 });
      expect(stateOf(alerts, 'PollerSuccessLow')).toMatchObject({ status: 'firing', value: 0.25 });
      expect(stateOf(alerts, 'PollerSuccessLow').summary).toBe('25 % of OSM API polls succeeded in the last 60 min (threshold 95 %)');
      const stale = stateOf(alerts, 'NotesStale');
      expect(stale.status).toBe('firing');
      expect(stale.value).toBeGreaterThan(365 * 86_400); // the fixture's notes are from 2024

      const text = await metrics.metrics();
      expect(text).toContain('notes_stream_poller_polls_total{outcome="ok"} 1');
      expect(text).toContain('notes_stream_poller_polls_total{outcome="server_error"} 1');
      expect(text).toContain('notes_stream_poller_polls_total{outcome="rate_limited"} 2');
      expect(text).toContain('notes_stream_osm_api_error_answers{class="rate_limited"} 2');
      expect(text).toContain('notes_stream_poller_running 1');
      expect(text).toContain('notes_stream_poller_success_ratio 0.25');
    } finally {
      await poller.stop();
      await api.close();
    }
    // A stopped poller says so: old notes are no longer its failure.
    await alerts.evaluate();
    expect(stateOf(alerts, 'NotesStale').status).toBe('inactive');
    expect(await metrics.metrics()).toContain('notes_stream_poller_running 0');
  });

  it('stay INACTIVE with unknown figures before any poller ran (NaN on /metrics)', async () => {
    const alerts = evaluator({});
    const metrics = new Registry();
    registerAlertMetrics(metrics, alerts);
    await alerts.evaluate();
    expect(stateOf(alerts, 'PollerSuccessLow')).toMatchObject({ status: 'inactive', value: null });
    expect(stateOf(alerts, 'PollerSuccessLow').summary).toBe('PollerSuccessLow: no figure to compare yet (threshold 95 %)');
    const text = await metrics.metrics();
    // prom-client writes NaN as "Nan"; Prometheus reads any case.
    expect(text).toMatch(/^notes_stream_poller_success_ratio nan$/im);
    expect(text).toContain('notes_stream_poller_running 0');
  });
});
