// Load generator of the read-API benchmark, run as its own process so that it does not share
// the server's event loop: POSTs one GraphQL operation with autocannon and prints a JSON summary.
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  query: string;
  connections: number;
  durationSeconds: number;
  /** The answer every response must equal (anything else counts as a mismatch). */
  expectBody?: string;
}

export interface LoadSummary {
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  /** CPU time this load generator used (ms), to count the client's share of the machine. */
  clientCpuMs: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
const cpuBefore = process.cpuUsage();
const result = await autocannon({
  url: request.url,
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query: request.query }),
  connections: request.connections,
  duration: request.durationSeconds,
  ...(request.expectBody ? { expectBody: request.expectBody } : {}),
});
const summary: LoadSummary = {
  requestsPerSecond: result.requests.total / request.durationSeconds,
  requests: result.requests.total,
  latencyMs: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    mean: result.latency.mean,
  },
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  mismatches: (result as unknown as { mismatches?: number }).mismatches ?? 0,
  clientCpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpuBefore)),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
