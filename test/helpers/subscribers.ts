import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client over a real WebSocket to the test server. */
export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

export interface Collected<T> {
  items: T[];
  errors: unknown[];
  done: Promise<void>;
  stop(): void;
}

/** Subscribes and collects every `next` payload's data until stop() (or the server ends it). */
export function collect<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Collected<T> {
  const items: T[] = [];
  const errors: unknown[] = [];
  let stop!: () => void;
  const done = new Promise<void>((resolve) => {
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) errors.push(...result.errors);
          if (result.data) items.push(result.data as T);
        },
        error: (error) => {
          errors.push(error);
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return { items, errors, done, stop: () => stop() };
}

/**
 * Reads a GraphQL-over-SSE response (yoga's distinct-connections mode) and collects its data.
 * `transport` picks the method and the Accept header (null: none); a refused request's JSON
 * errors are collected too.
 */
export function sseSubscribe<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
  transport: { method?: 'GET' | 'POST'; accept?: string | null } = {},
): Collected<T> & { status: Promise<number> } {
  const items: T[] = [];
  const errors: unknown[] = [];
  const abort = new AbortController();
  let resolveStatus!: (status: number) => void;
  const status = new Promise<number>((resolve) => (resolveStatus = resolve));
  const { method = 'POST', accept = 'text/event-stream' } = transport;
  const done = (async () => {
    try {
      const target = new URL(url);
      if (method === 'GET') {
        target.searchParams.set('query', query);
        if (variables) target.searchParams.set('variables', JSON.stringify(variables));
      }
      const response = await fetch(target, {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          ...(accept === null ? {} : { accept }),
          ...headers,
        },
        body: method === 'POST' ? JSON.stringify({ query, variables }) : undefined,
        signal: abort.signal,
      });
      resolveStatus(response.status);
      if (!response.ok && !response.headers.get('content-type')?.includes('text/event-stream')) {
        const refusal = (await response.json().catch(() => ({}))) as { errors?: unknown[] };
        errors.push(...(refusal.errors ?? []));
        return;
      }
      if (!response.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      const reader = response.body.getReader();
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (!data) continue;
          const result = JSON.parse(data) as { data?: T; errors?: unknown[] };
          if (result.errors) errors.push(...result.errors);
          if (result.data) items.push(result.data);
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) errors.push(error);
    }
  })();
  return { items, errors, done, status, stop: () => abort.abort() };
}

export interface ProtocolFrame {
  id?: string;
  type: string;
  payload?: unknown;
}

/**
 * graphql-transport-ws by hand over a raw WebSocket, acknowledged and ready to subscribe: for
 * tests of the frames themselves, or of a client that stops reading its socket.
 */
export async function rawProtocolClient(httpUrl: string): Promise<{
  socket: WebSocket;
  frames: ProtocolFrame[];
  subscribe(id: string, query: string): void;
}> {
  const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const frames: ProtocolFrame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as ProtocolFrame));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  // A subscribe sent before the acknowledgement would get the socket closed (4401).
  await new Promise<void>((resolve) => {
    const check = () => (frames.some((f) => f.type === 'connection_ack') ? resolve() : setTimeout(check, 5));
    check();
  });
  return {
    socket,
    frames,
    subscribe: (id, query) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } })),
  };
}
