// The HTTP port is taken before anything else starts: a busy port must stop `npm start` at once,
// not after the database, migrations and processor came up. The reservation is a bare listening
// socket, closed right before the real server listens on the same port.
import { createServer, type Server } from 'node:net';

/** Thrown for a busy or forbidden port; its message is the one line main prints. */
export class PortUnavailableError extends Error {
  override name = 'PortUnavailableError';
}

/** `variable` names the setting that chose the port (PORT, or METRICS_PORT for a processor's probes). */
export function portError(error: unknown, host: string, port: number, variable = 'PORT'): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new PortUnavailableError(`${variable} ${port} is already in use (on ${host}): stop what listens there, or set ${variable} to a free port`);
  }
  if (code === 'EACCES') {
    return new PortUnavailableError(`${variable} ${port} needs privileges this process lacks (on ${host}): set ${variable} to 1024 or above`);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new PortUnavailableError(`HOST ${host} is not an address of this machine: set HOST to one (0.0.0.0 for all)`);
  }
  return error as Error;
}

/** Listens on host:port (port 0: nothing to reserve) and returns a function that lets it go. */
export async function reservePort(host: string, port: number): Promise<() => Promise<void>> {
  if (port === 0) return async () => {};
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(portError(error, host, port)));
    server.listen({ host, port }, () => resolve());
  });
  let released: Promise<void> | undefined;
  return () => (released ??= new Promise<void>((resolve) => server.close(() => resolve())));
}
