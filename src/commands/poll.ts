// `poll`: keep the base tables up to date from the OSM API (OSM_API_URL, every POLL_INTERVAL s).
import { parseArgs } from 'node:util';
import type { CommandContext } from './registry.ts';
import { createDatabase } from '../db/client.ts';
import { pollOnce, type PollOutcome } from '../ingest/api-poller.ts';
import { parseIsoTimestamp } from '../ingest/fields.ts';
import { startPoller } from '../ingest/poll-daemon.ts';
import { recordPoll } from '../ingest/poll-health.ts';
import { withDatabaseUrl } from './database.ts';

export const usage = `usage: poll [options]
  --once            poll one time and exit (0 when the answer was stored)
  --since TIME      start from this ISO 8601 UTC time when the database has no mark yet
  --interval S      seconds between polls (default POLL_INTERVAL)
`;

function describeOutcome(outcome: PollOutcome): string {
  if (outcome.ok) {
    return (
      `polled ${outcome.url}: ${outcome.notes} notes (${outcome.notesInserted} new, ${outcome.notesUpdated} updated), ` +
      `${outcome.commentsInserted} new comments; ` +
      (outcome.commentsCut > 0
        ? `${outcome.commentsCut} comment text${outcome.commentsCut === 1 ? '' : 's'} cut to MAX_COMMENT_LENGTH (${outcome.charactersCut} characters); `
        : '') +
      `next from ${outcome.nextSince}`
    );
  }
  return `poll of ${outcome.url} failed (${outcome.kind}): ${outcome.message}`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args,
    options: {
      once: { type: 'boolean' },
      since: { type: 'string' },
      interval: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const since = values.since === undefined ? undefined : parseIsoTimestamp(values.since, '--since');
  if (values.interval !== undefined && !/^\d+$/.test(values.interval)) throw new Error('--interval must be a number of seconds');
  const intervalMs = Number(values.interval ?? ctx.config.POLL_INTERVAL) * 1000;
  const apiUrl = ctx.config.OSM_API_URL;

  return withDatabaseUrl(ctx, async (url) => {
    const database = createDatabase(url, { poolSize: 2, applicationName: 'notes-stream poll' });
    try {
      if (values.once) {
        const outcome = await pollOnce({ pool: database.pool, apiUrl, since, maxCommentLength: ctx.config.MAX_COMMENT_LENGTH });
        // No next poll is promised: the freshness alert watches only a running daemon.
        await recordPoll(database.pool, outcome, null).catch((error: unknown) =>
          ctx.log.warn({ err: error }, 'could not record the poll outcome'),
        );
        (outcome.ok ? process.stdout : process.stderr).write(`${describeOutcome(outcome)}\n`);
        return outcome.ok ? 0 : 1;
      }
      const poller = startPoller({
        pool: database.pool,
        apiUrl,
        since,
        intervalMs,
        maxCommentLength: ctx.config.MAX_COMMENT_LENGTH,
        log: ctx.log,
        onPoll: (outcome) => (outcome.ok ? process.stdout : process.stderr).write(`${describeOutcome(outcome)}\n`),
      });
      const stop = () => void poller.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await poller.done;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      return 0;
    } finally {
      await database.close();
    }
  });
}
