// Prints the notes opened in a country as they are opened:
//   npx tsx examples/watch-country.ts DE
// The SDK resumes by itself after a dropped connection. The last cursor is also kept in a file
// (.data/watch-country-DE.cursor), so stopping the script and starting it again continues
// where it stopped: nothing missed, nothing twice.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createNotesStreamClient, GraphQLRequestError, NoteEventsDocument } from '@notes-stream/sdk';

const country = (process.argv[2] ?? '').toUpperCase();
if (!/^[A-Z]{2}$/.test(country)) {
  console.error('usage: npx tsx examples/watch-country.ts <ISO 3166-1 alpha-2 code, e.g. DE>');
  process.exit(2);
}
const url = process.env.NOTES_STREAM_URL ?? 'http://localhost:4000/graphql';
const cursorFile = process.env.NOTES_STREAM_CURSOR_FILE ?? `.data/watch-country-${country}.cursor`;

let connected = false;
let stopping = false;
const client = createNotesStreamClient({
  url,
  subscriptionToken: process.env.SUBSCRIPTION_TOKEN,
  on: {
    connected: (_socket, _payload, wasRetry) => {
      connected = true;
      console.error(wasRetry ? '… reconnected; resuming after the last note seen' : '… connected; waiting for notes');
    },
    closed: (event) => {
      const code = (event as { code?: number }).code;
      if (stopping || code === 1000) return; // closed on purpose, by us or because nothing is subscribed
      if (connected) console.error(`… connection lost (${code}); reconnecting`);
      else console.error(`… cannot connect to ${url} (${code}); is the server running (npm start)? retrying`);
      connected = false;
    },
  },
});
function stop(): void {
  stopping = true;
  void client.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

function savedCursor(): string | undefined {
  try {
    return readFileSync(cursorFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function saveCursor(cursor: string): void {
  mkdirSync(dirname(cursorFile), { recursive: true });
  writeFileSync(`${cursorFile}.tmp`, cursor);
  renameSync(`${cursorFile}.tmp`, cursorFile); // atomic: a crash leaves the old cursor or the new one
}

async function watch(after: string | undefined): Promise<void> {
  console.error(`watching notes opened in ${country} at ${url}${after ? ' (resuming from the saved cursor)' : ''}; Ctrl-C stops`);
  const filter = { countries: [country], actions: ['OPENED' as const] };
  for await (const { noteEvent: note } of client.subscribe(NoteEventsDocument, { filter, after })) {
    const text = (note.text ?? '').split('\n')[0]!.slice(0, 80);
    console.log(`${note.createdAt}  note ${note.noteId}  by ${note.username ?? 'anonymous'}  ${JSON.stringify(text)}`);
    console.log(`    https://www.openstreetmap.org/note/${note.noteId}`);
    saveCursor(note.cursor);
  }
}

try {
  await watch(savedCursor());
} catch (error) {
  // A cursor older than the server keeps events (OUTBOX_RETENTION_HOURS) cannot resume.
  if (error instanceof GraphQLRequestError && error.errors[0]?.extensions?.argument === 'after') {
    console.error(`the saved cursor was refused (${error.message}); starting from now`);
    rmSync(cursorFile, { force: true });
    await watch(undefined);
  } else {
    throw error;
  }
}
