// The response cache against a running server with ADMIN_TOKEN: mutations always run and check
// their token (never cached, no ETag), and a cached query is replayed only to callers with the
// same access, whose ETags confirm nothing for anyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startTestServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'cache-admin-secret';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const testDb = useTestDatabase();
let server: RunningServer & { realtime?: Realtime };

beforeAll(async () => {
  server = await startTestServer(testDb, { realtime: true, env: { ADMIN_TOKEN } });
});

afterAll(async () => {
  await server.stop();
});

async function post(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.text()) || '{}';
  return { status: response.status, etag: response.headers.get('etag'), body: JSON.parse(body) as Record<string, unknown> };
}

async function addDeadLetter() {
  await testDb.database.pool.query(
    `INSERT INTO streaming.events (kind, note_id, status, attempts, last_error) VALUES ('comment', 1, 'dead', 5, 'test')`,
  );
}

const RETRY = 'mutation { retryDeadLetters }';

describe('mutations and the response cache', () => {
  it('refuses a mutation without the token even right after an admin ran the same one', async () => {
    await addDeadLetter();
    const first = await post(RETRY, admin);
    expect(first.body).toEqual({ data: { retryDeadLetters: 1 } });
    expect(first.etag).toBeNull();

    const anonymous = await post(RETRY);
    expect(anonymous.body).toMatchObject({ data: null, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(anonymous.etag).toBeNull();
    const wrong = await post(RETRY, { authorization: 'Bearer not-the-token' });
    expect(wrong.body).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
  });

  it('runs an admin mutation every time it is sent', async () => {
    await addDeadLetter();
    await addDeadLetter();
    expect((await post(RETRY, admin)).body).toEqual({ data: { retryDeadLetters: 2 } });
    await addDeadLetter();
    expect((await post(RETRY, admin)).body).toEqual({ data: { retryDeadLetters: 1 } });
    expect((await post(RETRY, admin)).body).toEqual({ data: { retryDeadLetters: 0 } });
  });

  it('answers no If-None-Match of a mutation with 304', async () => {
    const answered = await post(RETRY, admin);
    expect(answered.etag).toBeNull();
    // Whatever a client sends as an ETag, the mutation runs (and is refused without the token).
    const guessed = await post(RETRY, { 'if-none-match': 'anything' });
    expect(guessed.status).not.toBe(304);
    expect(guessed.body).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
  });
});

describe('queries and the caller’s access', () => {
  const QUERY = '{ globalStats { opened } }';

  it('keys cached answers by access: an admin’s ETag confirms nothing for another caller', async () => {
    const asAdmin = await post(QUERY, admin);
    expect(asAdmin.etag).toBeTruthy();
    const asPublic = await post(QUERY);
    expect(asPublic.etag).toBeTruthy();
    expect(asPublic.etag).not.toBe(asAdmin.etag);

    // Each caller's own ETag is confirmed (the cache works) …
    expect((await post(QUERY, { ...admin, 'if-none-match': asAdmin.etag! })).status).toBe(304);
    expect((await post(QUERY, { 'if-none-match': asPublic.etag! })).status).toBe(304);
    // … another access class's is not: the query runs and answers in full.
    const crossed = await post(QUERY, { 'if-none-match': asAdmin.etag! });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toEqual({ data: { globalStats: { opened: expect.any(Number) } } });
  });
});
