import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import type { Logger } from '../../log.ts';
import { BadgeWatcher } from './badge-watcher.ts';
import { PgPubSub } from './pubsub.ts';
import { StreamHub } from './stream-hub.ts';

export interface Realtime {
  pubsub: PgPubSub;
  stream: StreamHub;
  stop(): Promise<void>;
}

/** What an API process needs for subscriptions: one LISTEN connection and the stream hub over it. */
export async function startRealtime(url: string, database: Database, config: Config, log: Logger): Promise<Realtime> {
  const pubsub = new PgPubSub(url, log.child({ component: 'pubsub' }));
  await pubsub.start();
  const stream = new StreamHub({
    pool: database.pool,
    pubsub,
    log: log.child({ component: 'stream' }),
    queueLimit: config.SUBSCRIBER_QUEUE_LIMIT,
  });
  try {
    await stream.start();
  } catch (error) {
    await pubsub.stop();
    throw error;
  }
  const badges = new BadgeWatcher(stream, database, log.child({ component: 'badges' }));
  return {
    pubsub,
    stream,
    stop: async () => {
      await badges.stop();
      await stream.stop();
      await pubsub.stop();
    },
  };
}
