import type { CommandContext } from './registry.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { openDatabaseUrl } from '../db/open.ts';

/**
 * Runs `work` with a migrated database URL: DATABASE_URL, the embedded server of a running
 * `npm start` on the same DATA_DIR, or an embedded server started for the command and stopped
 * after it.
 */
export async function withDatabaseUrl<T>(ctx: CommandContext, work: (url: string) => Promise<T>): Promise<T> {
  const { url, embedded } = await openDatabaseUrl(ctx.config, ctx.log, { useRunning: true, command: `cli ${ctx.command ?? ''}`.trim() });
  try {
    await migrateDatabase(url);
    return await work(url);
  } finally {
    await embedded?.stop();
  }
}
