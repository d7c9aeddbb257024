// The notes-stream client: queries and mutations over HTTP, subscriptions over graphql-ws,
// all typed by the documents codegen writes from sdk/operations/*.graphql.
import type { Client as WsClient, ClientOptions } from 'graphql-ws/client';
import type { GeneratedDocument, VariablesAndOptions } from './documents.ts';
import { postOperation, type HttpTransport } from './http.ts';
import { liveSubscription, type LiveSubscription, type SubscribeOptions } from './live-subscription.ts';
import { operationMeta, type OperationKind, type OperationMeta } from './operation-meta.ts';
import { createWebSocketClient, defaultRetryDelayMs } from './websocket.ts';

export interface NotesStreamClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** The WebSocket endpoint; by default `url` with ws(s): instead of http(s):. */
  wsUrl?: string;
  /** Sent as `Authorization: Bearer …` with queries and mutations (admin mutations need it). */
  adminToken?: string;
  /** Sent as connectionParams `{ token }`; needed when the server has SUBSCRIPTION_TOKEN. */
  subscriptionToken?: string;
  /** Extra HTTP headers for queries and mutations. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** A WebSocket class; by default the `ws` package in Node.js and the global WebSocket elsewhere. */
  webSocketImpl?: unknown;
  /** Reconnections in a row before a subscription fails (default: never gives up). */
  retryAttempts?: number;
  /** Delay before reconnection number `retry`, from 0 (default: 0.25–0.5 s doubling up to 15–30 s). */
  retryDelayMs?: (retry: number) => number;
  /** Ping interval of the WebSocket; no pong within as long again means reconnect. 0: off. Default 15 s. */
  keepAliveMs?: number;
  /** graphql-ws connection events (connecting, connected, closed, …), e.g. to log reconnections. */
  on?: ClientOptions['on'];
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface NotesStreamClient {
  /** Runs a query over HTTP; resolves to its data or throws GraphQLRequestError. */
  query<TResult, TVariables>(
    document: GeneratedDocument<TResult, TVariables>,
    ...args: VariablesAndOptions<TVariables, RequestOptions>
  ): Promise<TResult>;
  /** Runs a mutation over HTTP (admin mutations need `adminToken`). */
  mutate<TResult, TVariables>(
    document: GeneratedDocument<TResult, TVariables>,
    ...args: VariablesAndOptions<TVariables, RequestOptions>
  ): Promise<TResult>;
  /** Subscribes over graphql-ws; iterate the result with `for await`. */
  subscribe<TResult, TVariables>(
    document: GeneratedDocument<TResult, TVariables>,
    ...args: VariablesAndOptions<TVariables, SubscribeOptions>
  ): LiveSubscription<TResult>;
  /** Ends every subscription and closes the WebSocket. */
  close(): Promise<void>;
}

/** The client behind each entry point's createNotesStreamClient, which supplies the default WebSocket class. */
export function createClient(options: NotesStreamClientOptions, defaultWebSocketImpl: () => unknown): NotesStreamClient {
  const http: HttpTransport = {
    url: options.url,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    headers: { ...options.headers, ...(options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {}) },
  };
  const subscriptions = new Set<LiveSubscription<unknown>>();
  let ws: WsClient | undefined;

  // Opened on the first subscription, so a client that only queries needs no WebSocket.
  function webSocket(): WsClient {
    return (ws ??= createWebSocketClient({
      url: options.wsUrl ?? options.url.replace(/^http/, 'ws'),
      connectionParams: options.subscriptionToken ? { token: options.subscriptionToken } : undefined,
      webSocketImpl: options.webSocketImpl ?? defaultWebSocketImpl(),
      retryAttempts: options.retryAttempts ?? Infinity,
      retryDelayMs: options.retryDelayMs ?? defaultRetryDelayMs,
      keepAliveMs: options.keepAliveMs ?? 15_000,
      on: options.on,
    }));
  }

  function metaOf(document: GeneratedDocument<unknown, unknown>, expected: OperationKind, method: string): OperationMeta {
    const meta = operationMeta(document);
    if (meta.operation !== expected) {
      throw new TypeError(`${meta.name} is a ${meta.operation}; ${method}() runs ${expected} operations only`);
    }
    return meta;
  }

  function overHttp(kind: OperationKind, method: string) {
    return async <TResult>(document: GeneratedDocument<TResult, unknown>, variables?: unknown, requestOptions?: RequestOptions) => {
      const meta = metaOf(document, kind, method);
      return postOperation<TResult>(http, { query: document.toString(), operationName: meta.name, variables, signal: requestOptions?.signal });
    };
  }

  // The public signatures (NotesStreamClient) add the type checks these implementations leave out.
  return {
    query: overHttp('query', 'query'),
    mutate: overHttp('mutation', 'mutate'),
    subscribe<TResult>(document: GeneratedDocument<TResult, unknown>, variables?: unknown, subscribeOptions?: SubscribeOptions) {
      const meta = metaOf(document, 'subscription', 'subscribe');
      const subscription = liveSubscription<TResult>(
        webSocket(),
        document.toString(),
        meta,
        variables as Record<string, unknown> | undefined,
        subscribeOptions,
        () => subscriptions.delete(subscription),
        () => streamCursor(http),
      );
      subscriptions.add(subscription);
      return subscription;
    },
    async close() {
      for (const subscription of subscriptions) subscription.close();
      subscriptions.clear();
      const closing = ws;
      ws = undefined;
      // dispose() rethrows the failure of a connection attempt still in progress; closing anyway.
      try {
        await closing?.dispose();
      } catch {
        // a connection attempt that failed as we closed: nothing left to close
      }
    },
  } as NotesStreamClient;
}

/** The stream's current cursor, from which a subscription without `after` starts. */
async function streamCursor(http: HttpTransport): Promise<string> {
  const query = 'query StreamCursor { streamCursor }';
  const data = await postOperation<{ streamCursor: string }>(http, { query, operationName: 'StreamCursor', variables: {} });
  return data.streamCursor;
}
