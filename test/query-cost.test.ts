// One cost model, checked once before execution (src/http/limits.ts), against a running server
// with its response cache: a query under the budget runs, one over it gets HTTP 400
// QUERY_TOO_COMPLEX with its cost and the limit, introspection counts in breadth and cost, and
// no query a client can send is answered "Unexpected error." (a property test over generated
// queries near the limit). Client mistakes are logged below error level.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { getIntrospectionQuery } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startTestServer } from './helpers/server.ts';
import { wsClient } from './helpers/subscribers.ts';

const LIMIT = 5000;
const testDb = useTestDatabase();
let server: RunningServer & { realtime?: Realtime };
const logLines: { level: number; msg: string; code?: string; err?: unknown }[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as never);
      done();
    },
  });
  // With realtime, the response cache is on: it rewrites documents before they execute.
  server = await startTestServer(testDb, { realtime: true, deps: { log: pino({ level: 'debug' }, sink) } });
});

afterAll(async () => {
  await server.stop();
});

type Answer = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function post(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

const countries = (first: number, applications: number) =>
  `countries(first: ${first}) { edges { node { code stats { applications(first: ${applications}) { notesOpened } } } } }`;

describe('the cost limit', () => {
  it('runs a query the pre-execution check passes, cache or not (it failed during execution as "Unexpected error.")', async () => {
    const query = `{ a: ${countries(100, 1)} b: ${countries(100, 1)} }`;
    for (let round = 0; round < 2; round++) {
      const { status, body } = await post(query);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
    }
  });

  it('refuses a query over the budget with 400 QUERY_TOO_COMPLEX, its cost and the limit', async () => {
    const query = `{ a: ${countries(100, 1)} b: ${countries(100, 1)} c: ${countries(100, 1)} d: ${countries(100, 1)} }`;
    const { status, body } = await post(query);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: `the query would cost 5604 (each field counts once per item of the pages around it); at most ${LIMIT} is allowed: ask for fewer items or fewer fields`,
        extensions: { code: 'QUERY_TOO_COMPLEX', cost: 5604, limit: LIMIT },
      },
    ]);
  });

  it('counts page sizes given as variables', async () => {
    const page = 'countries(first: $n) { edges { node { code stats { applications(first: 1) { notesOpened } } } } }';
    const query = `query($n: Int) { a: ${page} b: ${page} c: ${page} d: ${page} }`;
    expect((await post(query, { n: 10 })).status).toBe(200);
    const refused = await post(query, { n: 100 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 5604, limit: LIMIT });
  });
});

describe('subscriptions over the WebSocket', () => {
  it('are held to the same limits before they start', async () => {
    const client = wsClient(server.url);
    try {
      const fields = Array.from({ length: 400 }, (_, i) => `f${i}: noteId`).join(' ');
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: `subscription { noteEvent { ${fields} } }` }, { next: () => {}, error: resolve, complete: () => resolve([]) });
      });
      expect(errors).toEqual([
        expect.objectContaining({
          message: 'the query selects 401 fields; at most 300 are allowed',
          extensions: { code: 'QUERY_TOO_BROAD', breadth: 401, limit: 300 },
        }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});

describe('introspection', () => {
  it("passes GraphiQL's own introspection query", async () => {
    const { status, body } = await post(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true }));
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect((body.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
  });

  it('counts aliased __schema selections in the breadth', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');
    const { status, body } = await post(`{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_BROAD', breadth: 500, limit: 300 });
  });

  it('counts what they return in the cost', async () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');
    const { status, body } = await post(`{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: LIMIT });
    expect(body.errors![0]!.extensions!.cost).toBeGreaterThan(LIMIT);
  });
});

describe('generated queries near the limit', () => {
  const page = fc.integer({ min: 0, max: 100 });
  const countryStats = fc
    .record({ first: page, applications: fc.integer({ min: 0, max: 12 }), hashtags: fc.option(fc.integer({ min: 0, max: 12 })) })
    .map(
      ({ first, applications, hashtags }) =>
        `countries(first: ${first}) { edges { node { code stats { opened applications(first: ${applications}) { notesOpened application { name } } ` +
        `${hashtags === null ? '' : `topHashtags(first: ${hashtags}) { uses hashtag { name } }`} } } } pageInfo { hasNextPage } }`,
    );
  const users = page.map((first) => `users(first: ${first}) { edges { node { id stats { opened closed } } } }`);
  const facts = page.map((first) => `facts(first: ${first}) { edges { cursor node { noteId action } } }`);
  const applications = page.map((first) => `applications(first: ${first}) { edges { node { name notesOpened } } }`);
  const root = fc.oneof(countryStats, countryStats, users, facts, applications);
  const query = fc.array(root, { minLength: 1, maxLength: 5 }).map((roots) => `{ ${roots.map((r, i) => `q${i}: ${r}`).join(' ')} }`);

  it('are answered with data or a limit error, never "Unexpected error."', async () => {
    let refused = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        // Twice: a cache miss runs the rewritten document, a hit does not run at all.
        for (let round = 0; round < 2; round++) {
          const { status, body } = await post(q);
          const codes = (body.errors ?? []).map((e) => e.extensions?.code);
          expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
          expect(body.errors?.map((e) => e.message) ?? []).not.toContain('Unexpected error.');
          if (status === 400) {
            expect(codes).toHaveLength(1);
            expect(['QUERY_TOO_COMPLEX', 'QUERY_TOO_BROAD']).toContain(codes[0]);
            if (codes[0] === 'QUERY_TOO_COMPLEX') expect(body.errors![0]!.extensions!.cost).toBeGreaterThan(LIMIT);
            if (round === 0) refused++;
          } else {
            expect(status).toBe(200);
            expect(body.errors).toBeUndefined();
            if (round === 0) answered++;
          }
        }
      }),
      { numRuns: 60, seed: 22_4 },
    );
    // The generator straddles the limit: both outcomes occur.
    expect(refused).toBeGreaterThan(5);
    expect(answered).toBeGreaterThan(5);
  });
});

describe('logging of client mistakes', () => {
  it('logs bad queries, over-budget queries, bad variables and bad arguments below error level, with their code', async () => {
    logLines.length = 0;
    await post('{ nope }');
    await post('{ countries(first: ');
    await post('query($n: Int!) { countries(first: $n) { edges { cursor } } }', { n: 'x' });
    await post('{ facts(first: 10000) { edges { cursor } } }');
    await post(`{ ${Array.from({ length: 5 }, (_, i) => `a${i}: ${countries(100, 1)}`).join(' ')} }`);
    await post('mutation { retryDeadLetters }', undefined, { 'x-forwarded-for': '203.0.113.9' });
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
    const codes = logLines.map((line) => line.code).filter(Boolean);
    expect(codes).toEqual(expect.arrayContaining(['QUERY_TOO_COMPLEX', 'BAD_USER_INPUT', 'FORBIDDEN']));
    const forbidden = logLines.find((line) => line.code === 'FORBIDDEN') as { level: number; client?: string };
    expect(forbidden.level).toBe(40);
    expect(forbidden.client).toMatch(/127\.0\.0\.1/);
  });
});
