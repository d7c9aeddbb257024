import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';

/** The token a client sent: `Authorization: Bearer …`, or `token` / `authorization` in connectionParams. */
export function presentedToken(source: { authorization?: unknown; token?: unknown } | null | undefined): string | null {
  if (!source) return null;
  if (typeof source.token === 'string') return source.token;
  if (typeof source.authorization === 'string') return source.authorization.replace(/^Bearer\s+/i, '');
  return null;
}

/** True when subscriptions are open to everyone, or the token matches SUBSCRIPTION_TOKEN. */
export function subscriptionAllowed(config: Config, token: string | null): boolean {
  return config.SUBSCRIPTION_TOKEN === undefined || token === config.SUBSCRIPTION_TOKEN;
}

/**
 * With SUBSCRIPTION_TOKEN set, an SSE request (Accept: text/event-stream) without the token in
 * an Authorization header is answered 401 before anything runs. WebSocket clients are checked
 * when they connect (graphql-ws closes with 4403).
 */
export function sseSubscriptionAuth(config: Config): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (config.SUBSCRIPTION_TOKEN === undefined) return;
      if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) return;
      const token = presentedToken({ authorization: request.headers.get('authorization') ?? undefined });
      if (subscriptionAllowed(config, token)) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({ errors: [{ message: 'subscriptions need the token: send "Authorization: Bearer <SUBSCRIPTION_TOKEN>"' }] }),
          { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' } },
        ),
      );
    },
  };
}
