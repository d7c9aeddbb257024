import type { Socket } from 'node:net';
import type WebSocket from 'ws';

/**
 * Groups the frames a WebSocket sends within one turn of the event loop into one write: a batch
 * of events reaches the subscriptions sharing a socket in the same turn, and one system call
 * per frame would cost more than the frames themselves. The send callbacks fire on the flush.
 */
export function corkPerTurn(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw) return;
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  let corked = false;
  (socket as unknown as { send: (...args: unknown[]) => void }).send = (...args: unknown[]) => {
    if (!corked && !raw.destroyed) {
      corked = true;
      raw.cork();
      setImmediate(() => {
        corked = false;
        raw.uncork();
      });
    }
    send(...args);
  };
}
