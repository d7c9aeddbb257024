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
  private readonly muted = new Set<string>();

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
        for (const channel of options.channels) {
          if (!this.muted.has(channel)) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        }
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

  /**
   * Stops hearing a channel until unmute(). A backend that LISTENs is signalled at every
   * notifying commit, and that cost a writer of single commits a fifth of its rate; the
   * processor mutes note_inserted while it claims on a pace anyway.
   */
  mute(channel: string): void {
    if (this.muted.has(channel)) return;
    this.muted.add(channel);
    // Lost with the connection, at worst: setup then leaves the channel out.
    this.connection.current?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
  }

  isMuted(channel: string): boolean {
    return this.muted.has(channel);
  }

  /** Hears the channel again; resolves once LISTEN is in place (or, while disconnected, at once: setup will). */
  async unmute(channel: string): Promise<void> {
    if (!this.muted.delete(channel)) return;
    await this.connection.current?.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  async backendPid(): Promise<number | null> {
    return this.connection.backendPid();
  }
}
