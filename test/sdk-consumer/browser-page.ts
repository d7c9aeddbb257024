// A web page's script of another project, built on the installed @notes-stream/sdk:
// test/sdk-package.test.ts type-checks it in a throwaway project (DOM types, no Node.js types),
// bundles it with esbuild for the browser and loads it in headless Chromium, where start() runs
// a query and a subscription and leaves what they returned in globalThis.sdkPage.
import { createNotesStreamClient, GlobalStatsDocument, NoteEventsDocument } from '@notes-stream/sdk';

export interface PageState {
  opened?: number;
  events: { noteId: number; sequenceAction: number; cursor: string }[];
  error?: string;
}

export async function start(url: string, country: string): Promise<void> {
  const state: PageState = { events: [] };
  (globalThis as { sdkPage?: PageState }).sdkPage = state;
  const client = createNotesStreamClient({ url });
  try {
    state.opened = (await client.query(GlobalStatsDocument)).globalStats.opened;
    for await (const { noteEvent } of client.subscribe(NoteEventsDocument, { filter: { countries: [country] } })) {
      state.events.push({ noteId: noteEvent.noteId, sequenceAction: noteEvent.sequenceAction, cursor: noteEvent.cursor });
    }
  } catch (error) {
    state.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
