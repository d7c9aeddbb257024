// The raw baseline (a child process of bench/run.ts): a plain pg client LISTENing to the
// trigger's note_inserted and timing each notification from its comment's insert
// (created_at = clock_timestamp()). Prints "ready", then on SIGTERM one JSON line of latencies.
import pg from 'pg';
import { summarize } from './stats.ts';

const client = new pg.Client({ connectionString: process.argv[2], application_name: 'bench raw listener' });
await client.connect();
const latencies: number[] = [];
let notes = 0;
client.on('notification', (message) => {
  const now = Date.now();
  const payload = JSON.parse(message.payload ?? '{}') as { created_at?: string; count?: number };
  if (payload.created_at) latencies.push(now - Date.parse(payload.created_at));
  notes += payload.count ?? 1;
});
await client.query('LISTEN note_inserted');
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ received: notes, latency: summarize(latencies) })}\n`);
  void client.end().then(() => process.exit(0));
});
