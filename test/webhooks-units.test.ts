// The parts of webhook delivery that need no server: the SSRF guard's address rules, the retry
// policy's figures, signing and secrets at rest, and the in-flight limiter.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { Limiter } from '../src/webhooks/limiter.ts';
import { backoffMs, pauseReason, retryAfterMs } from '../src/webhooks/retry-policy.ts';
import { openSecret, sealSecret, sign } from '../src/webhooks/signing.ts';
import { TargetGuard, TargetRefusedError } from '../src/webhooks/target-guard.ts';

describe('target guard', () => {
  const strict = new TargetGuard([]);
  it.each([
    ['127.0.0.1'], ['127.1.2.3'], ['10.0.0.1'], ['172.16.5.4'], ['172.31.255.255'], ['192.168.1.1'], ['169.254.169.254'],
    ['100.64.0.1'], ['0.0.0.0'], ['224.0.0.1'], ['255.255.255.255'], ['::1'], ['::'], ['fe80::1'], ['fc00::1'], ['fd12:3456::1'],
    ['ff02::1'], ['::ffff:10.0.0.1'], ['::ffff:7f00:1'],
  ])('refuses %s', (address) => {
    expect(strict.refusal('example.org', address)).toMatch(/non-public address/);
  });

  it.each([['93.184.216.34'], ['8.8.8.8'], ['172.32.0.1'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8']])('allows the public address %s', (address) => {
    expect(strict.refusal('example.org', address)).toBeNull();
  });

  it('allows what WEBHOOK_ALLOWED_HOSTS names: host names, addresses and ranges', () => {
    const { WEBHOOK_ALLOWED_HOSTS } = loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'hooks.internal, 10.1.0.0/16,::1' });
    const guard = new TargetGuard(WEBHOOK_ALLOWED_HOSTS);
    expect(guard.refusal('HOOKS.internal', '10.9.9.9')).toBeNull();
    expect(guard.refusal('other.internal', '10.1.200.3')).toBeNull();
    expect(guard.refusal('other.internal', '10.2.0.1')).toMatch(/WEBHOOK_ALLOWED_HOSTS/);
    expect(guard.refusal('[::1]', '::1')).toBeNull();
    expect(guard.refusal('x', '127.0.0.1')).not.toBeNull();
  });

  it('checks every address a name resolves to, at creation and in the lookup of each connection', async () => {
    await expect(strict.check(new URL('http://localhost/'))).rejects.toThrow(TargetRefusedError);
    const refused = await new Promise<Error | null>((resolve) => strict.lookupFor('localhost')('localhost', {}, (error) => resolve(error)));
    expect(refused).toBeInstanceOf(TargetRefusedError);
    const allowed = new TargetGuard(['localhost']);
    const address = await new Promise<string>((resolve, reject) =>
      allowed.lookupFor('localhost')('localhost', {}, (error, result) => (error ? reject(error) : resolve(result as string))),
    );
    expect(['127.0.0.1', '::1']).toContain(address);
    expect(() => strict.checkLiteral(new URL('http://[::1]/'))).toThrow(TargetRefusedError);
  });
});

describe('retry policy', () => {
  const policy = loadConfig({ WEBHOOK_RETRY_BASE_MS: '1000', WEBHOOK_RETRY_MAX_MS: '60000', WEBHOOK_MAX_FAILURES: '10', WEBHOOK_PAUSE_AFTER_HOURS: '2' });

  it('doubles from the base up to the cap, keeping between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(30, policy, () => 1)).toBe(60_000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(3, policy)));
    expect(spread.size).toBeGreaterThan(10);
    for (const ms of spread) expect(ms >= 2000 && ms <= 4000).toBe(true);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at an hour', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(3_600_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it('pauses after WEBHOOK_MAX_FAILURES in a row or WEBHOOK_PAUSE_AFTER_HOURS of failing', () => {
    const now = Date.now();
    expect(pauseReason({ consecutiveFailures: 9, failingSince: new Date(now - 3_600_000) }, policy, now)).toBeNull();
    expect(pauseReason({ consecutiveFailures: 10, failingSince: new Date(now) }, policy, now)).toMatch(/^10 deliveries in a row failed/);
    expect(pauseReason({ consecutiveFailures: 2, failingSince: new Date(now - 7_200_000) }, policy, now)).toMatch(/WEBHOOK_PAUSE_AFTER_HOURS/);
    const never = { ...policy, WEBHOOK_MAX_FAILURES: 0, WEBHOOK_PAUSE_AFTER_HOURS: 0 };
    expect(pauseReason({ consecutiveFailures: 1e6, failingSince: new Date(0) }, never, now)).toBeNull();
  });
});

describe('signing and secrets', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 of the secret', () => {
    const body = Buffer.from('{"data":{"noteEvent":{"noteId":1}}}');
    const expected = createHmac('sha256', 'whsec_abc').update(`1700000000.${body.toString()}`).digest('hex');
    expect(sign('whsec_abc', 1_700_000_000, body)).toBe(`sha256=${expected}`);
  });

  it('seals secrets with WEBHOOK_SECRET_KEY and opens them only with the same key', () => {
    const key = randomBytes(32);
    const sealed = sealSecret('whsec_secret', key);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('secret');
    expect(sealSecret('whsec_secret', key)).not.toBe(sealed);
    expect(openSecret(sealed, key)).toBe('whsec_secret');
    expect(() => openSecret(sealed, randomBytes(32))).toThrow('this webhook secret was encrypted with another WEBHOOK_SECRET_KEY');
    expect(() => openSecret(sealed, undefined)).toThrow(/WEBHOOK_SECRET_KEY is needed/);
    expect(openSecret(sealSecret('whsec_plain', undefined), undefined)).toBe('whsec_plain');
  });
});

describe('in-flight limiter', () => {
  it('holds at most its limit, hands places over in order, and lets a waiter give up', async () => {
    const limiter = new Limiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((release) => (order.push('c'), release));
    const abort = new AbortController();
    const d = limiter.acquire(abort.signal);
    const e = limiter.acquire().then((release) => (order.push('e'), release));
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(3);
    abort.abort(new Error('stopped'));
    await expect(d).rejects.toThrow('stopped');
    a();
    a(); // twice is once
    (await c)();
    b();
    (await e)();
    expect(order).toEqual(['c', 'e']);
    expect(limiter.inFlight).toBe(0);
  });
});
