// The SDK in browsers and other runtimes with a global WebSocket (the package's "browser" and
// "default" exports): nothing from Node.js, no `ws`.
import { createClient, type NotesStreamClient, type NotesStreamClientOptions } from './runtime/client.ts';

export * from './common.ts';

/** A client of the server at `options.url`; subscriptions go over the global WebSocket unless `webSocketImpl` is given. */
export function createNotesStreamClient(options: NotesStreamClientOptions): NotesStreamClient {
  // Read when the first subscription opens, so a WebSocket installed after import is used.
  return createClient(options, () => globalThis.WebSocket);
}
