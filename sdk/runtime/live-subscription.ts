// One subscription as an async iterator over graphql-ws. Operations that declare $after and
// select `cursor` (codegen marks them with resumeField) are resumable: the subscription keeps
// the cursor of the last event it received and every (re)subscription sends it as `after`, so a
// reconnection, a SLOW_CONSUMER stop or a pause for a slow reader continues without gap or
// duplicate. Other subscriptions are simply subscribed again after a reconnection.
import type { Client } from 'graphql-ws/client';
import { GraphQLRequestError, toSubscriptionError, type GraphQLErrorInfo } from './errors.ts';
import { EventQueue } from './event-queue.ts';
import type { OperationMeta } from './operation-meta.ts';

export interface SubscribeOptions {
  /** Aborting it ends the subscription, like close(). */
  signal?: AbortSignal;
  /**
   * Resumable subscriptions only: events received but not yet read before the subscription is
   * paused (unsubscribed) until the reader catches up, then resumed from its cursor. Default 1000.
   */
  bufferLimit?: number;
}

export interface LiveSubscription<TResult> extends AsyncIterableIterator<TResult> {
  /** Whether a lost connection resumes after the last cursor (see sdk/operations/*.graphql). */
  readonly resumable: boolean;
  /** The cursor of the last event received (or the `after` given), for resumable operations. */
  readonly cursor: string | undefined;
  /** Ends the subscription; a pending next() then returns done. */
  close(): void;
}

interface Attempt {
  dispose: () => void;
}

const DEFAULT_BUFFER_LIMIT = 1000;

export function liveSubscription<TResult>(
  ws: Client,
  query: string,
  meta: OperationMeta,
  variables: Record<string, unknown> | undefined,
  options: SubscribeOptions = {},
  onEnded: () => void = () => {},
  /** The stream's current cursor (the streamCursor query), asked before a resumable first subscribe. */
  head?: () => Promise<string>,
): LiveSubscription<TResult> {
  const resumeField = meta.resumeField;
  const bufferLimit = Math.max(1, options.bufferLimit ?? DEFAULT_BUFFER_LIMIT);
  const queue = new EventQueue<TResult>();
  let cursor = resumeField && typeof variables?.after === 'string' ? variables.after : undefined;
  let attempt: Attempt | undefined;
  let paused = false;
  let over = false;

  // graphql-ws serialises the payload at every (re)subscription, so `after` is read then.
  const payload = {
    query,
    operationName: meta.name,
    get variables(): Record<string, unknown> {
      return cursor === undefined ? { ...variables } : { ...variables, after: cursor };
    },
  };

  function start(): void {
    paused = false;
    const current: Attempt = { dispose: () => {} };
    attempt = current;
    current.dispose = ws.subscribe<TResult>(payload, {
      next: (result) => {
        if (attempt !== current) return;
        if (result.errors?.length) return failOrResume(new GraphQLRequestError(result.errors as GraphQLErrorInfo[], result.data ?? null));
        const data = result.data as TResult;
        if (resumeField) {
          const event = (data as Record<string, { cursor?: unknown } | null>)[resumeField];
          if (typeof event?.cursor === 'string') cursor = event.cursor;
        }
        queue.push(data);
        if (resumeField && queue.size >= bufferLimit) stop(true);
      },
      error: (error) => {
        if (attempt === current) failOrResume(toSubscriptionError(error));
      },
      complete: () => {
        if (attempt === current) finish();
      },
    });
  }

  function failOrResume(failure: Error): void {
    // The server stopped a subscriber that fell behind; from the cursor nothing is lost.
    if (resumeField && failure instanceof GraphQLRequestError && failure.code === 'SLOW_CONSUMER') {
      stop(false);
      start();
    } else {
      finish(failure);
    }
  }

  function stop(pause: boolean): void {
    const current = attempt;
    attempt = undefined;
    paused = pause;
    current?.dispose();
  }

  function finish(error?: Error): void {
    stop(false);
    queue.end(error);
    ended();
  }

  function close(): void {
    stop(false);
    queue.discard();
    ended();
  }

  function ended(): void {
    over = true;
    options.signal?.removeEventListener('abort', close);
    onEnded();
  }

  options.signal?.addEventListener('abort', close, { once: true });
  if (options.signal?.aborted) close();
  else if (resumeField && cursor === undefined && head) {
    // Without a cursor, a connection lost before the first event would resume from "now" on
    // the new connection, and what committed in between would be missed. Starting from the
    // stream's head makes even that gap resumable; a server without the query starts plainly.
    head().then(
      (headCursor) => {
        cursor ??= headCursor;
        if (!over && !attempt) start();
      },
      () => {
        if (!over && !attempt) start();
      },
    );
  } else start();

  return {
    resumable: resumeField !== undefined,
    get cursor() {
      return cursor;
    },
    close,
    next() {
      const result = queue.next(); // takes a waiting event at once, if there is one
      if (paused && queue.size <= bufferLimit / 2) start();
      return result;
    },
    async return() {
      close();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
