import pg from 'pg';
import type { Logger } from '../../log.ts';
import { ResilientConnection } from '../resilient-connection.ts';

export interface ListenerOptions {
  url: string;
  channels: readonly string[];
  log: Logger;
  applicationName?: string;
  onNotification: (channel: string, payload: string) => void;
  /** Called after every (re)connect once LISTEN is in place: the moment to catch up. */
  onConnect?: () => void;
}

/** One LISTEN connection on fixed channels that survives losses (see ResilientConnection). */
export class PgListener {
  notifications = 0;
  lastNotificationAt: Date | null = null;
  private readonly connection: ResilientConnection;

  constructor(options: ListenerOptions) {
    this.connection = new ResilientConnection({
      url: options.url,
      applicationName: options.applicationName ?? 'notes-stream listener',
      log: options.log,
      setup: async (client) => {
        client.on('notification', (message) => {
          this.notifications++;
          this.lastNotificationAt = new Date();
          options.onNotification(message.channel, message.payload ?? '');
        });
        for (const channel of options.channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      },
      onConnect: () => options.onConnect?.(),
    });
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  get reconnects(): number {
    return this.connection.reconnects;
  }

  get downSince(): Date | null {
    return this.connection.downSince;
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  async backendPid(): Promise<number | null> {
    return this.connection.backendPid();
  }
}
