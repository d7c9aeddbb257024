// A Node.js program of another project, built on the installed @notes-stream/sdk:
// test/sdk-package.test.ts copies it into a throwaway project outside this repository,
// type-checks and compiles it there, and runs it with node. One JSON line per step on stdout.
//   node node-consumer.js <GraphQL URL> <country code> <number of events to read>
import { CountryDatamartDocument, createNotesStreamClient, GlobalStatsDocument, GraphQLRequestError, NoteEventsDocument } from '@notes-stream/sdk';

const [url = '', country = '', count = '0'] = process.argv.slice(2);
const say = (step: string, detail: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ step, ...detail })}\n`);

const client = createNotesStreamClient({
  url,
  retryDelayMs: () => 100,
  on: { connected: (_socket, _payload, wasRetry) => say('connected', { retry: wasRetry }) },
});

/** Never called; it only has to fail to compile, which it does only if the package's types are there. */
export function wrongVariable() {
  // @ts-expect-error code is a String!, not a number
  return client.query(CountryDatamartDocument, { code: 42 });
}

const { globalStats } = await client.query(GlobalStatsDocument);
const opened: number = globalStats.opened;
const refused: unknown = await client.query(CountryDatamartDocument, { code: 'XY' }).catch((error: unknown) => error);
say('query', { opened, refused: refused instanceof GraphQLRequestError ? { code: refused.code, message: refused.message } : String(refused) });

let read = 0;
for await (const { noteEvent } of client.subscribe(NoteEventsDocument, { filter: { countries: [country] } })) {
  say('event', { noteId: noteEvent.noteId, sequenceAction: noteEvent.sequenceAction, cursor: noteEvent.cursor });
  if (++read === Number(count)) break;
}
await client.close();
say('done');
