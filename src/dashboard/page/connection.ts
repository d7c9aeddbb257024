// The page's one client of the API: the SDK package's browser build (resolved by the bundler
// through the package's `browser` export). Subscriptions reconnect by themselves; the header
// says when the connection is down, and listeners run again after each reconnection.
import { createNotesStreamClient, type NotesStreamClient } from '@notes-stream/sdk';
import { byId } from './dom.ts';

export interface Connection {
  client: NotesStreamClient;
  /** Called after every reconnection (not the first connection): reload what a restart may have reset. */
  onReconnected(listener: () => void): void;
}

export function connect(graphqlUrl: string): Connection {
  const status = byId('connection');
  const reconnected = new Set<() => void>();
  let everConnected = false;
  let down = false;
  const show = (state: 'connected' | 'disconnected', text: string) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  const url = new URL(graphqlUrl, document.baseURI).href;
  // A server with SUBSCRIPTION_TOKEN needs it: open /dashboard#token=… (a fragment never leaves the browser).
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
  const client = createNotesStreamClient({
    url,
    subscriptionToken: token,
    // Back within a few seconds of a server restart: at most 4 s between attempts.
    retryDelayMs: (retry) => Math.min(4_000, 250 * 2 ** retry),
    keepAliveMs: 10_000,
    on: {
      connected: () => {
        show('connected', 'Live: connected');
        if (down && everConnected) for (const listener of reconnected) listener();
        everConnected = true;
        down = false;
      },
      closed: (event) => {
        down = true;
        // 4403: the server wants a subscription token (or another one); retrying cannot help.
        const refused = (event as { code?: number } | undefined)?.code === 4403;
        show('disconnected', refused ? 'Refused: this server needs a subscription token (open /dashboard#token=…)' : 'Disconnected: reconnecting…');
      },
    },
  });
  return { client, onReconnected: (listener) => reconnected.add(listener) };
}

/** Runs a subscription for the page's lifetime, reporting errors in the console-free way: as text. */
export async function follow<T>(iterator: AsyncIterable<T>, onValue: (value: T) => void, onError: (error: unknown) => void): Promise<void> {
  try {
    for await (const value of iterator) onValue(value);
  } catch (error) {
    onError(error);
  }
}
