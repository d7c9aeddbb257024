// graphql-postgres-subscriptions 1.0.5 ships no types; this is the part of its API we use.
declare module 'graphql-postgres-subscriptions' {
  import type { Client } from 'pg';

  export interface PostgresPubSubOptions {
    /** Our own connected pg 8 client (the package's own pg 7 does not work on Node 20). */
    client: Client;
    commonMessageHandler?: (payload: unknown) => unknown;
  }

  export class PostgresPubSub {
    constructor(options: PostgresPubSubOptions);
    publish(trigger: string, payload: unknown): boolean;
    /** LISTENs on the channel when it is the first subscription to it. */
    subscribe(trigger: string, onMessage: (payload: unknown) => void): Promise<number>;
    /** UNLISTENs when it was the last subscription to the channel. */
    unsubscribe(subId: number): void;
    asyncIterator<T>(triggers: string | string[]): AsyncIterator<T>;
    /** The pg-ipc emitter under it: emits 'listen', 'unlisten' and 'error'. */
    ee: import('node:events').EventEmitter;
  }
}
