import { Registry } from 'prom-client';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { buildServer, type RunningServer, type ServerDeps } from '../../src/server.ts';
import { startRealtime, type Realtime } from '../../src/streaming/realtime/realtime.ts';
import type { TestDatabase } from './database.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...overrides });
}

/**
 * The GraphQL server on a free port over the test file's database; stop() it in afterAll.
 * With `realtime`, it also has its LISTEN connection and stream hub, for subscriptions.
 */
export async function startTestServer(
  testDb: TestDatabase,
  options: { env?: Record<string, string>; deps?: Partial<ServerDeps>; realtime?: boolean } = {},
): Promise<RunningServer & { realtime?: Realtime }> {
  const config = testConfig(options.env);
  const log = createLogger(config.LOG_LEVEL);
  const realtime = options.realtime ? await startRealtime(testDb.url, testDb.database, config, log) : undefined;
  const server = await buildServer({
    config,
    log,
    database: testDb.database,
    metrics: new Registry(),
    realtime,
    ...options.deps,
  }).start();
  return {
    ...server,
    realtime,
    stop: async () => {
      await server.stop();
      await realtime?.stop();
    },
  };
}

/** POSTs a GraphQL operation and returns the parsed JSON answer. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as never;
}
