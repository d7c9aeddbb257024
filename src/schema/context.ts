import type { AlertEvaluator } from '../alerts/evaluator.ts';
import type { Config } from '../config.ts';
import type { DashboardFeeds } from '../dashboard/feeds.ts';
import type { Database } from '../db/client.ts';
import type { Access } from '../http/access.ts';
import type { Logger } from '../log.ts';
import type { StreamingStatus } from '../streaming/processor/status.ts';
import type { PgPubSub } from '../streaming/realtime/pubsub.ts';
import type { StreamHub } from '../streaming/realtime/stream-hub.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';

/** What every resolver receives; built once per HTTP request or WebSocket operation. */
export interface GraphQLContext {
  /** The primary database: lookups by key, dataloaders, admin operations, stream reads. */
  db: Database;
  /**
   * Lists and analytics, whose statements stop after ANALYTICS_TIMEOUT_MS: a replica when
   * DATABASE_READ_URL is set, else the primary through connections that carry the timeout.
   */
  analyticsDb: Database;
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
  /** This server's streamingStatus, read at most once a second however many subscribers ask. */
  recentStreamingStatus: () => Promise<StreamingStatus>;
  /** The alert rules as this server evaluates them (API processes only). */
  alerts: AlertEvaluator | null;
  /** The pipeline history and rolling-rankings feed of the dashboard (API processes only). */
  dashboard?: DashboardFeeds | null;
  /** Webhook leases, delivery and SSRF guard (API processes with a stream hub only). */
  webhooks: WebhookDispatcher | null;
}
