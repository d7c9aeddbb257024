import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { graphql, startTestServer } from './helpers/server.ts';

type NotesPage = { notes: { edges: { node: { id: number } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };

const testDb = useTestDatabase();
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer(testDb);
  await testDb.database.pool.query(`
    INSERT INTO users (user_id, username) VALUES (7, 'mapper');
    INSERT INTO notes (note_id, latitude, longitude, created_at, id_country)
      SELECT n, 40 + n, 2, '2024-05-01T10:00:00Z', (SELECT country_id FROM countries WHERE iso_a2 = 'FR')
      FROM generate_series(101, 105) n;
    INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
      VALUES (101, 1, 'opened', '2024-05-01T10:00:00Z', 7), (101, 2, 'commented', '2024-05-02T10:00:00Z', NULL);
    INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES (101, 1, 'Bakery closed'), (101, 2, 'Confirmed');
  `);
});

afterAll(async () => {
  await server.stop();
});

describe('HTTP endpoint', () => {
  it('answers a query over POST', async () => {
    const result = await graphql(server.url, '{ __typename serverInfo { name version } }');
    expect(result).toEqual({ data: { __typename: 'Query', serverInfo: { name: 'notes-stream', version: expect.any(String) } } });
  });

  it('answers a query over GET', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves a note with its comments, and pages through notes with cursors', async () => {
    const note = await graphql(server.url, '{ note(id: 101) { id countryCode comments { sequenceAction action username text } } }');
    expect(note.data).toEqual({
      note: {
        id: 101,
        countryCode: 'FR',
        comments: [
          { sequenceAction: 1, action: 'OPENED', username: 'mapper', text: 'Bakery closed' },
          { sequenceAction: 2, action: 'COMMENTED', username: null, text: 'Confirmed' },
        ],
      },
    });
    const query = 'query($after: String) { notes(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }';
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: NotesPage } = await graphql<NotesPage>(server.url, query, { after });
      seen.push(...page.data!.notes.edges.map((e) => e.node.id));
      if (!page.data!.notes.pageInfo.hasNextPage) break;
      after = page.data!.notes.pageInfo.endCursor;
    }
    expect(seen).toEqual([101, 102, 103, 104, 105]);
  });

  it('rejects a page size over the limit with a clear error', async () => {
    const result = await graphql(server.url, '{ notes(first: 10000) { edges { cursor } } }');
    expect(result.errors?.[0]?.message).toBe('first must be between 0 and 100, got 10000');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('rejects a malformed cursor with a clear error', async () => {
    const result = await graphql(server.url, '{ notes(after: "garbage") { edges { cursor } } }');
    expect(result.errors?.[0]?.message).toMatch(/after is not a cursor of this list/);
  });
});

describe('operations endpoints', () => {
  const base = () => server.url.replace(/\/graphql$/, '');

  it('/healthz says alive', async () => {
    const response = await fetch(`${base()}/healthz`);
    expect(response.status).toBe(200);
    // yoga's health check: an empty answer, naming the server instance.
    expect(response.headers.get('x-yoga-id')).toBeTruthy();
  });

  it('/readyz checks the database and migrations', async () => {
    const response = await fetch(`${base()}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('/readyz answers 503 naming the check that fails', async () => {
    const listenerDown = await startTestServer(testDb, {
      deps: { readinessChecks: [{ name: 'processor listener', check: async () => 'LISTEN connection down; reconnecting' }] },
    });
    try {
      const response = await fetch(listenerDown.url.replace(/\/graphql$/, '/readyz'));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'not ready',
        checks: { database: 'ok', migrations: 'ok', 'processor listener': 'LISTEN connection down; reconnecting' },
      });
    } finally {
      await listenerDown.stop();
    }
  });

  it('/metrics serves Prometheus text', async () => {
    const response = await fetch(`${base()}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
  });
});

describe('GraphiQL', () => {
  it('loads from local assets, with no external script, style or font', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    const tags = html.match(/<(script|link)\b[^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) {
      const target = tag.match(/\b(?:src|href)="([^"]*)"/i)?.[1];
      if (target !== undefined) expect(target).toMatch(/^(data:|\/(?!\/)|\.)/);
    }
    expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net|esm\.sh|cdnjs\.|fonts\.googleapis\.com/);
  });
});
