// A ROLE=processor process serves no GraphQL. With METRICS_PORT set it still answers Prometheus
// (/metrics) and orchestrators' probes (/healthz, /readyz) as an API server does, so that the
// processor's own counters and histograms (batch durations, lag, failures by outcome) can be
// scraped where it runs on its own.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { portError } from './port-reservation.ts';
import { readiness, type ReadinessCheck, type ReadinessOptions } from './readiness.ts';
import { sendJson, sendMetrics } from './send.ts';

export interface ProbeServer {
  port: number;
  stop(): Promise<void>;
}

const ROUTES = '/metrics, /healthz and /readyz';

export async function startProbeServer(
  options: ReadinessOptions & { host: string; port: number; metrics: Registry; checks: ReadinessCheck[] },
): Promise<ProbeServer> {
  const evaluate = readiness.evaluator(options.checks, options);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res.setHeader('allow', 'GET, HEAD'), 405, { error: `method ${req.method} not allowed: ${ROUTES} answer GET` });
    }
    if (path === '/healthz') return void res.writeHead(200).end();
    if (path === '/metrics') return void sendMetrics(res, options.metrics);
    if (path === '/readyz') {
      return void evaluate(req.headers.authorization ?? null).then(({ status, body }) =>
        sendJson(res.setHeader('cache-control', 'no-store'), status, body),
      );
    }
    sendJson(res, 404, { error: `no route ${path}: a processor (ROLE=processor) serves ${ROUTES}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(portError(error, options.host, options.port, 'METRICS_PORT')));
    server.listen({ host: options.host, port: options.port }, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
