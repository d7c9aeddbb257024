import { PostgresPubSub } from 'graphql-postgres-subscriptions';
import { z } from 'zod';
import type { Logger } from '../../log.ts';
import { ResilientConnection } from '../resilient-connection.ts';

/** The channels the API listens to and the payloads they carry (ids and positions, never rows). */
const topicSchemas = {
  fact_processed: z.object({ batch: z.number(), from: z.number().nullable(), to: z.number().nullable(), events: z.number() }),
  datamart_updated: z.object({ batch: z.number(), position: z.number().nullable() }).passthrough(),
  note_inserted: z.object({}).passthrough(),
  note_status_changed: z.object({ note_id: z.number(), old_status: z.string(), new_status: z.string() }).passthrough(),
  bulk_import_completed: z.object({}).passthrough(),
  // A webhook was created, paused, resumed or deleted (src/webhooks/store.ts).
  webhooks_changed: z.object({ id: z.string().nullable() }).passthrough(),
} as const;

export type Topic = keyof typeof topicSchemas;
export type TopicPayload<T extends Topic> = z.infer<(typeof topicSchemas)[T]>;

interface Handler {
  topic: Topic;
  onMessage: (payload: never) => void;
  subId?: number;
}

/**
 * graphql-postgres-subscriptions' PostgresPubSub on one dedicated pg 8 connection per API
 * process, made safe to depend on: payloads are validated per topic (malformed ones are logged
 * and skipped), a lost connection is replaced (ResilientConnection) and every channel in use is
 * LISTENed again, and `onReconnect` lets the owner fill the gap from the tables. PostgresPubSub
 * LISTENs on a channel's first subscriber and UNLISTENs after its last.
 */
export class PgPubSub {
  private pubsub: PostgresPubSub | null = null;
  private readonly handlers = new Set<Handler>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly connection: ResilientConnection;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    this.connection = new ResilientConnection({
      url,
      applicationName: 'notes-stream pubsub',
      log,
      reconnectBaseMs: 500,
      setup: async (client) => {
        const pubsub = new PostgresPubSub({ client });
        // pg-ipc reports failed LISTEN/UNLISTEN as 'error' events; a lost connection is noticed
        // (and repaired) by ResilientConnection, so these are only worth a log line.
        pubsub.ee.on('error', (error: Error) => log.debug({ err: error }, 'pubsub LISTEN/UNLISTEN failed'));
        this.pubsub = pubsub;
        for (const handler of this.handlers) await this.attach(handler);
      },
      onConnect: (again) => {
        if (again) for (const listener of this.reconnectListeners) listener();
      },
    });
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  get reconnects(): number {
    return this.connection.reconnects;
  }

  /** When the connection was lost; null while it is up. */
  get downSince(): Date | null {
    return this.connection.downSince;
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  backendPid(): number | null {
    return this.connection.backendPid();
  }

  /** Calls onMessage with each valid payload on the topic; returns the unsubscribe function. */
  subscribe<T extends Topic>(topic: T, onMessage: (payload: TopicPayload<T>) => void): () => void {
    const handler: Handler = { topic, onMessage: onMessage as (payload: never) => void };
    this.handlers.add(handler);
    if (this.connection.connected) void this.attach(handler);
    return () => {
      this.handlers.delete(handler);
      if (handler.subId !== undefined) this.pubsub?.unsubscribe(handler.subId);
      handler.subId = undefined;
    };
  }

  /** Called after every reconnect, once the channels are LISTENed again. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Channels LISTENed right now (tests use it to see LISTEN follow subscribers). */
  async listening(): Promise<string[]> {
    const client = this.connection.current;
    if (!client) return [];
    const { rows } = await client.query<{ channel: string }>('SELECT pg_listening_channels() AS channel');
    return rows.map((r) => r.channel).sort();
  }

  private async attach(handler: Handler): Promise<void> {
    const pubsub = this.pubsub;
    if (!pubsub) return;
    const schema = topicSchemas[handler.topic];
    handler.subId = await pubsub.subscribe(handler.topic, (raw) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const shown = String(JSON.stringify(raw)).slice(0, 200);
        this.log.warn({ topic: handler.topic, payload: shown }, 'malformed notification skipped');
        return;
      }
      try {
        handler.onMessage(parsed.data as never);
      } catch (error) {
        this.log.error({ err: error, topic: handler.topic }, 'notification handler failed');
      }
    });
  }
}
