import type { Socket } from 'node:net';
import type WebSocket from 'ws';

// Bytes a socket may hold unsent before a send waits for the flush again (see below).
const EARLY_ACK_LIMIT = 1 << 20;

type Send = (data: unknown, options?: unknown, callback?: (error?: Error) => void) => void;

/**
 * Groups the frames a WebSocket sends within one turn of the event loop into one write: a batch
 * of events reaches the subscriptions sharing a socket in the same turn, and one system call
 * per frame would cost more than the frames themselves.
 *
 * graphql-ws waits for each frame's send callback before taking a subscription's next event,
 * and the callback fires on the flush: one event per subscription per turn. With 10,000
 * subscriptions a turn takes several milliseconds, so a busy subscription fell behind by
 * seconds. While the socket holds less than EARLY_ACK_LIMIT unsent bytes the callback is
 * called at once; past it, sends wait for the flush, so a client that stops reading still
 * costs at most that much memory before its subscriptions' own queues take over.
 */
export function corkPerTurn(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw) return;
  const send = socket.send.bind(socket) as Send;
  let corked = false;
  (socket as unknown as { send: Send }).send = (data, options, callback) => {
    if (typeof options === 'function') [options, callback] = [undefined, options as (error?: Error) => void];
    if (!corked && !raw.destroyed) {
      corked = true;
      raw.cork();
      setImmediate(() => {
        corked = false;
        raw.uncork();
      });
    }
    if (callback && raw.writableLength < EARLY_ACK_LIMIT) {
      send(data, options ?? {});
      queueMicrotask(() => callback());
    } else {
      send(data, options ?? {}, callback);
    }
  };
}
