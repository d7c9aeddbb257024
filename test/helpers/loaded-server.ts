import { afterAll, beforeAll } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { useTestDatabase, type TestDatabase } from './database.ts';
import type { FixtureNote } from './notes.ts';
import { loadNotes } from './read-api.ts';
import { startTestServer } from './server.ts';

/**
 * For a test file of the read API: its own database holding `notes` with their facts and
 * datamarts built by the processor, and a server over it, stopped after the file's tests.
 */
export function useLoadedServer(notes: FixtureNote[]): { testDb: TestDatabase; readonly server: RunningServer } {
  const testDb = useTestDatabase();
  let server: RunningServer | undefined;
  beforeAll(async () => {
    await loadNotes(testDb, notes);
    server = await startTestServer(testDb);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    testDb,
    get server() {
      if (!server) throw new Error('the server starts in beforeAll');
      return server;
    },
  };
}
