// Webhook receiver (a child process of bench/webhooks.ts): answers every POST 204 and times each
// factProcessed delivery from its comment's commit (enqueuedAt) and its fact's commit
// (processedAt) to its arrival here. Per webhook it checks order and repeats (by
// X-Notes-Stream-Delivery). Prints "ready <port>", "received N" as deliveries arrive, "reset"
// after SIGUSR2 (the warm-up is over), then on SIGTERM one JSON line. It does not check signatures (tests do): it stands in for receivers
// on other machines, and what it measures is the server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { printReceived } from './received-lines.ts';
import { summarize } from './stats.ts';

const latency: number[] = [];
const delivery: number[] = [];
const lastPosition = new Map<string, number>();
const seen = new Set<string>();
let received = 0;
let repeats = 0;
let outOfOrder = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    res.writeHead(204).end();
    const id = String(req.headers['x-notes-stream-delivery']);
    if (seen.has(id)) {
      repeats++;
      return;
    }
    seen.add(id);
    const separator = id.lastIndexOf(':');
    const webhook = id.slice(0, separator);
    const position = Number(id.slice(separator + 1));
    if ((lastPosition.get(webhook) ?? 0) >= position) outOfOrder++;
    lastPosition.set(webhook, position);
    const event = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { factProcessed: { enqueuedAt: string; processedAt: string } } })
      .data.factProcessed;
    latency.push(now - Date.parse(event.enqueuedAt));
    delivery.push(now - Date.parse(event.processedAt));
    received++;
  });
});
printReceived(() => received);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`));

// After the warm-up: the figures start over (repeats and order are still checked across).
process.on('SIGUSR2', () => {
  latency.length = 0;
  delivery.length = 0;
  received = 0;
  repeats = 0;
  outOfOrder = 0;
  process.stdout.write('reset\n');
});

process.once('SIGTERM', () => {
  process.stdout.write(
    `${JSON.stringify({
      received,
      repeats,
      outOfOrder,
      webhooks: lastPosition.size,
      latency: summarize(latency),
      delivery: summarize(delivery),
    })}\n`,
  );
  process.exit(0);
});
