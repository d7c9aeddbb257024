// The GraphQL-over-HTTP conformance audit of graphql-http against the running server: every
// MUST and SHOULD passes (the read API's limit plugins included).
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startTestServer } from './helpers/server.ts';

const testDb = useTestDatabase();
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer(testDb);
});

afterAll(async () => {
  await server.stop();
});

const audits = serverAudits({ url: () => server.url });

describe('graphql-http server audits', () => {
  it('cover MUST and SHOULD requirements', () => {
    expect(audits.filter((a) => a.name.startsWith('MUST')).length).toBeGreaterThan(10);
    expect(audits.filter((a) => a.name.startsWith('SHOULD')).length).toBeGreaterThan(10);
  });

  it.each(audits.filter((a) => /^(MUST|SHOULD) /.test(a.name)).map((a) => [a.name, a] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });
});
