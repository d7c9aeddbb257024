// The SDK in Node.js (the package's "node" export): subscriptions use the `ws` package, since
// Node 20 has no WebSocket of its own.
import WebSocket from 'ws';
import { createClient, type NotesStreamClient, type NotesStreamClientOptions } from './runtime/client.ts';

export * from './common.ts';

/** A client of the server at `options.url`; subscriptions go over the `ws` package unless `webSocketImpl` is given. */
export function createNotesStreamClient(options: NotesStreamClientOptions): NotesStreamClient {
  return createClient(options, () => WebSocket);
}
