// Every example tab GraphiQL opens with runs without errors, and with data, on the hand-written
// fixture and on the demo data `npm start` seeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_EXAMPLES } from '../src/http/graphiql.ts';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { createLogger } from '../src/log.ts';
import { seedDemoData } from '../src/ingest/demo.ts';
import { useLoadedServer } from './helpers/loaded-server.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { graphql, startTestServer } from './helpers/server.ts';

const loaded = useLoadedServer(FIXTURE_NOTES);

/** Leaves of a JSON value that are not null, empty lists or zero: proof the answer has data. */
function meaningfulLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + meaningfulLeaves(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + meaningfulLeaves(v), 0);
  return value === null || value === 0 || value === '' ? 0 : 1;
}

// Queries here; the subscription tab needs live writes and runs on a fresh `npm start` in
// first-run-examples.test.ts.
const QUERIES = GRAPHIQL_EXAMPLES.filter((e) => /^query /m.test(e.query));

describe('GraphiQL examples', () => {
  it('are several named tabs, one of them a subscription', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(6);
    for (const { query } of GRAPHIQL_EXAMPLES) expect(query).toMatch(/^(query|subscription) [A-Z]\w+ \{/m);
    expect(GRAPHIQL_EXAMPLES.filter((e) => /^subscription /m.test(e.query))).toHaveLength(1);
  });

  it.each(QUERIES.map((e) => [e.title, e.query]))('%s runs without errors and returns data', async (_title, query) => {
    const result = await graphql(loaded.server.url, query);
    expect(result.errors).toBeUndefined();
    for (const [field, value] of Object.entries(result.data!)) {
      expect(meaningfulLeaves(value), field).toBeGreaterThan(0);
    }
  });
});

describe('GraphiQL examples on the demo data', () => {
  const demoDb = useTestDatabase();
  let demoServer: RunningServer;

  beforeAll(async () => {
    const processor = await startProcessor(demoDb);
    try {
      expect((await seedDemoData(demoDb.database.pool, createLogger('silent'))).seeded).toBe(true);
      await waitForDrained(demoDb.database.pool);
    } finally {
      await processor.stop();
    }
    demoServer = await startTestServer(demoDb);
  });

  afterAll(async () => {
    await demoServer?.stop();
  });

  it.each(QUERIES.map((e) => [e.title, e.query]))('%s runs without errors and returns data', async (_title, query) => {
    const result = await graphql(demoServer.url, query);
    expect(result.errors).toBeUndefined();
    for (const [field, value] of Object.entries(result.data!)) {
      expect(meaningfulLeaves(value), field).toBeGreaterThan(0);
    }
  });
});
