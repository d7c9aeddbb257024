import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { EmbeddedDatabase } from './embedded.ts';

export interface OpenedDatabase {
  url: string;
  /** The embedded server this process started (and must stop). */
  embedded: EmbeddedDatabase | undefined;
  /** The embedded server of another running notes-stream that this process uses. */
  sharedWith?: { pid: number; command: string };
}

/**
 * Where the data lives: DATABASE_URL, or the embedded server under DATA_DIR (loaded only then).
 * With `useRunning` (CLI commands), an embedded server that a running notes-stream already
 * serves from DATA_DIR is used as it is; otherwise this process starts and owns one.
 */
export async function openDatabaseUrl(
  config: Config,
  log: Logger,
  options: { useRunning?: boolean; command?: string } = {},
): Promise<OpenedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: undefined };
  const { runningEmbedded, startEmbeddedPostgres } = await import('./embedded.ts');
  if (options.useRunning) {
    const running = await runningEmbedded(config.DATA_DIR);
    if (running?.url) {
      log.info({ pid: running.owner.pid, command: running.command }, 'using the embedded PostgreSQL of a running notes-stream');
      return { url: running.url, embedded: undefined, sharedWith: { pid: running.owner.pid, command: running.command } };
    }
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.DATA_DIR,
    port: config.EMBEDDED_PG_PORT,
    log,
    command: options.command,
  });
  return { url: embedded.url, embedded };
}
