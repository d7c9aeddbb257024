// Who a request is: which tokens it carries and what they open. Every HTTP request and every
// WebSocket connection is judged here, once per GraphQL context, so that no cached or shared
// answer decides it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.ts';

export interface Access {
  /** The request carries ADMIN_TOKEN (mutations, dead letters). */
  admin: boolean;
  /** Subscriptions are open, or the request carries SUBSCRIPTION_TOKEN. */
  subscriber: boolean;
}

/**
 * True when `presented` equals `expected`, compared in constant time: both are hashed first, so
 * neither the length nor the position of the first difference shows in the timing.
 */
export function tokenMatches(presented: string | null | undefined, expected: string | undefined): boolean {
  if (expected === undefined || typeof presented !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of an `Authorization: Bearer …` value (the scheme is optional, as clients differ). */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  return header.replace(/^Bearer\s+/i, '').trim() || null;
}

/**
 * The tokens a GraphQL context was created with: the Authorization header of the HTTP request
 * (or of the WebSocket upgrade), and over graphql-ws the connectionParams `token` and
 * `authorization`.
 */
export function presentedTokens(initial: Record<string, unknown>): string[] {
  const request = initial.request as Request | undefined;
  const upgrade = initial.req as IncomingMessage | undefined;
  const params = initial.connectionParams as { token?: unknown; authorization?: unknown } | undefined;
  const tokens = [
    bearerToken(request?.headers.get('authorization') ?? upgrade?.headers.authorization),
    bearerToken(params?.authorization),
    typeof params?.token === 'string' ? params.token : null,
  ];
  return tokens.filter((token): token is string => token !== null);
}

export function accessOf(config: Pick<Config, 'ADMIN_TOKEN' | 'SUBSCRIPTION_TOKEN'>, tokens: readonly string[]): Access {
  return {
    admin: tokens.some((token) => tokenMatches(token, config.ADMIN_TOKEN)),
    subscriber: config.SUBSCRIPTION_TOKEN === undefined || tokens.some((token) => tokenMatches(token, config.SUBSCRIPTION_TOKEN)),
  };
}

/** The client's address for logs: the socket's peer (a proxy's X-Forwarded-For is not trusted). */
export function clientAddress(initial: Record<string, unknown>): string | undefined {
  return (initial.req as IncomingMessage | undefined)?.socket?.remoteAddress;
}
