import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { EmbeddedDatabase } from './embedded.ts';

/** Where the data lives: DATABASE_URL, or an embedded server started here (loaded only then). */
export async function openDatabaseUrl(
  config: Config,
  log: Logger,
): Promise<{ url: string; embedded: EmbeddedDatabase | undefined }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: undefined };
  const { startEmbeddedPostgres } = await import('./embedded.ts');
  const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, log });
  return { url: embedded.url, embedded };
}
