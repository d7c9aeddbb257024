import type { Config } from '../../config.ts';
import { createDatabase, type Database } from '../../db/client.ts';
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
  // The live tail's two reads run at once: two connections, kept warm.
  const tail = createDatabase(url, { poolSize: 2, applicationName: 'notes-stream stream' });
  const stream = new StreamHub({
    pool: database.pool,
    tailPool: tail.pool,
    pubsub,
    log: log.child({ component: 'stream' }),
    queueLimit: config.SUBSCRIBER_QUEUE_LIMIT,
  });
  try {
    await stream.start();
  } catch (error) {
    await pubsub.stop();
    await tail.close();
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
      await tail.close();
    },
  };
}
