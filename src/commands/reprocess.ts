import { parseArgs } from 'node:util';
import type { CommandContext } from './registry.ts';
import { createDatabase } from '../db/client.ts';
import { reprocessNotes, reprocessRange } from '../streaming/processor/admin.ts';
import { Processor } from '../streaming/processor/processor.ts';
import { withDatabaseUrl } from './database.ts';

const USAGE = 'usage: npm run cli -- reprocess (--from <note id> --to <note id> | --ids <id,id,...>) [--no-wait]';

/**
 * Queues notes for reprocessing through the outbox, then (unless --no-wait) waits until they are
 * done, processing them itself when no processor is running.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args,
    options: { from: { type: 'string' }, to: { type: 'string' }, ids: { type: 'string' }, 'no-wait': { type: 'boolean' } },
  });
  const ids = values.ids?.split(',').map((id) => Number(id.trim()));
  const range = values.from !== undefined || values.to !== undefined ? [Number(values.from), Number(values.to)] : null;
  if ((ids === undefined) === (range === null) || ids?.some((id) => !Number.isInteger(id)) || range?.some((n) => !Number.isInteger(n))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (range && range[0]! > range[1]!) {
    process.stderr.write(`notes-stream reprocess: --from (${range[0]}) is after --to (${range[1]})\n`);
    return 2;
  }
  return withDatabaseUrl(ctx, async (url) => {
    const database = createDatabase(url, { poolSize: 3, applicationName: 'notes-stream reprocess' });
    try {
      const queued = range ? await reprocessRange(database.pool, range[0]!, range[1]!) : await reprocessNotes(database.pool, ids!);
      process.stdout.write(`queued ${queued} note(s) for reprocessing\n`);
      if (values['no-wait'] || queued === 0) return 0;
      const { rows } = await database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM streaming.processors WHERE heartbeat_at > now() - interval '15 seconds'`,
      );
      const processor = rows[0]!.n === 0 ? new Processor({ url, pool: database.pool, config: ctx.config, log: ctx.log }) : null;
      await processor?.start();
      try {
        for (;;) {
          const left = await database.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM streaming.events WHERE kind = 'reprocess' AND status = 'pending'`,
          );
          if (process.stderr.isTTY) process.stderr.write(`\r${left.rows[0]!.n} note(s) left   `);
          if (left.rows[0]!.n === 0) break;
          await new Promise((r) => setTimeout(r, 250));
        }
      } finally {
        await processor?.stop();
      }
      process.stdout.write(`${process.stderr.isTTY ? '\n' : ''}reprocessed ${queued} note(s)\n`);
      return 0;
    } finally {
      await database.close();
    }
  });
}

