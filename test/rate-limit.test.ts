// Per-client rate limits: the token bucket's arithmetic on a fake clock, whose budget a request
// spends, and on a real server a 1,000-request burst from one client answered with 429s and
// their headers (cached answers included) while another client is unaffected, over HTTP, for
// WebSocket connections and for operations sent over a WebSocket.
import { request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { clientAddress, clientKey, TokenBuckets } from '../src/http/rate-limit.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startTestServer } from './helpers/server.ts';

describe('TokenBuckets', () => {
  it('allows the burst, then one request per refill interval, and says when', () => {
    let now = 0;
    const buckets = new TokenBuckets(60, 3, () => now); // one token a second
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    const refused = buckets.take('a');
    expect(refused).toEqual({ allowed: false, remaining: 0, resetSeconds: 3, retryAfterSeconds: 1 });
    expect(buckets.take('b')).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 1 });
    now = 999;
    expect(buckets.take('a').allowed).toBe(false);
    now = 1000;
    expect(buckets.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    now = 60_000;
    expect(buckets.take('a')).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 1 });
    expect(buckets.windowSeconds).toBe(3);
  });
});

describe('clientKey', () => {
  const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;
  const config = { TRUST_PROXY: 0, ADMIN_TOKEN: 'admin-secret' };

  it('is the peer address; X-Forwarded-For only counts with TRUST_PROXY', () => {
    const spoofed = request('10.0.0.1', { 'x-forwarded-for': '203.0.113.9' });
    expect(clientKey(spoofed, config)).toBe('ip:10.0.0.1');
    // One trusted proxy: the last entry is what it saw; what the client wrote before it is ignored.
    const proxied = request('10.0.0.1', { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' });
    expect(clientAddress(proxied, 1)).toBe('203.0.113.9');
    expect(clientAddress(proxied, 2)).toBe('198.51.100.1');
    expect(clientAddress(request('10.0.0.1', { 'x-forwarded-for': 'not an address' }), 1)).toBe('10.0.0.1');
  });

  it('groups IPv6 addresses by /64 and reads IPv4-mapped ones as IPv4', () => {
    expect(clientKey(request('2001:db8:1:2:aaaa::1'), config)).toBe('ip:2001:db8:1:2::/64');
    expect(clientKey(request('2001:0db8:0001:0002:ffff:1:2:3'), config)).toBe('ip:2001:db8:1:2::/64');
    expect(clientKey(request('2001:db8::1'), config)).toBe('ip:2001:db8:0:0::/64');
    expect(clientKey(request('::ffff:192.0.2.4'), config)).toBe('ip:192.0.2.4');
  });

  it('gives the admin token its own budget, and ignores other tokens', () => {
    expect(clientKey(request('10.0.0.1', { authorization: 'Bearer admin-secret' }), config)).toMatch(/^admin:/);
    expect(clientKey(request('10.0.0.1', { authorization: 'Bearer made-up' }), config)).toBe('ip:10.0.0.1');
  });
});

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One request from `localAddress` (127.0.0.x: every loopback address reaches the server). */
function send(url: string, agent: Agent, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const QUERY = JSON.stringify({ query: '{ globalStats { opened closed } }' });
const post = (headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: QUERY,
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
});

/** `count` requests, at most 20 at a time. */
async function burst(count: number, one: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (started < count) {
        started++;
        answers.push(await one());
      }
    }),
  );
  return answers;
}

const testDb = useTestDatabase();

describe('a server with RATE_LIMIT_PER_MINUTE=60, RATE_LIMIT_BURST=100', () => {
  let server: RunningServer;
  const clientA = new Agent({ keepAlive: true, localAddress: '127.0.0.1' });
  const clientB = new Agent({ keepAlive: true, localAddress: '127.0.0.2' });

  beforeAll(async () => {
    // realtime: the response cache is on, so most of the burst is answered from memory.
    server = await startTestServer(testDb, { realtime: true, env: { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '100' } });
  });
  afterAll(async () => {
    clientA.destroy();
    clientB.destroy();
    await server.stop();
  });

  it('answers a 1,000-request burst from one client with 429s and headers; another client is unaffected', async () => {
    const started = Date.now();
    const answers = await burst(1000, () => send(server.url, clientA, post()));
    const seconds = (Date.now() - started) / 1000;
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok.length + limited.length).toBe(1000);
    // The burst, plus one a second refilled while it ran.
    expect(ok.length).toBeGreaterThanOrEqual(100);
    expect(ok.length).toBeLessThanOrEqual(100 + Math.ceil(seconds) + 1);
    for (const answer of ok) {
      expect(answer.headers['ratelimit-policy']).toBe('"default";q=100;w=100');
      expect(answer.headers.ratelimit).toMatch(/^"default";r=\d+;t=\d+$/);
      expect(JSON.parse(answer.body).data.globalStats).toEqual({ opened: 0, closed: 0 });
    }
    for (const answer of limited) {
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.headers['ratelimit-policy']).toBe('"default";q=100;w=100');
      expect(answer.headers.ratelimit).toMatch(/^"default";r=0;t=(99|100)$/);
      expect(JSON.parse(answer.body).errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    }
    // The cached answers counted: most of the 200s came from the cache, and the budget still ran out.
    const metrics = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
    expect(Number(/notes_stream_response_cache_lookups_total\{result="hit"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(50);
    expect(Number(/notes_stream_rate_limited_total\{kind="http"\} (\d+)/.exec(metrics)?.[1])).toBe(limited.length);

    const other = await send(server.url, clientB, post());
    expect(other.status).toBe(200);
    expect(other.headers.ratelimit).toBe('"default";r=99;t=1');

    // Probes are not limited.
    expect((await send(server.url.replace('/graphql', '/healthz'), clientA)).status).toBe(200);
  });

  it('refuses WebSocket connections of a client out of budget with 429, not those of others', async () => {
    while ((await send(server.url, clientA, post())).status !== 429); // client A drained
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { localAddress: '127.0.0.1' });
      socket.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode!);
        socket.terminate();
      });
      socket.on('open', () => reject(new Error('connected although out of budget')));
      socket.on('error', () => {});
    });
    expect(status).toBe(429);
    const opened = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { localAddress: '127.0.0.3' });
      socket.on('open', () => {
        resolve(true);
        socket.close();
      });
      socket.on('error', () => resolve(false));
    });
    expect(opened).toBe(true);
  });
});

describe('operations over a WebSocket spend the same budget', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(testDb, { realtime: true, env: { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '5' } });
  });
  afterAll(() => server.stop());

  it('answers operations past the budget with RATE_LIMITED errors', async () => {
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { localAddress: '127.0.0.4' });
    const messages: { id?: string; type: string; payload?: unknown }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    for (const deadline = Date.now() + 5_000; !messages.some((m) => m.type === 'connection_ack') && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const done = (id: string) => messages.some((m) => m.id === id && (m.type === 'complete' || m.type === 'error'));
    // The upgrade spent one of the 5; four operations pass, the next ones are refused.
    for (let i = 1; i <= 6; i++) {
      socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: '{ globalStats { opened } }' } }));
      const deadline = Date.now() + 5_000;
      while (!done(String(i)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    }
    socket.close();
    const outcome = (id: string) => messages.find((m) => m.id === id && (m.type === 'next' || m.type === 'error'));
    expect(['1', '2', '3', '4'].map((id) => outcome(id)?.type)).toEqual(['next', 'next', 'next', 'next']);
    for (const id of ['5', '6']) {
      expect(outcome(id)).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED' } }] });
    }
  });
});

describe('TRUST_PROXY=1', () => {
  let server: RunningServer;
  const agent = new Agent({ keepAlive: true });
  beforeAll(async () => {
    server = await startTestServer(testDb, { env: { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '3', TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    agent.destroy();
    await server.stop();
  });

  it('counts each address the proxy forwarded for apart', async () => {
    const from = (address: string) => send(server.url, agent, post({ 'x-forwarded-for': `10.9.9.9, ${address}` }));
    const first = await burst(10, () => from('203.0.113.7'));
    expect(first.filter((a) => a.status === 200)).toHaveLength(3);
    expect((await from('203.0.113.8')).status).toBe(200);
  });
});
