import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/client.ts';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { loadNotes } from './helpers/read-api.ts';
import { recordingDatabase, type RecordedStatement } from './helpers/recording-database.ts';
import { graphql, startTestServer } from './helpers/server.ts';

// Usernames are found in any letter case (user(username:), compareUsers) and searched by prefix
// (users(search:), over the warehouse's users): migration 0009 indexes lower(username) of both
// tables. The statements the API sent are planned again over 200,000 more users, analysed, in a
// transaction that is rolled back; enable_seqscan stays on, so the planner takes the index
// because it is cheaper.
const testDb = useTestDatabase();
let server: RunningServer;
/** Statements the server sent that compare lower(username), as pg received them. */
let lookups: RecordedStatement[];
let recorded: Database;

beforeAll(async () => {
  await loadNotes(testDb, FIXTURE_NOTES);
  ({ database: recorded, statements: lookups } = recordingDatabase(testDb.url, (text) => /lower\("?(u\.|users"?\.)?"?username/.test(text)));
  server = await startTestServer(testDb, { deps: { database: recorded, readDatabase: recorded } });
});

afterAll(async () => {
  await server?.stop();
  await recorded?.close();
});

it('plans the username lookups and the prefix search the API sends on the lower(username) indexes', async () => {
  const { rows } = await testDb.database.pool.query<{ username: string }>('SELECT username FROM users ORDER BY user_id LIMIT 1');
  const name = rows[0]!.username;
  const answers = [
    await graphql(server.url, 'query($u: String!) { user(username: $u) { id } }', { u: name.toUpperCase() }),
    await graphql(server.url, 'query($u: [String!]) { compareUsers(usernames: $u) { id } }', { u: [name.toLowerCase()] }),
    await graphql(server.url, 'query($s: String) { users(search: $s) { edges { node { id } } } }', { s: name.slice(0, 3) }),
  ];
  for (const answer of answers) expect(answer.errors).toBeUndefined();
  expect(lookups).toHaveLength(3);

  const client = await testDb.database.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO users (user_id, username) SELECT 10000000 + g, 'mapper' || g FROM generate_series(1, 200000) g`);
    await client.query(`INSERT INTO dwh.dimension_users (user_id, username) SELECT user_id, username FROM users WHERE user_id > 10000000`);
    await client.query(`INSERT INTO dwh.datamart_users (dimension_user_id) SELECT dimension_user_id FROM dwh.dimension_users WHERE user_id > 10000000`);
    await client.query('ANALYZE users');
    await client.query('ANALYZE dwh.dimension_users');
    await client.query('ANALYZE dwh.datamart_users');
    for (const statement of lookups) {
      const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.text}`, statement.values);
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text, statement.text).toMatch(/users_username_lower_idx/);
      expect(text, statement.text).not.toMatch(/Seq Scan on (dimension_)?users/);
    }
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});
