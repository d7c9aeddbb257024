import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, Kind } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../../log.ts';
import { FrameWriter } from './frame-batching.ts';
import { keepAlive } from './keep-alive.ts';

/** What graphql-ws's hooks find in `ctx.extra` for a connection. */
export interface SocketExtra {
  readonly request: IncomingMessage;
  readonly socket: WebSocket;
  /** Writes the connection's text frames; direct delivery writes through it too. */
  readonly frames: FrameWriter;
  /** The subscriptions open on the connection: their root fields by operation id (for logs). */
  readonly subscriptions: Map<string, string>;
}

export type WebSocketServerOptions = ServerOptions<Record<string, unknown>, SocketExtra>;

export interface TransportOptions {
  path: string;
  /** A ping this often; a connection that has not answered the previous one by then is cut (keep-alive.ts). */
  keepAliveMs: number;
  /** Largest message a client may send; a larger one closes the connection with 1009. */
  maxPayload: number;
  log: Logger;
}

export interface WebSocketTransport {
  /** Closes every connection (1001) and waits until they are gone. */
  close(): Promise<void>;
}

/**
 * The `graphql-transport-ws` protocol (graphql-ws's makeServer) on the HTTP server's upgrades
 * to `path`. Our adapter rather than graphql-ws's `useServer`: it takes the connection from the
 * upgrade itself, so the frame writer can write to it without reaching into ws, and sends
 * graphql-ws's messages through that writer.
 */
export function serveWebSocket(
  httpServer: HttpServer,
  graphql: WebSocketServerOptions,
  { path, keepAliveMs, maxPayload, log }: TransportOptions,
): WebSocketTransport {
  const protocol = makeServer(withOpenSubscriptions(graphql));
  // No compression: FrameWriter writes text frames itself.
  const wsServer = new WebSocketServer({
    noServer: true,
    path,
    perMessageDeflate: false,
    maxPayload,
    handleProtocols: (protocols) => handleProtocols(protocols),
  });
  const writers = new Set<FrameWriter>();

  const onUpgrade = (request: IncomingMessage, raw: Duplex, head: Buffer) =>
    wsServer.handleUpgrade(request, raw, head, (socket) => opened(socket, request, raw));
  httpServer.on('upgrade', onUpgrade);

  function opened(socket: WebSocket, request: IncomingMessage, raw: Duplex): void {
    const frames = new FrameWriter(socket, raw);
    const extra: SocketExtra = { request, socket, frames, subscriptions: new Map() };
    writers.add(frames);
    const fail = (error: unknown, message: string) => {
      log.error({ err: error }, message);
      frames.close(CloseCode.InternalServerError, 'Internal server error');
    };
    // ws reports what the client got wrong (a message over maxPayload, a bad frame) here, and
    // has already closed the connection with the matching code (1009, 1002, …).
    socket.once('error', (error) => log.info({ err: error, client: request.socket.remoteAddress }, 'WebSocket closed: the client broke the protocol'));

    keepAlive(
      {
        socket,
        client: request.socket.remoteAddress,
        subscriptions: () => [...extra.subscriptions.values()],
        close: (code, reason) => frames.close(code, reason),
      },
      { intervalMs: keepAliveMs, log },
    );

    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) => frames.send(data),
        close: (code, reason) => frames.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: unknown) => fail(error, 'error while handling a WebSocket message'));
          }),
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      writers.delete(frames);
      closed(code, String(reason)).catch((error: unknown) => log.error({ err: error }, 'error while closing a WebSocket'));
    });
  }

  return {
    async close() {
      httpServer.off('upgrade', onUpgrade);
      for (const frames of writers) frames.close(1001, 'server shutting down');
      // Calls back once every connection has closed.
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/** The hooks, recording in `extra.subscriptions` each subscription the server accepts until it completes. */
function withOpenSubscriptions(graphql: WebSocketServerOptions): WebSocketServerOptions {
  return {
    ...graphql,
    onSubscribe: async (ctx, id, payload) => {
      const accepted = await graphql.onSubscribe?.(ctx, id, payload);
      if (accepted && 'document' in accepted) {
        const operation = getOperationAST(accepted.document, accepted.operationName);
        if (operation?.operation === 'subscription') {
          const fields = operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '…'));
          ctx.extra.subscriptions.set(id, fields.join(','));
        }
      }
      return accepted;
    },
    onComplete: async (ctx, id, payload) => {
      ctx.extra.subscriptions.delete(id);
      await graphql.onComplete?.(ctx, id, payload);
    },
  };
}
