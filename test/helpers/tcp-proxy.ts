// A TCP proxy in front of a test server, to break a client's connection for real while the
// server keeps running: cut (the client sees a reset) or freeze (silence, as when a network
// path dies without telling either end).
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  /** The target URL with the proxy's host and port. */
  url: string;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** Resets every connection and refuses new ones until open(). */
  cut(): void;
  /** Existing connections stop passing bytes either way (they stay open); new ones work. */
  freeze(): void;
  /** Accepts new connections again. */
  open(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  frozen: boolean;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const pairs = new Set<Pair>();
  let refusing = false;
  let accepted = 0;

  const server = createServer((client) => {
    if (refusing) return void client.resetAndDestroy();
    accepted++;
    const pair: Pair = { client, upstream: connect(Number(target.port), target.hostname), frozen: false };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (!pair.frozen) to.write(chunk);
      });
    forward(pair.client, pair.upstream);
    forward(pair.upstream, pair.client);
    const drop = () => {
      pairs.delete(pair);
      pair.client.destroy();
      pair.upstream.destroy();
    };
    for (const socket of [pair.client, pair.upstream]) socket.on('close', drop).on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);

  const resetAll = () => {
    for (const pair of pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.destroy();
    }
    pairs.clear();
  };

  return {
    url: url.toString(),
    get accepted() {
      return accepted;
    },
    cut() {
      refusing = true;
      resetAll();
    },
    freeze() {
      for (const pair of pairs) pair.frozen = true;
    },
    open() {
      refusing = false;
    },
    async close() {
      resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
