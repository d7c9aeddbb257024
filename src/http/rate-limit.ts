// Per-client rate limits, so that a public instance can be exposed: a token bucket per client
// (RATE_LIMIT_BURST requests at once, refilled at RATE_LIMIT_PER_MINUTE), checked on every HTTP
// request before anything else runs (GraphQL, cached answers, exports, GraphiQL), on every
// WebSocket connection attempt and on every operation sent over a WebSocket. Requests are
// counted, not their cost: the cost of one request is already bounded by the query limits
// (src/http/limits.ts) and the export row limit. Headers follow
// draft-ietf-httpapi-ratelimit-headers-10 (RateLimit-Policy and RateLimit as structured fields).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config.ts';
import { bearerToken, tokenMatches } from './access.ts';

export interface Verdict {
  allowed: boolean;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** When refused: seconds until one request is allowed again. */
  retryAfterSeconds: number;
}

/** Most clients whose buckets are remembered; an idle bucket is dropped once it would be full anyway. */
const MAX_CLIENTS = 100_000;

/** Token buckets by client key: `burst` tokens, refilled continuously at `perMinute` a minute. */
export class TokenBuckets {
  private readonly perMs: number;
  private readonly buckets: LRUCache<string, { tokens: number; at: number }>;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = perMinute / 60_000;
    this.buckets = new LRUCache({ max: MAX_CLIENTS, ttl: Math.ceil(burst / this.perMs), ttlAutopurge: false });
  }

  /** Seconds a drained bucket takes to fill: the window of the advertised quota. */
  get windowSeconds(): number {
    return Math.ceil(this.burst / this.perMs / 1000);
  }

  take(key: string): Verdict {
    const now = this.now();
    const bucket = this.buckets.get(key);
    let tokens = bucket ? Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs) : this.burst;
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.buckets.set(key, { tokens, at: now });
    return {
      allowed,
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((this.burst - tokens) / this.perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)),
    };
  }
}

type LimitConfig = Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'RATE_LIMIT_BURST' | 'TRUST_PROXY' | 'ADMIN_TOKEN'>;

/**
 * Whose budget a request spends: the admin's when it carries ADMIN_TOKEN (one bucket for the
 * operator, wherever the requests come from), else its address. Other tokens are not keys: a
 * client could make up a new one per request. SUBSCRIPTION_TOKEN is shared by every subscriber,
 * so it names no client either. IPv6 addresses count by /64, the block one host usually has.
 */
export function clientKey(request: IncomingMessage, config: Pick<LimitConfig, 'TRUST_PROXY' | 'ADMIN_TOKEN'>): string {
  const token = bearerToken(request.headers.authorization);
  if (token !== null && tokenMatches(token, config.ADMIN_TOKEN)) {
    return `admin:${createHash('sha256').update(token).digest('base64url').slice(0, 16)}`;
  }
  return `ip:${addressKey(clientAddress(request, config.TRUST_PROXY))}`;
}

/**
 * The client's address: the socket's peer, or with TRUST_PROXY = n (n proxies of ours in front)
 * the address the outermost of them saw, n entries from the right of X-Forwarded-For. Entries
 * further left are written by the client and prove nothing.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => hop.trim()).filter(Boolean);
  if (hops.length === 0) return peer;
  const seen = hops[Math.max(0, hops.length - trustedProxies)]!;
  return isIP(seen) ? seen : peer;
}

function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address (no zone, no embedded IPv4 beyond what isIP allows). */
function expandIPv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}

export interface RateLimiter {
  /** Admits an HTTP request (with its RateLimit headers set), or answers 429 itself and returns false. */
  admitRequest(request: IncomingMessage, response: ServerResponse): boolean;
  /** Admits a WebSocket upgrade, or writes 429 on the socket, closes it and returns false. */
  admitUpgrade(request: IncomingMessage, socket: Duplex): boolean;
  /** Spends one request of the connection's client for an operation sent over a WebSocket. */
  takeOperation(request: IncomingMessage): Verdict;
}

/** The limiter of RATE_LIMIT_PER_MINUTE / RATE_LIMIT_BURST, or undefined when RATE_LIMIT_PER_MINUTE is 0 (off). */
export function rateLimiter(config: LimitConfig, metrics?: Registry): RateLimiter | undefined {
  if (config.RATE_LIMIT_PER_MINUTE === 0) return undefined;
  const buckets = new TokenBuckets(config.RATE_LIMIT_PER_MINUTE, config.RATE_LIMIT_BURST);
  const refused = metrics
    ? new Counter({
        name: 'notes_stream_rate_limited_total',
        help: 'Requests refused by the per-client rate limit, by kind (http, websocket connection, websocket operation).',
        labelNames: ['kind'] as const,
        registers: [metrics],
      })
    : undefined;
  const policy = `"default";q=${buckets.burst};w=${buckets.windowSeconds}`;
  const headers = (verdict: Verdict): Record<string, string> => ({
    'ratelimit-policy': policy,
    ratelimit: `"default";r=${verdict.remaining};t=${verdict.resetSeconds}`,
    ...(verdict.allowed ? {} : { 'retry-after': String(verdict.retryAfterSeconds) }),
  });
  const body = (verdict: Verdict) =>
    JSON.stringify({
      errors: [
        {
          message: `rate limit exceeded: at most ${buckets.burst} requests at once and ${buckets.perMinute} a minute per client; retry in ${verdict.retryAfterSeconds} s`,
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: verdict.retryAfterSeconds },
        },
      ],
    });
  return {
    admitRequest(request, response) {
      const verdict = buckets.take(clientKey(request, config));
      for (const [name, value] of Object.entries(headers(verdict))) response.setHeader(name, value);
      if (verdict.allowed) return true;
      refused?.inc({ kind: 'http' });
      response.writeHead(429, { 'content-type': 'application/json; charset=utf-8' }).end(body(verdict));
      return false;
    },
    admitUpgrade(request, socket) {
      const verdict = buckets.take(clientKey(request, config));
      if (verdict.allowed) return true;
      refused?.inc({ kind: 'websocket connection' });
      const text = body(verdict);
      const lines = Object.entries({ ...headers(verdict), 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), connection: 'close' });
      socket.end(`HTTP/1.1 429 Too Many Requests\r\n${lines.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${text}`);
      return false;
    },
    takeOperation(request) {
      const verdict = buckets.take(clientKey(request, config));
      if (!verdict.allowed) refused?.inc({ kind: 'websocket operation' });
      return verdict;
    },
  };
}
