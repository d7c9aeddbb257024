// Keep-alive for WebSocket subscribers: a ping every interval; a socket that has not answered the
// previous ping by the next one is cut. graphql-ws's own keep-alive would terminate such a socket
// without a word (the client sees a bare 1006, the log nothing): this one logs the cut with the
// client's address and subscriptions, and closes with a code and a reason first, terminating
// only if the close cannot get through (a client that stopped reading).
import type WebSocket from 'ws';
import type { Logger } from '../../../log.ts';

/** Close code sent to a subscriber that stopped answering pings (4xxx: the application's own). */
export const KEEP_ALIVE_CLOSE_CODE = 4_408;
// How long the close handshake may take before the socket is destroyed.
const CLOSE_WAIT_MS = 1_000;

/** One connection as the keep-alive sees it. */
export interface KeptAlive {
  socket: WebSocket;
  /** The client's address, for the log. */
  client: string | undefined;
  /** The root fields of the subscriptions open on it, for the log. */
  subscriptions: () => string[];
  /** Closes with a close frame (after what the connection still has to send). */
  close: (code: number, reason: string) => void;
}

/** Pings `connection` every `intervalMs` (0: never) until it closes. */
export function keepAlive(connection: KeptAlive, { intervalMs, log }: { intervalMs: number; log: Logger }): void {
  const { socket } = connection;
  if (!(intervalMs > 0)) return;
  let answered = true;
  socket.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    if (answered) {
      answered = false;
      socket.ping();
      return;
    }
    clearInterval(timer);
    const reason = `no pong within ${intervalMs} ms`;
    log.warn(
      { client: connection.client, subscriptions: connection.subscriptions(), reason },
      'WebSocket subscriber cut: it stopped answering pings',
    );
    connection.close(KEEP_ALIVE_CLOSE_CODE, `keep-alive: ${reason}`);
    setTimeout(() => {
      if (socket.readyState !== socket.CLOSED) socket.terminate();
    }, CLOSE_WAIT_MS).unref();
  }, intervalMs);
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}
