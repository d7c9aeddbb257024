// Token checks: constant-time comparison (SHA-256 digests through crypto.timingSafeEqual) and
// what each token opens.
import { describe, expect, it } from 'vitest';
import { accessOf, bearerToken, presentedTokens, tokenMatches } from '../src/http/access.ts';

describe('tokenMatches', () => {
  it('accepts the token itself only', () => {
    expect(tokenMatches('s3cret-token', 's3cret-token')).toBe(true);
    expect(tokenMatches('s3cret-toke', 's3cret-token')).toBe(false);
    expect(tokenMatches('s3cret-token!', 's3cret-token')).toBe(false);
    expect(tokenMatches('S3cret-token', 's3cret-token')).toBe(false);
    expect(tokenMatches('', 's3cret-token')).toBe(false);
  });

  it('compares tokens of any length without throwing (timingSafeEqual needs equal lengths)', () => {
    expect(() => tokenMatches('x'.repeat(10_000), 'short-token')).not.toThrow();
    expect(tokenMatches('x'.repeat(10_000), 'short-token')).toBe(false);
  });

  it('matches nothing when no token is configured', () => {
    expect(tokenMatches('anything', undefined)).toBe(false);
    expect(tokenMatches(undefined, undefined)).toBe(false);
    expect(tokenMatches(null, 'configured')).toBe(false);
  });
});

describe('accessOf', () => {
  const config = { ADMIN_TOKEN: 'admin-token', SUBSCRIPTION_TOKEN: 'subscribe-token' };

  it('opens what each token opens, and nothing else', () => {
    expect(accessOf(config, [])).toEqual({ admin: false, subscriber: false });
    expect(accessOf(config, ['admin-token'])).toEqual({ admin: true, subscriber: false });
    expect(accessOf(config, ['subscribe-token'])).toEqual({ admin: false, subscriber: true });
    expect(accessOf(config, ['wrong', 'subscribe-token', 'admin-token'])).toEqual({ admin: true, subscriber: true });
  });

  it('leaves subscriptions open without SUBSCRIPTION_TOKEN, and admin closed without ADMIN_TOKEN', () => {
    expect(accessOf({ ADMIN_TOKEN: undefined, SUBSCRIPTION_TOKEN: undefined }, ['anything'])).toEqual({ admin: false, subscriber: true });
  });

  it('reads the Authorization header and graphql-ws connectionParams', () => {
    const request = new Request('http://localhost/graphql', { headers: { authorization: 'Bearer admin-token' } });
    expect(presentedTokens({ request })).toEqual(['admin-token']);
    expect(presentedTokens({ connectionParams: { token: 'subscribe-token', authorization: 'Bearer admin-token' } })).toEqual([
      'admin-token',
      'subscribe-token',
    ]);
    expect(bearerToken('bearer  x-token ')).toBe('x-token');
    expect(bearerToken(42)).toBeNull();
  });
});
