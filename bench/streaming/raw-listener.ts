// The raw baseline (a child process of bench/run.ts): a plain pg client LISTENing to the
// trigger's note_inserted and timing each event from its comment's insert
// (created_at = clock_timestamp()). A single-row commit's notification carries that time; a
// multi-row one carries the event id range, whose times a second connection reads afterwards
// (the arrival time is taken first, so the lookup adds nothing to the figure); concurrent
// writers' ids interleave, so the range is narrowed to the notifying transaction (xmin).
// Prints "ready", then on SIGTERM one JSON line of latencies.
import pg from 'pg';
import { summarize } from './stats.ts';

const url = process.argv[2];
const client = new pg.Client({ connectionString: url, application_name: 'bench raw listener' });
const lookup = new pg.Client({ connectionString: url, application_name: 'bench raw listener lookups' });
await Promise.all([client.connect(), lookup.connect()]);
const latencies: number[] = [];
const lookups: Promise<void>[] = [];
let notes = 0;

async function timeRange(arrivedAt: number, first: number, last: number): Promise<void> {
  const { rows } = await lookup.query<{ ms: number }>(
    `SELECT (extract(epoch FROM c.created_at) * 1000)::float8 AS ms
     FROM streaming.events e JOIN note_comments c ON c.note_id = e.note_id AND c.sequence_action = e.sequence_action
     WHERE e.id BETWEEN $1 AND $2 AND e.xmin = (SELECT xmin FROM streaming.events WHERE id = $1)`,
    [first, last],
  );
  for (const { ms } of rows) latencies.push(arrivedAt - ms);
}

client.on('notification', (message) => {
  const now = Date.now();
  const payload = JSON.parse(message.payload ?? '{}') as { created_at?: string; count?: number; event_id?: number; last_event_id?: number };
  if (payload.created_at) latencies.push(now - Date.parse(payload.created_at));
  else if (payload.event_id !== undefined && payload.last_event_id !== undefined) lookups.push(timeRange(now, payload.event_id, payload.last_event_id));
  notes += payload.count ?? 1;
});
await client.query('LISTEN note_inserted');
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void Promise.all(lookups).then(async () => {
    process.stdout.write(`${JSON.stringify({ received: notes, latency: summarize(latencies) })}\n`);
    await Promise.all([client.end(), lookup.end()]);
    process.exit(0);
  });
});
