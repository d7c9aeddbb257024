// The crowd (a child process of bench/run.ts): --count factProcessed subscriptions over
// --sockets WebSockets, filtered as audience.ts says, that only count what they receive.
// Prints "ready N" once every socket is acknowledged, "received N" as events arrive, then on
// SIGTERM one JSON line { subscribers, received, errors }.
//
// It speaks graphql-transport-ws itself instead of using the graphql-ws client, which decodes
// every message: these processes stand in for clients on other machines, yet share the two
// cores with the server they measure, and at 10,000 subscribers that decoding took ~3 of the 16
// CPU-seconds of a scenario. A `next` frame is counted when it carries factProcessed data;
// anything else but the acknowledgement counts as an error. The probe (subscribers.ts) stays a
// full graphql-ws client.
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { watchedCountry } from './audience.ts';
import { printReceived } from './received-lines.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '1' },
    sockets: { type: 'string', default: '1' },
    // Every subscription without a filter (a public feed), instead of audience.ts's filters.
    unfiltered: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const url = values.url!.replace(/^http/, 'ws');
const sockets = Math.max(1, Math.min(count, Number(values.sockets)));
const NEXT = Buffer.from('"type":"next"');
const DATA = Buffer.from('{"data":{"factProcessed":');
const ACK = Buffer.from('"type":"connection_ack"');

let received = 0;
let errors = 0;

function query(i: number): string {
  if (values.unfiltered) return 'subscription { factProcessed { position noteId } }';
  const country = watchedCountry(i);
  return country
    ? `subscription { factProcessed(filter: { countries: ["${country}"] }) { position noteId } }`
    : `subscription { factProcessed(filter: { users: [${1_000_000 + i}] }) { position noteId } }`;
}

function open(socketIndex: number): Promise<WebSocket> {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (data: Buffer) => {
      if (data.includes(NEXT)) {
        if (data.includes(DATA)) received++;
        else errors++;
      } else if (data.includes(ACK)) {
        for (let i = socketIndex; i < count; i += sockets) {
          ws.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: query(i) } }));
        }
        resolve(ws);
      } else {
        errors++; // error, complete or anything unexpected
      }
    });
  });
}

const opened = await Promise.all(Array.from({ length: sockets }, (_, k) => open(k)));
process.stdout.write(`ready ${count}\n`);
printReceived(() => received);

process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ subscribers: count, received, errors })}\n`);
  for (const ws of opened) ws.close();
  process.exit(0);
});
