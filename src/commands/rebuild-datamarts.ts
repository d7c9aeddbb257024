import type { CommandContext } from './registry.ts';
import { createDatabase } from '../db/client.ts';
import { rebuildDatamarts } from '../streaming/processor/admin.ts';
import { withDatabaseUrl } from './database.ts';

/** Recomputes every datamart from the facts (processors wait while it runs). */
export async function run(ctx: CommandContext): Promise<number> {
  return withDatabaseUrl(ctx, async (url) => {
    const database = createDatabase(url, { poolSize: 1, applicationName: 'notes-stream rebuild' });
    try {
      const started = performance.now();
      await rebuildDatamarts(database.pool);
      process.stdout.write(`datamarts rebuilt from facts in ${Math.round(performance.now() - started)} ms\n`);
      return 0;
    } finally {
      await database.close();
    }
  });
}
