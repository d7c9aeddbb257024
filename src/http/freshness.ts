// `extensions.freshness` in every GraphQL answer: how far into the event stream the data behind
// the answer goes. The position is the last one this process's stream hub has read (every event
// up to it had committed to the warehouse), sampled when the operation starts executing, so the
// answer includes at least everything up to it: a lower bound, never a promise about events
// after it. With DATABASE_READ_URL the replica may lag behind the primary the hub reads.
//
// The response cache stores answers with the freshness they were computed with (this plugin
// runs before it), and serves them only until the hub reads the next batch: an answer from the
// cache therefore says the same as a new computation would.
// ETags are the cache's keys, so a 304 confirms an answer together with its freshness.
//
// Subscription events carry none: each has its own cursor (its position) and lagMs.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type pg from 'pg';
import { encodeStreamCursor } from '../streaming/realtime/cursor.ts';
import { streamHead } from '../streaming/realtime/stream-events.ts';
import type { StreamHub } from '../streaming/realtime/stream-hub.ts';

export interface Freshness {
  /** The last stream position processed into the warehouse that this server knows of. */
  position: number;
  /** The same position as a subscription cursor: subscribe with it as `after` to get what came later. */
  cursor: string;
  /** When the batch that processed it committed (ISO 8601, UTC); null before any batch. */
  processedAt: string | null;
}

/** Where freshness comes from: the stream hub when the process has one, else the database, read at most once a second. */
export function freshnessSource(hub: StreamHub | null | undefined, pool: pg.Pool): () => Freshness | Promise<Freshness> {
  if (hub) return () => freshness(hub.position, hub.committedAt);
  let memo: { at: number; value: Promise<Freshness> } | undefined;
  return () => {
    if (!memo || Date.now() - memo.at > 1_000) {
      const value = streamHead(pool).then((head) => freshness(head.position, head.committedAt));
      memo = { at: Date.now(), value };
      value.catch(() => (memo = undefined));
    }
    return memo.value;
  };
}

function freshness(position: number, committedAt: Date | null): Freshness {
  return { position, cursor: encodeStreamCursor(position), processedAt: committedAt?.toISOString() ?? null };
}

type Result = { extensions?: Record<string, unknown> };

const withFreshness = <T extends Result>(result: T, value: Freshness): T => ({
  ...result,
  extensions: { ...result.extensions, freshness: value },
});

/**
 * The yoga plugin. Put it before the response cache: executed answers get the freshness sampled
 * before execution and are cached with it; answers that never executed (refused, invalid) get
 * the current one when they are sent.
 */
export function freshnessPlugin(source: () => Freshness | Promise<Freshness>): Plugin {
  return {
    async onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') return;
      const sampled = await source();
      return {
        onExecuteDone({ result, setResult }) {
          if (!isAsyncIterable(result)) setResult(withFreshness(result, sampled));
        },
      };
    },
    async onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) return;
      const results = (Array.isArray(result) ? result : [result]) as Result[];
      if (results.every((r) => r.extensions?.freshness)) return;
      const current = await source();
      const completed = results.map((r) => (r.extensions?.freshness ? r : withFreshness(r, current)));
      setResult((Array.isArray(result) ? completed : completed[0]) as typeof result);
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
