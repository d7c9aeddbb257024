// `generate`: synthetic notes, either live into the database at a rate, or as a dump file.
import { parseArgs } from 'node:util';
import type { CommandContext } from './registry.ts';
import { createDatabase } from '../db/client.ts';
import { seedDemoData } from '../ingest/demo.ts';
import { writeDump } from '../ingest/generator/dump-writer.ts';
import { GENERATED_DUMP_ID_BASE } from '../ingest/generator/synthetic-notes.ts';
import { startLiveFeed } from '../ingest/generator/live-feed.ts';
import { withDatabaseUrl } from './database.ts';

export const usage = `usage: generate [options]
  live feed into the database (until Ctrl-C or --seconds):
    --rate N          actions per second (default 1)
    --seconds S       stop after S seconds
  --dump FILE         write a planet notes dump instead (.bz2: compressed with the system's bzip2)
    --comments N      its number of comments (default 1000)
    --first-id N      the first note's id (default 1500000001: dumps have their own id range,
                      apart from real OSM ids and the demo data; give each further dump
                      that goes into the same database its own range)
  --demo              seed the demo dataset (only when the notes table is empty)
  --seed N            random seed (same seed, same notes)
`;

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`--${name} must be a number`);
  return Number(value);
}

export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args,
    options: {
      rate: { type: 'string' },
      seconds: { type: 'string' },
      dump: { type: 'string' },
      comments: { type: 'string' },
      'first-id': { type: 'string' },
      demo: { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const seed = number(values.seed, 'seed', 1);
  if (values.dump) {
    const firstNoteId = number(values['first-id'], 'first-id', GENERATED_DUMP_ID_BASE + 1);
    if (!Number.isInteger(firstNoteId) || firstNoteId < 1) throw new Error(`--first-id must be a positive integer, got ${values['first-id']}`);
    const written = await writeDump(values.dump, {
      comments: number(values.comments, 'comments', 1000),
      seed,
      idBase: GENERATED_DUMP_ID_BASE,
      firstNoteId,
    });
    process.stdout.write(`wrote ${values.dump}: ${written.notes} notes, ${written.comments} comments\n`);
    return 0;
  }
  return withDatabaseUrl(ctx, async (url) => {
    const database = createDatabase(url, { poolSize: 2, applicationName: 'notes-stream generate' });
    try {
      if (values.demo) {
        const result = await seedDemoData(database.pool, ctx.log);
        process.stdout.write(
          result.seeded
            ? `seeded ${result.notes} demo notes with ${result.comments} comments\n`
            : 'notes already present: demo data not seeded\n',
        );
        return 0;
      }
      const rate = number(values.rate, 'rate', 1);
      const stop = new AbortController();
      const interrupt = () => stop.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const timer = values.seconds ? setTimeout(interrupt, number(values.seconds, 'seconds', 0) * 1000) : undefined;
      try {
        const stats = await startLiveFeed(database.pool, { ratePerSecond: rate, signal: stop.signal, seed, log: ctx.log });
        process.stdout.write(`generated ${stats.actions} actions (${stats.notesOpened} new notes), ${stats.failures} failed writes\n`);
        return 0;
      } finally {
        clearTimeout(timer);
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    } finally {
      await database.close();
    }
  });
}
