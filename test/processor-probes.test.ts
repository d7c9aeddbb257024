import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';

// A processor that runs on its own (ROLE=processor) serves no GraphQL; with METRICS_PORT it
// answers Prometheus and probes, so its own counters and histograms can be scraped.
const testDb = useTestDatabase();
const settings = { DATABASE_URL: testDb.url, HOST: '127.0.0.1', ROLE: 'processor', DEMO_FEED: 'off', LOG_LEVEL: 'silent', PROCESSOR_BATCH_WAIT_MS: '0' };

describe('ROLE=processor with METRICS_PORT', () => {
  let app: RunningApp;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig({ ...settings, METRICS_PORT: '0' });
    app = await startApp(config, createLogger(config.LOG_LEVEL));
    base = `http://127.0.0.1:${app.metricsPort}`;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('serves the processor counters on /metrics, and they move as it processes', async () => {
    const processed = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return Number(/^notes_stream_events_processed_total (\d+)/m.exec(text)?.[1] ?? NaN);
    };
    const before = await processed();
    expect(before).not.toBeNaN();
    const notes = FIXTURE_NOTES.slice(0, 2);
    await insertNotes(testDb.database.pool, notes);
    const comments = notes.reduce((n, note) => n + note.comments.length, 0);
    await expect.poll(processed, { timeout: 10_000 }).toBe(before + comments);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^notes_stream_batch_duration_seconds_count [1-9]/m);
    expect(text).toMatch(/^notes_stream_processor_listener_connected 1$/m);
  });

  it('answers /healthz, /readyz with its checks, and 404 elsewhere', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', 'processor listener': 'ok' } });
    const other = await fetch(`${base}/graphql`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: string }).error).toMatch(/serves \/metrics, \/healthz and \/readyz/);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('ROLE=processor', () => {
  it('listens on no port without METRICS_PORT', async () => {
    const config = loadConfig(settings);
    const app = await startApp(config, createLogger(config.LOG_LEVEL));
    try {
      expect(app.metricsPort).toBeUndefined();
      expect(app.url).toBeUndefined();
    } finally {
      await app.stop();
    }
  });

  it('stops at start with one line naming METRICS_PORT when the port is taken', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const config = loadConfig({ ...settings, METRICS_PORT: String(port) });
      await expect(startApp(config, createLogger(config.LOG_LEVEL))).rejects.toThrow(
        `METRICS_PORT ${port} is already in use (on 127.0.0.1): stop what listens there, or set METRICS_PORT to a free port`,
      );
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});
