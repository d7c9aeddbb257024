// The poll loop: poll, store, wait POLL_INTERVAL; after a failure wait with backoff (or what
// Retry-After asks) and try again, forever, until stopped. Nothing a server sends makes it crash.
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { pollOnce, type PollOutcome } from './api-poller.ts';
import { loadCountryIds, type CountryIdAt } from './country-ids.ts';
import { recordPoll, recordPollerStopped } from './poll-health.ts';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type Backoff } from './poll-schedule.ts';

export interface PollerOptions {
  pool: pg.Pool;
  apiUrl: string;
  intervalMs: number;
  log: Logger;
  since?: string;
  backoff?: Backoff;
  timeoutMs?: number;
  /** MAX_COMMENT_LENGTH: longer comment texts are cut to it. */
  maxCommentLength?: number;
  /** Called after every poll (tests and metrics). */
  onPoll?: (outcome: PollOutcome) => void;
}

export interface RunningPoller {
  /** Stops after the poll in progress (its transaction completes or rolls back). */
  stop(): Promise<void>;
  done: Promise<void>;
}

export function startPoller(options: PollerOptions): RunningPoller {
  const stopping = new AbortController();
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const { log } = options;

  const loop = async () => {
    let failures = 0;
    let countryIdAt: CountryIdAt | undefined;
    while (!stopping.signal.aborted) {
      let outcome: PollOutcome;
      try {
        countryIdAt ??= await loadCountryIds(options.pool);
        outcome = await pollOnce({ ...options, countryIdAt, signal: stopping.signal });
      } catch (error) {
        // Reading the mark failed: the database is away. Same treatment as any other failure.
        outcome = { ok: false, url: options.apiUrl, kind: 'database', message: error instanceof Error ? error.message : String(error) };
      }
      if (stopping.signal.aborted && !outcome.ok && outcome.kind === 'network') break;
      options.onPoll?.(outcome);
      let delay: number;
      if (outcome.ok) {
        failures = 0;
        delay = outcome.full ? 0 : options.intervalMs;
        log.info(
          {
            notes: outcome.notes,
            newNotes: outcome.notesInserted,
            updatedNotes: outcome.notesUpdated,
            newComments: outcome.commentsInserted,
            ...(outcome.commentsCut > 0 ? { commentsCut: outcome.commentsCut, charactersCut: outcome.charactersCut } : {}),
            since: outcome.nextSince,
          },
          'poll stored',
        );
      } else {
        failures++;
        delay = outcome.retryAfterMs ?? backoffDelay(failures, backoff);
        log.warn({ kind: outcome.kind, status: outcome.status, url: outcome.url, failures, retryInMs: delay }, `poll failed: ${outcome.message}`);
      }
      // For /metrics and the alert rules of the API servers (see poll-health.ts).
      await recordPoll(options.pool, outcome, new Date(Date.now() + delay)).catch((error: unknown) =>
        log.warn({ err: error }, 'could not record the poll outcome'),
      );
      await sleep(delay, stopping.signal);
    }
    await recordPollerStopped(options.pool).catch((error: unknown) => log.warn({ err: error }, 'could not record that the poller stopped'));
  };

  const done = loop();
  return {
    done,
    async stop() {
      stopping.abort();
      await done;
    },
  };
}
