import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from './config.ts';
import { describe } from './errors.ts';
import { redact } from './config.ts';
import { createDatabase, type Database } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { openDatabaseUrl } from './db/open.ts';
import type { Logger } from './log.ts';
import { buildServer, type RunningServer } from './server.ts';
import { Processor } from './streaming/processor/processor.ts';
import { createProcessorMetrics } from './streaming/processor/metrics.ts';
import { startRealtime } from './streaming/realtime/realtime.ts';
import type { StreamHub } from './streaming/realtime/stream-hub.ts';
import { seedDemoData, startDemoFeed } from './ingest/demo.ts';
import { portError, reservePort } from './http/port-reservation.ts';
import { startProbeServer } from './http/probe-server.ts';
import { readiness, type ReadinessCheck } from './http/readiness.ts';

export interface RunningApp {
  /** The GraphQL endpoint, when this process serves the API. */
  url?: string;
  port?: number;
  databaseUrl: string;
  /** The embedded PostgreSQL this process started, when DATABASE_URL is unset. */
  embedded?: { url: string; databaseDir: string };
  processor?: Processor;
  /** Where a ROLE=processor process answers /metrics, /healthz and /readyz (METRICS_PORT). */
  metricsPort?: number;
  stop(): Promise<void>;
}

/**
 * Starts what ROLE asks for, in dependency order; stop() undoes it in reverse order and is safe
 * to call more than once.
 */
export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  const stack: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (stack.length > 0) {
      const step = stack.pop()!;
      await step().catch((error: unknown) => log.warn({ err: error }, 'error while stopping'));
    }
  };
  try {
    const serves = config.ROLE !== 'processor';
    const releasePort = serves ? await reservePort(config.HOST, config.PORT) : async () => {};
    stack.push(releasePort);
    const { url, embedded } = await openDatabaseUrl(config, log);
    if (embedded) stack.push(() => embedded.stop());
    const migrated = await migrateDatabase(url).catch((error: unknown) => {
      throw new Error(`cannot prepare the database at ${redact(url)}: ${describe(error)}`);
    });
    log.info({ database: redact(url), ...migrated }, 'database migrated');

    const database: Database = createDatabase(url, { poolSize: config.DB_POOL_SIZE });
    stack.push(() => database.close());
    // Lists and analytics read through connections that carry the statement timeout (one round
    // trip each, no SET LOCAL): a replica's when DATABASE_READ_URL is set, else the primary's.
    const readDatabase = createDatabase(config.DATABASE_READ_URL ?? url, {
      poolSize: config.DB_POOL_SIZE,
      statementTimeoutMs: config.ANALYTICS_TIMEOUT_MS,
      applicationName: 'notes-stream reads',
    });
    stack.push(() => readDatabase.close());

    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics });

    const readinessChecks: ReadinessCheck[] = [];
    let processor: Processor | undefined;
    // With ROLE=all the processor hands committed batches to this process's stream hub directly.
    let hub: StreamHub | undefined;
    if (config.ROLE !== 'api') {
      // Its own small pool: API load must not starve the processor of connections.
      const processorDb = createDatabase(url, {
        poolSize: config.PROCESSOR_CONCURRENCY + 1,
        applicationName: 'notes-stream processor',
      });
      stack.push(() => processorDb.close());
      const started = new Processor({
        url,
        pool: processorDb.pool,
        config,
        log,
        metrics: createProcessorMetrics(metrics),
        onCommitted: (batches) => hub?.handOver(batches),
      });
      await started.start();
      stack.push(() => started.stop());
      processor = started;
      readinessChecks.push({
        name: 'processor listener',
        check: async () => (started.listener.connected ? null : 'LISTEN connection down; reconnecting'),
      });
    }

    let metricsPort: number | undefined;
    if (config.ROLE === 'processor' && config.METRICS_PORT !== undefined) {
      const probes = await startProbeServer({
        host: config.HOST,
        port: config.METRICS_PORT,
        metrics,
        checks: [...readiness.databaseChecks(database), ...readinessChecks],
        log,
        config,
      });
      stack.push(() => probes.stop());
      metricsPort = probes.port;
      log.info({ port: metricsPort }, 'processor metrics and probes served (/metrics, /healthz, /readyz)');
    }

    let server: RunningServer | undefined;
    if (config.ROLE !== 'processor') {
      const realtime = await startRealtime(url, database, config, log);
      stack.push(() => realtime.stop());
      hub = realtime.stream;
      await releasePort();
      server = await buildServer({ config, log, database, readDatabase, metrics, readinessChecks, realtime })
        .start()
        .catch((error: unknown) => {
          throw portError(error, config.HOST, config.PORT);
        });
      stack.push(() => server!.stop());
    }
    // A newcomer's `npm start` (embedded database) gets a year of notes and a gentle live feed.
    if (config.DEMO_FEED === 'on' || (config.DEMO_FEED === 'auto' && embedded)) {
      await seedDemoData(database.pool, log);
      const feed = startDemoFeed(database.pool, { ratePerSecond: config.DEMO_FEED_RATE, log });
      stack.push(() => feed.stop());
      log.info({ perSecond: config.DEMO_FEED_RATE }, 'demo feed running (DEMO_FEED=off to stop it)');
    }
    return {
      url: server?.url,
      port: server?.port,
      databaseUrl: url,
      embedded: embedded && { url: embedded.url, databaseDir: embedded.databaseDir },
      processor,
      metricsPort,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
