// Subscribers (a child process of bench/run.ts): opens --count graphql-ws subscriptions to
// factProcessed. With --probe, the first is unfiltered and times every event from its comment's
// write (enqueuedAt) to its arrival here; the others filter by a country or a user id
// (audience.ts). Prints "ready" once all are live, "received N" as events arrive, then on
// SIGTERM one JSON line.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { watchedCountry } from './audience.ts';
import { printReceived } from './received-lines.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '1' },
    probe: { type: 'boolean', default: false },
    sockets: { type: 'string', default: '1' },
    // With --probe: writes every event's [position, written, processed, received] (epoch ms)
    // to this JSON file at the end, to find out when the slow ones happened.
    timeline: { type: 'string' },
    // With --probe: also an unfiltered noteEvent subscription on a socket of its own (as a
    // separate client would), timed from the same event's enqueuedAt (known from its
    // factProcessed message, matched by position).
    'note-events': { type: 'boolean', default: false },
    // With --probe: the writer's --acks file, read at SIGTERM, to time each event from its
    // commit's acknowledgement as well (`fromCommit`, matched by note id).
    acks: { type: 'string' },
  },
});
const count = Number(values.count);
const url = values.url!.replace(/^http/, 'ws');
// Many subscriptions share each socket, as a dashboard page or a bot fleet would.
const sockets = Math.max(1, Math.min(count, Number(values.sockets)));
const clients = Array.from({ length: sockets }, () =>
  createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, keepAlive: 0 }),
);

const latencies: number[] = [];
// Where the time goes: comment commit → fact commit (processing), fact commit → here (delivery).
const processing: number[] = [];
const delivery: number[] = [];
const probePositions: number[] = [];
const timeline: [number, number, number, number][] = [];
// Arrival times: `at` as Date.now(), beside the database's millisecond timestamps; `precise` to
// a fraction of a millisecond, for the latency from the writer's acknowledgement.
const preciseNow = () => performance.timeOrigin + performance.now();
const noteArrivals = new Map<number, { at: number; precise: number }>();
const factTimes = new Map<number, { noteId: number; enqueued: number; processed: number; precise: number }>();
let received = 0;
let errors = 0;
let acknowledged = 0;

for (let i = 0; i < count; i++) {
  const probe = values.probe && i === 0;
  const country = watchedCountry(i);
  const query = probe
    ? 'subscription { factProcessed { position noteId enqueuedAt processedAt } }'
    : country
      ? `subscription { factProcessed(filter: { countries: ["${country}"] }) { position noteId } }`
      : `subscription { factProcessed(filter: { users: [${1_000_000 + i}] }) { position noteId } }`;
  clients[i % sockets]!.subscribe<{ factProcessed: { position: number; noteId: number; enqueuedAt?: string; processedAt?: string } }>(
    { query },
    {
      next: (result) => {
        const event = result.data?.factProcessed;
        if (!event) return;
        received++;
        if (probe) {
          const precise = preciseNow();
          const now = Date.now();
          latencies.push(now - Date.parse(event.enqueuedAt!));
          processing.push(Date.parse(event.processedAt!) - Date.parse(event.enqueuedAt!));
          delivery.push(now - Date.parse(event.processedAt!));
          probePositions.push(event.position);
          if (values['note-events'] || values.acks) {
            factTimes.set(event.position, { noteId: event.noteId, enqueued: Date.parse(event.enqueuedAt!), processed: Date.parse(event.processedAt!), precise });
          }
          if (values.timeline) timeline.push([event.position, Date.parse(event.enqueuedAt!), Date.parse(event.processedAt!), now]);
        }
      },
      error: () => errors++,
      complete: () => {},
    },
  );
  acknowledged++;
}

const noteClient = values.probe && values['note-events']
  ? createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, keepAlive: 0 })
  : null;
if (noteClient) {
  clients.push(noteClient);
  noteClient.subscribe<{ noteEvent: { position: number } }>(
    { query: 'subscription { noteEvent { position createdAt } }' },
    {
      next: (result) => {
        const position = result.data?.noteEvent.position;
        if (position === undefined) return;
        noteArrivals.set(position, { at: Date.now(), precise: preciseNow() });
      },
      error: () => errors++,
      complete: () => {},
    },
  );
}

/** noteEvent latencies (commit → arrival, and fact commit → arrival) of the events both subscriptions got. */
function noteEventSummary() {
  const latency: number[] = [];
  const noteDelivery: number[] = [];
  for (const [position, { at }] of noteArrivals) {
    const fact = factTimes.get(position);
    if (!fact) continue;
    latency.push(at - fact.enqueued);
    noteDelivery.push(at - fact.processed);
  }
  return { received: noteArrivals.size, latency: summarize(latency), delivery: summarize(noteDelivery) };
}

/** Latency from each commit's acknowledgement at the writer to arrival here, for both subscriptions. */
function fromCommitSummary() {
  const acks = JSON.parse(readFileSync(values.acks!, 'utf8')) as Record<string, number>;
  const fact: number[] = [];
  const note: number[] = [];
  for (const [position, { noteId, precise }] of factTimes) {
    const ack = acks[noteId];
    if (ack === undefined) continue;
    fact.push(precise - ack);
    const noteArrived = noteArrivals.get(position);
    if (noteArrived) note.push(noteArrived.precise - ack);
  }
  return { factProcessed: summarize(fact), noteEvent: summarize(note) };
}

// graphql-ws gives no "subscribed" acknowledgement: wait until the sockets are open (the
// benchmark then asks the server's /metrics whether every subscription is live).
await Promise.all(clients.map((c) => new Promise<void>((resolve) => {
  const off = c.on('connected', () => {
    off();
    resolve();
  });
})));
process.stdout.write(`ready ${acknowledged}\n`);
if (values.probe) setInterval(() => process.stdout.write(`progress ${probePositions.length}\n`), 250).unref();
printReceived(() => received);

process.on('SIGTERM', () => {
  if (values.timeline) {
    mkdirSync(dirname(values.timeline), { recursive: true });
    writeFileSync(values.timeline, JSON.stringify(timeline));
  }
  const ordered = probePositions.every((p, i) => i === 0 || p > probePositions[i - 1]!);
  process.stdout.write(
    `${JSON.stringify({ subscribers: count, received, errors, probeEvents: probePositions.length, probeOrdered: ordered, latency: summarize(latencies), processing: summarize(processing), delivery: summarize(delivery), ...(values['note-events'] ? { noteEvent: noteEventSummary() } : {}), ...(values.acks ? { fromCommit: fromCommitSummary() } : {}) })}\n`,
  );
  void Promise.all(clients.map((c) => c.dispose())).then(() => process.exit(0));
});
