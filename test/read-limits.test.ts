// The public API under abuse: deep queries, huge pages, analytics that run too long, bad
// arguments and internal failures each get one clear GraphQL error, and the server keeps serving.
import { Writable } from 'node:stream';
import { getIntrospectionQuery } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db/client.ts';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { loadNotes } from './helpers/read-api.ts';
import { startTestServer } from './helpers/server.ts';

const BULK_FACTS = 200_000;

const testDb = useTestDatabase();
let server: RunningServer;
let hurried: RunningServer;
let pooled: RunningServer;
let timedPool: Database;
const logLines: string[] = [];

beforeAll(async () => {
  await loadNotes(testDb, FIXTURE_NOTES);
  // Enough facts that aggregating all of them takes far longer than 10 ms (written directly:
  // the point is their number, not how they were made).
  await testDb.database.pool.query(
    `INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
       action_dimension_id_date, action_dimension_id_hour_of_week, action_dimension_id_user,
       opened_dimension_id_date, opened_dimension_id_hour_of_week, recent_opened_dimension_id_date,
       days_to_resolution, has_url, has_mention, hashtag_number, total_comments_on_note,
       total_reopenings_count, total_actions_on_note)
     SELECT 10000000 + g / 4, g % 4 + 1, c.dimension_country_id, t.at,
            (ARRAY['opened', 'commented', 'closed', 'reopened'])[g % 4 + 1]::note_event_enum,
            dwh.date_key(t.at), dwh.hour_of_week_key(t.at), u.dimension_user_id,
            dwh.date_key(t.at), dwh.hour_of_week_key(t.at), dwh.date_key(t.at),
            CASE WHEN g % 4 = 2 THEN g % 700 END, false, false, 0, 0, 0, g % 4 + 1
     FROM generate_series(0, $1::int - 1) g
     CROSS JOIN LATERAL (SELECT timestamptz '2014-01-01' + g * interval '9 minutes' AS at) t
     CROSS JOIN (SELECT min(dimension_country_id) AS dimension_country_id FROM dwh.dimension_countries) c
     CROSS JOIN (SELECT min(dimension_user_id) AS dimension_user_id FROM dwh.dimension_users) u`,
    [BULK_FACTS],
  );
  await testDb.database.pool.query('ANALYZE dwh.facts');
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = await startTestServer(testDb, { deps: { log: pino({ level: 'warn' }, sink) } });
  hurried = await startTestServer(testDb, { env: { ANALYTICS_TIMEOUT_MS: '10' } });
  // A read pool whose connections carry the timeout (as for DATABASE_READ_URL): no SET LOCAL.
  timedPool = createDatabase(testDb.url, { poolSize: 2, statementTimeoutMs: 10, applicationName: 'notes-stream test read pool' });
  pooled = await startTestServer(testDb, { env: { ANALYTICS_TIMEOUT_MS: '10' }, deps: { readDatabase: timedPool } });
});

afterAll(async () => {
  await server.stop();
  await hurried.stop();
  await pooled.stop();
  await timedPool.close();
});

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

async function stillServing(url: string) {
  const { body } = await post(url, '{ note(id: 1001) { id } globalStats { opened } }');
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({ note: { id: 1001 }, globalStats: { opened: 12 } }); // the bulk facts bypassed the datamarts
}

describe('query size limits', () => {
  it('refuses a 50-level nested query before running it', async () => {
    const nested = 'facts { note { '.repeat(25) + 'id' + ' } }'.repeat(25);
    const { status, body } = await post(server.url, `{ note(id: 1001) { ${nested} } }`);
    expect(status).toBe(400);
    // A repeated refusal (its verdict remembered) is the same answer.
    expect(await post(server.url, `{ note(id: 1001) { ${nested} } }`)).toEqual({ status, body });
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.message).toBe('the query is nested 52 levels deep; at most 12 are allowed');
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP' });
    await stillServing(server.url);
  });

  it('refuses a page of 10,000 items, naming the argument and the limit', async () => {
    const { body } = await post(server.url, '{ facts(first: 10000) { edges { node { noteId } } } }');
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'first must be between 0 and 100, got 10000',
        extensions: { code: 'BAD_USER_INPUT', argument: 'first', value: 10000 },
      }),
    ]);
    await stillServing(server.url);
  });

  it('refuses 10,000 items asked through 100 aliased pages', async () => {
    const pages = (n: number) => Array.from({ length: n }, (_, i) => `p${i}: facts(first: 100) { edges { node { noteId } } }`).join('\n');
    const hundred = await post(server.url, `{ ${pages(100)} }`);
    expect(hundred.status).toBe(400);
    expect(hundred.body.errors).toEqual([
      expect.objectContaining({
        message: 'the query selects 400 fields; at most 300 are allowed',
        extensions: { code: 'QUERY_TOO_BROAD', breadth: 400, limit: 300 },
      }),
    ]);
    // Fewer aliases stay under the breadth limit but not under the cost limit.
    const thirty = await post(server.url, `{ ${pages(30)} }`);
    expect(thirty.status).toBe(400);
    expect(thirty.body.errors).toHaveLength(1);
    expect(thirty.body.errors![0]!.message).toBe(
      'the query would cost 6030 (each field counts once per item of the pages around it); at most 5000 is allowed: ask for fewer items or fewer fields',
    );
    expect(thirty.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 6030, limit: 5000 });
    await stillServing(server.url);
  });

  it('measures page sizes given in variables', async () => {
    const query = 'query($n: Int) { notes(first: $n) { edges { node { comments { text } facts { hashtags { name } } } } } }';
    expect((await post(server.url, query, { n: 2 })).body.errors).toBeUndefined();
    expect((await post(server.url, query, { n: 100 })).body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });

  it('refuses a document of more than 4000 tokens', async () => {
    const { body } = await post(server.url, `{ ${'__typename '.repeat(5000)} }`);
    // graphql-js words it "more that"; match either spelling.
    expect(body.errors?.[0]?.message).toMatch(/^Syntax Error: Document contains more tha[nt] 4000 tokens\. Parsing aborted\.$/);
  });

  it('keeps introspection on, as GraphiQL needs it', async () => {
    const { body } = await post(server.url, getIntrospectionQuery());
    expect(body.errors).toBeUndefined();
    expect((body.data as { __schema: { types: { name: string }[] } }).__schema.types.map((t) => t.name)).toContain('Fact');
  });
});

describe('statement timeout of analytics', () => {
  const queries = [
    ['activity', '{ activity(groupBy: DAY) { total } }'],
    ['top', '{ top(dimension: USER, metric: MEDIAN_DAYS_TO_RESOLUTION) { rank } }'],
    ['resolutionTimes', '{ resolutionTimes { closes percentiles { days } } }'],
    ['busiestHours', '{ busiestHours { actions } }'],
  ];
  const servers = () => ({ 'SET LOCAL in a transaction': hurried, 'a read pool with the timeout': pooled });
  it.each(queries.flatMap(([field, query]) => ['SET LOCAL in a transaction', 'a read pool with the timeout'].map((how) => [field!, how, query!])))(
    '%s over all data with a 10 ms timeout (%s) gets ANALYTICS_TIMEOUT; the server stays up',
    async (field, how, query) => {
      const target = servers()[how as keyof ReturnType<typeof servers>];
      const { status, body } = await post(target.url, query);
      expect(status).toBe(200);
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: 'the analytics query took longer than 10 ms; narrow the filter or time range',
          path: [field],
          extensions: { code: 'ANALYTICS_TIMEOUT', timeoutMs: 10 },
        }),
      ]);
      await stillServing(target.url);
      // Connections came back clean: none is left inside a transaction, all are idle in their pools.
      const { rows } = await testDb.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      expect(rows[0]!.n).toBe(0);
      for (const pool of [timedPool.pool, testDb.database.pool]) expect(pool.waitingCount).toBe(0);
      expect(timedPool.pool.idleCount).toBe(timedPool.pool.totalCount);
    },
  );

  it('the same queries succeed with the default timeout', async () => {
    const { body } = await post(server.url, '{ activity(groupBy: YEAR) { total } busiestHours(limit: 1) { actions } }');
    expect(body.errors).toBeUndefined();
  });
});

describe('bad arguments', () => {
  const cases: [string, string, string, string][] = [
    ['unknown country code', '{ country(code: "XX") { name } }', 'code', 'unknown country code "XX"; use an ISO 3166-1 alpha-2 code such as FR, or ZZ for notes in no country'],
    ['unknown country in a filter', '{ facts(filter: { country: "France" }) { edges { cursor } } }', 'filter.country', 'unknown country code "France"; use an ISO 3166-1 alpha-2 code such as FR, or ZZ for notes in no country'],
    ['from after to', '{ facts(from: "2024-02-01T00:00:00Z", to: "2024-01-01T00:00:00Z") { edges { cursor } } }', 'from', 'from (2024-02-01T00:00:00.000Z) is after to (2024-01-01T00:00:00.000Z)'],
    ['first over the limit', '{ countries(first: 101) { edges { cursor } } }', 'first', 'first must be between 0 and 100, got 101'],
    ['backward paging', '{ notes(last: 5) { edges { cursor } } }', 'last', 'backward pagination (last/before) is not supported; use first and after'],
    ['a cursor of another list', `{ facts(after: "${Buffer.from('["note",1]').toString('base64url')}") { edges { cursor } } }`, 'after', `after is not a cursor of this list: "${Buffer.from('["note",1]').toString('base64url')}"`],
    ['both id and username', '{ user(id: 1, username: "alice") { id } }', 'username', 'give exactly one of id and username'],
    ['a negative backlog age', '{ globalStats { backlog(olderThanDays: -1) } }', 'olderThanDays', 'olderThanDays must be a number of days from 0 to 36600, got -1'],
  ];
  it.each(cases)('%s', async (_name, query, argument, message) => {
    const { body } = await post(server.url, query);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', argument } });
  });
});

describe('internal errors', () => {
  it('are masked for the client and logged with their details', async () => {
    const pool = testDb.database.pool;
    await pool.query('ALTER TABLE dwh.dimension_hashtags RENAME TO dimension_hashtags_away');
    try {
      const { body } = await post(server.url, '{ hashtags { edges { node { name } } } }');
      expect(body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      expect(JSON.stringify(body)).not.toMatch(/dimension_hashtags|relation/);
      expect(logLines.join('')).toMatch(/relation \\"dwh.dimension_hashtags\\" does not exist/);
    } finally {
      await pool.query('ALTER TABLE dwh.dimension_hashtags_away RENAME TO dimension_hashtags');
    }
    await stillServing(server.url);
  });
});
