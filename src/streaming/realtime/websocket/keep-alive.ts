// Keep-alive for WebSocket subscribers: a ping every interval; a socket that has not answered the
// previous ping by the next one is cut. graphql-ws's own keep-alive terminates such a socket
// without a word (the client sees a bare 1006, the log nothing): this one logs the cut with the
// client's address and subscriptions, and closes with a code and a reason first, terminating
// only if the close cannot get through (a client that stopped reading).
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Logger } from '../../../log.ts';

/** Close code sent to a subscriber that stopped answering pings (4xxx: the application's own). */
export const KEEP_ALIVE_CLOSE_CODE = 4_408;
// How long the close handshake may take before the socket is destroyed.
const CLOSE_WAIT_MS = 1_000;

/** Subscriptions open on each socket, by operation id: the root fields they selected. */
export class SocketSubscriptions {
  private readonly bySocket = new WeakMap<WebSocket, Map<string, string>>();

  add(socket: WebSocket, id: string, fields: string): void {
    let open = this.bySocket.get(socket);
    if (!open) this.bySocket.set(socket, (open = new Map()));
    open.set(id, fields);
  }

  remove(socket: WebSocket, id: string): void {
    this.bySocket.get(socket)?.delete(id);
  }

  of(socket: WebSocket): string[] {
    return [...(this.bySocket.get(socket)?.values() ?? [])];
  }
}

export function keepAlive(
  socket: WebSocket,
  request: IncomingMessage,
  options: { intervalMs: number; log: Logger; subscriptions: SocketSubscriptions },
): void {
  if (!(options.intervalMs > 0)) return;
  let answered = true;
  socket.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (answered) {
      answered = false;
      socket.ping();
      return;
    }
    clearInterval(timer);
    const reason = `no pong within ${options.intervalMs} ms`;
    options.log.warn(
      { client: request.socket.remoteAddress, subscriptions: options.subscriptions.of(socket), reason },
      'WebSocket subscriber cut: it stopped answering pings',
    );
    socket.close(KEEP_ALIVE_CLOSE_CODE, `keep-alive: ${reason}`);
    setTimeout(() => {
      if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
    }, CLOSE_WAIT_MS).unref();
  }, options.intervalMs);
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}
