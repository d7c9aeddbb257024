// What anyone can reach: /readyz tells a status and short reasons, never what a driver said
// (hosts, ports, users), which go to the log and to a caller with the admin token; request
// bodies and WebSocket messages over MAX_REQUEST_BYTES are refused before they are parsed.
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import WebSocket from 'ws';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db/client.ts';
import { CHECK_FAILED } from '../src/http/readiness.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startTestServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'probe-admin-secret';
const testDb = useTestDatabase();
let unreachable: Database;
let broken: RunningServer;
let healthy: RunningServer;
let closedPort: number;
const logLines: { level: number; msg: string; check?: string; detail?: string }[] = [];

beforeAll(async () => {
  // A port that was free a moment ago: connecting to it is refused.
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  unreachable = createDatabase(`postgres://warehouse_user:hunter2@127.0.0.1:${closedPort}/warehouse`);
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as never);
      done();
    },
  });
  healthy = await startTestServer(testDb, { env: { MAX_REQUEST_BYTES: String(64 * 1024) } });
  broken = await startTestServer(testDb, { env: { ADMIN_TOKEN }, deps: { database: unreachable, log: pino({ level: 'info' }, sink) } });
});

afterAll(async () => {
  await broken.stop();
  await healthy.stop();
  await unreachable.close();
});

const readyz = (headers: Record<string, string> = {}) => fetch(new URL('/readyz', broken.url), { headers });

describe('/readyz with the database down', () => {
  it('answers 503 with short reasons and nothing of the driver’s message', async () => {
    const response = await readyz();
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'not ready', checks: { database: CHECK_FAILED, migrations: CHECK_FAILED } });
    expect(text).not.toContain(String(closedPort));
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|warehouse_user/);
  });

  it('logs the details once per change, and shows them to the admin', async () => {
    await readyz();
    const warnings = logLines.filter((line) => line.msg === 'readiness check failing');
    expect(warnings.map((line) => line.check).sort()).toEqual(['database', 'migrations']);
    expect(warnings[0]!.level).toBe(40);
    expect(warnings[0]!.detail).toContain(String(closedPort));

    const asAdmin = (await (await readyz({ authorization: `Bearer ${ADMIN_TOKEN}` })).json()) as { details: Record<string, string> };
    expect(asAdmin.details.database).toContain('ECONNREFUSED');
    const wrong = (await (await readyz({ authorization: 'Bearer probe-admin-secreT' })).json()) as Record<string, unknown>;
    expect(wrong.details).toBeUndefined();
  });
});

describe('request size', () => {
  const LIMIT = 64 * 1024;
  const body = (bytes: number) => {
    const query = `{ __typename }`;
    return JSON.stringify({ query: query + ' '.repeat(bytes - query.length - 12) });
  };

  it('answers a body over MAX_REQUEST_BYTES 413 from its Content-Length', async () => {
    const over = body(LIMIT + 1);
    expect(Buffer.byteLength(over)).toBe(LIMIT + 1);
    const response = await fetch(healthy.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: over });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'REQUEST_ENTITY_TOO_LARGE',
    );
    const under = await fetch(healthy.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(LIMIT) });
    expect(await under.json()).toEqual({ data: { __typename: 'Query' }, extensions: { freshness: expect.any(Object) } });
  });

  it('counts a chunked body (no Content-Length) as it is read', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(healthy.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
      req.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('error', reject);
      const over = body(LIMIT * 4);
      for (let i = 0; i < over.length; i += 8192) req.write(over.slice(i, i + 8192));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('closes a WebSocket that sends a larger message with 1009', async () => {
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(healthy.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(LIMIT) } })));
      socket.on('close', (closeCode) => resolve(closeCode));
    });
    expect(code).toBe(1009);
  });
});
