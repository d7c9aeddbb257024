import type pg from 'pg';
import type { AlertEvaluator } from '../alerts/evaluator.ts';
import type { Config } from '../config.ts';
import type { Access } from '../http/access.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { PgPubSub } from '../streaming/pubsub.ts';
import type { StreamHub } from '../streaming/stream-hub.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';

/** What every resolver receives; built once per HTTP request or WebSocket operation. */
export interface GraphQLContext {
  db: Db;
  /** The same pool as db, for hand-written SQL (streaming status, admin operations). */
  pool: pg.Pool;
  /** Analytics queries go here (a replica when DATABASE_READ_URL is set). */
  readDb: Db;
  config: Config;
  log: Logger;
  /** What the request's tokens open (admin operations, subscriptions); decided per request. */
  access: Access;
  /** The bearer tokens the request presented (owner tokens of webhooks are looked up from these). */
  tokens: readonly string[];
  /** The client's address, for logs. */
  clientAddress?: string;
  startedAt: Date;
  /** The process's event stream and LISTEN connection (API processes only). */
  stream: StreamHub | null;
  pubsub: PgPubSub | null;
  /** The alert rules as this server evaluates them (API processes only). */
  alerts: AlertEvaluator | null;
  /** Webhook leases, delivery and SSRF guard (API processes with a stream hub only). */
  webhooks: WebhookDispatcher | null;
}
