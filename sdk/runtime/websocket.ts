// The graphql-ws client behind subscriptions: reconnects with capped backoff, and pings the
// server so that a connection that silently stopped answering is dropped and reopened.
import { createClient, type Client, type ClientOptions } from 'graphql-ws/client';
import { isCloseEvent } from './errors.ts';

export interface WebSocketSettings {
  url: string;
  connectionParams?: Record<string, unknown> | undefined;
  /** A WebSocket class: the entry point's default (`ws` in Node.js, the global one elsewhere) or the caller's. */
  webSocketImpl: unknown;
  /** Reconnections in a row before giving up (Infinity: never give up). */
  retryAttempts: number;
  /** Delay before reconnection number `retry` (0 for the first). */
  retryDelayMs: (retry: number) => number;
  /** Ping interval; a ping unanswered for as long again drops the connection. 0: no pings. */
  keepAliveMs: number;
  on?: ClientOptions['on'] | undefined;
}

/** Exponential from 250–500 ms up to 15–30 s, randomised so clients do not return in step. */
export function defaultRetryDelayMs(retry: number): number {
  return Math.min(30_000, 500 * 2 ** retry) * (0.5 + Math.random() / 2);
}

// 4403: the server refused the subscription token; asking again with the same one cannot help.
const REFUSED = 4403;

export function createWebSocketClient(settings: WebSocketSettings): Client {
  let pongDeadline: ReturnType<typeof setTimeout> | undefined;
  const { on } = settings;
  const client: Client = createClient({
    url: settings.url,
    webSocketImpl: settings.webSocketImpl,
    connectionParams: settings.connectionParams,
    lazy: true,
    retryAttempts: settings.retryAttempts,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, settings.retryDelayMs(retries))),
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === REFUSED),
    keepAlive: settings.keepAliveMs,
    on: {
      ...on,
      ping: (received, payload) => {
        if (!received && settings.keepAliveMs > 0) {
          // terminate() closes at once with 4499, which graphql-ws treats as retryable.
          pongDeadline = setTimeout(() => client.terminate(), settings.keepAliveMs);
        }
        on?.ping?.(received, payload);
      },
      pong: (received, payload) => {
        if (received) clearTimeout(pongDeadline);
        on?.pong?.(received, payload);
      },
      closed: (event) => {
        clearTimeout(pongDeadline);
        on?.closed?.(event);
      },
    },
  });
  return client;
}
