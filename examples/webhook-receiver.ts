// A webhook receiver: checks each delivery's signature and age, drops repeats, prints the event.
//
//   WEBHOOK_SECRET=whsec_… npx tsx examples/webhook-receiver.ts --port 8787
//       receives for a webhook registered elsewhere (createWebhook returned the secret)
//   NOTES_STREAM_TOKEN=<admin or owner token> npx tsx examples/webhook-receiver.ts --register [--bbox S,W,N,E]
//       registers a noteEvent webhook to itself (deleted again on Ctrl-C) and receives it
//
// NOTES_STREAM_URL points at the server (default http://localhost:4000/graphql). A receiver on
// this machine has a loopback address, which the server refuses unless its
// WEBHOOK_ALLOWED_HOSTS names it (e.g. WEBHOOK_ALLOWED_HOSTS=127.0.0.1 npm start).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createNotesStreamClient, CreateWebhookDocument, DeleteWebhookDocument } from '@notes-stream/sdk';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: '8787' }, register: { type: 'boolean', default: false }, bbox: { type: 'string' } },
});
const url = process.env.NOTES_STREAM_URL ?? 'http://localhost:4000/graphql';
/** Deliveries older than this are refused: a captured request sent again later is worthless. */
const MAX_AGE_SECONDS = 300;
let secret = process.env.WEBHOOK_SECRET ?? '';
if (!secret && !args.register) {
  console.error('usage: WEBHOOK_SECRET=whsec_… npx tsx examples/webhook-receiver.ts [--port N]');
  console.error('   or: NOTES_STREAM_TOKEN=<token> npx tsx examples/webhook-receiver.ts --register [--bbox S,W,N,E] [--port N]');
  process.exit(2);
}

/** Why the delivery is not genuine, or null when it is. */
function refusal(headers: IncomingHttpHeaders, body: Buffer): string | null {
  const timestamp = String(headers['x-notes-stream-timestamp'] ?? '');
  const signature = String(headers['x-notes-stream-signature'] ?? '');
  if (!/^\d+$/.test(timestamp)) return 'no timestamp';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_AGE_SECONDS) return 'timestamp too old (or clock skew)';
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  const matches = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  return matches ? null : 'bad signature';
}

// A delivery is sent again when its answer was lost: its id says it was seen already.
const seen = new Set<string>();
function firstTime(deliveryId: string): boolean {
  if (seen.has(deliveryId)) return false;
  seen.add(deliveryId);
  if (seen.size > 10_000) seen.delete(seen.values().next().value!);
  return true;
}

function describeEvent(result: { data?: Record<string, Record<string, unknown> | null> | null }): string {
  const event = result.data?.noteEvent ?? result.data?.factProcessed;
  if (!event) return JSON.stringify(result);
  const where = event.countryCode ? ` in ${event.countryCode}` : '';
  const text = typeof event.text === 'string' ? `: ${event.text.replace(/\s+/g, ' ').slice(0, 80)}` : '';
  return `note ${event.noteId} #${event.sequenceAction} ${String(event.action).toLowerCase()}${where}${text}`;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const why = req.method === 'POST' ? refusal(req.headers, body) : 'not a POST';
    if (why) {
      console.error(`refused a request: ${why}`);
      return void res.writeHead(401).end(why);
    }
    const delivery = String(req.headers['x-notes-stream-delivery']);
    if (firstTime(delivery)) console.log(`${delivery}  ${describeEvent(JSON.parse(body.toString('utf8')))}`);
    res.writeHead(204).end(); // any 2xx moves the webhook's cursor past this event
  });
});
await new Promise<void>((resolve) => server.listen(Number(args.port), '127.0.0.1', resolve));
const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
console.error(`listening on ${target}`);

let registered: string | null = null;
const client = createNotesStreamClient({ url, adminToken: process.env.NOTES_STREAM_TOKEN });
if (args.register) {
  const bbox = args.bbox?.split(',').map(Number);
  const filter = bbox && bbox.length === 4 ? { bbox: { south: bbox[0]!, west: bbox[1]!, north: bbox[2]!, east: bbox[3]! } } : {};
  const { createWebhook } = await client.mutate(CreateWebhookDocument, {
    url: target,
    query: 'subscription($filter: EventFilter) { noteEvent(filter: $filter) { cursor noteId sequenceAction action createdAt countryCode text } }',
    variables: { filter },
    description: 'examples/webhook-receiver.ts',
  });
  secret = createWebhook.secret;
  registered = createWebhook.webhook.id;
  console.error(`registered webhook ${registered}; Ctrl-C deletes it`);
}

async function stop(): Promise<void> {
  if (registered) await client.mutate(DeleteWebhookDocument, { id: registered }).catch(() => {});
  await client.close();
  server.close();
  server.closeAllConnections();
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
