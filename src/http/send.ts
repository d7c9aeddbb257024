// Plain node:http answers shared by the API server and a lone processor's probe server.
import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The registry in Prometheus' text format (500 with the error when a collector fails). */
export async function sendMetrics(res: ServerResponse, registry: Registry): Promise<void> {
  try {
    res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  } catch (error) {
    sendJson(res, 500, { error: String(error) });
  }
}
