// `import <file>`: load an OSM planet notes dump (plain or .bz2) into the base tables.
import { parseArgs } from 'node:util';
import type { CommandContext } from './registry.ts';
import { createDatabase } from '../db/client.ts';
import {
  BULK_THRESHOLD_COMMENTS,
  DEFAULT_BATCH_NOTES,
  DEFAULT_CONNECTIONS,
  importDump,
  type BulkMode,
} from '../ingest/import-dump.ts';
import { formatProgress, formatSummary } from '../ingest/import-report.ts';
import { withDatabaseUrl } from './database.ts';

export const usage = `usage: import <file.osn.xml[.bz2]> [options]
  --batch-notes N   notes per transaction (default ${DEFAULT_BATCH_NOTES})
  --connections N   transactions written at once (default ${DEFAULT_CONNECTIONS})
  --bulk MODE       auto (default: bulk from ${BULK_THRESHOLD_COMMENTS} comments), on, off
  --quiet           no progress line
`;

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive integer`);
  return Number(value);
}

export async function run(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    allowPositionals: true,
    options: {
      'batch-notes': { type: 'string' },
      connections: { type: 'string' },
      bulk: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(usage);
    return 2;
  }
  const bulk = (values.bulk ?? 'auto') as BulkMode;
  if (!['auto', 'on', 'off'].includes(bulk)) throw new Error('--bulk must be auto, on or off');
  const batchNotes = positiveInteger(values['batch-notes'], 'batch-notes', DEFAULT_BATCH_NOTES);
  const connections = positiveInteger(values.connections, 'connections', DEFAULT_CONNECTIONS);
  const file = positionals[0]!;

  return withDatabaseUrl(ctx, async (url) => {
    const database = createDatabase(url, { poolSize: connections + 1, applicationName: 'notes-stream import' });
    const stop = new AbortController();
    const interrupt = () => stop.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    const tty = !values.quiet && process.stderr.isTTY;
    try {
      const summary = await importDump({
        pool: database.pool,
        file,
        batchNotes,
        connections,
        bulk,
        maxCommentLength: ctx.config.MAX_COMMENT_LENGTH,
        signal: stop.signal,
        onProgress: tty ? (p) => process.stderr.write(`\r\x1b[K${formatProgress(file, p)}`) : undefined,
      });
      if (tty) process.stderr.write('\r\x1b[K');
      if (summary.error) process.stderr.write(`notes-stream import: ${summary.error.message}\n`);
      process.stdout.write(`${formatSummary(summary).join('\n')}\n`);
      return summary.complete ? 0 : 1;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      await database.close();
    }
  });
}
