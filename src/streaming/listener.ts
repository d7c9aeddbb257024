import pg from 'pg';
import type { Logger } from '../log.ts';
import { backoffDelay, sleep } from './backoff.ts';

export interface ListenerOptions {
  url: string;
  channels: readonly string[];
  log: Logger;
  applicationName?: string;
  onNotification: (channel: string, payload: string) => void;
  /** Called after every (re)connect once LISTEN is in place: the moment to catch up. */
  onConnect?: () => void;
  /** How often the connection is probed; a probe unanswered for this long counts as a loss. */
  healthCheckMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
}

/**
 * One dedicated LISTEN connection that notices a loss quickly (socket events, TCP keepalive
 * and a periodic probe), reconnects with exponential backoff and jitter, and LISTENs again.
 * Notifications missed while it was away are not its concern: onConnect lets the owner catch
 * up from the tables.
 */
export class PgListener {
  connected = false;
  reconnects = 0;
  notifications = 0;
  lastNotificationAt: Date | null = null;
  /** When the connection was last lost (null while connected, or before the first connect). */
  downSince: Date | null = null;
  private client: pg.Client | null = null;
  private everConnected = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private firstConnect: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  constructor(private readonly options: ListenerOptions) {}

  /** Resolves once listening; a failure of the first attempt rejects (start-up reports it). */
  start(): Promise<void> {
    const first = new Promise<void>((resolve, reject) => (this.firstConnect = { resolve, reject }));
    this.loop = this.run();
    return first;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.client?.end().catch(() => {});
    await this.loop;
  }

  /** The backend pid of the current connection (tests terminate it to simulate a loss). */
  async backendPid(): Promise<number | null> {
    const client = this.client;
    if (!client || !this.connected) return null;
    return (client as unknown as { processID: number | null }).processID;
  }

  private async run(): Promise<void> {
    const { log, channels } = this.options;
    let attempt = 0;
    while (!this.abort.signal.aborted) {
      try {
        const { lost } = await this.connect();
        if (this.everConnected) this.reconnects++;
        this.everConnected = true;
        attempt = 0;
        this.firstConnect?.resolve();
        this.firstConnect = undefined;
        const reason = await lost;
        if (this.abort.signal.aborted) break;
        this.markDown();
        log.warn({ channels, reason }, 'LISTEN connection lost; reconnecting');
      } catch (error) {
        if (this.firstConnect) {
          this.firstConnect.reject(error);
          this.firstConnect = undefined;
          return;
        }
        if (this.abort.signal.aborted) break;
        log.warn({ err: error, attempt }, 'LISTEN reconnect failed');
      }
      const delay = backoffDelay(attempt++, this.options.reconnectBaseMs ?? 2_000, this.options.reconnectMaxMs ?? 60_000);
      await sleep(delay, this.abort.signal);
    }
    this.connected = false;
  }

  /** Connects and LISTENs; `lost` settles (with a reason) when the connection goes. */
  private async connect(): Promise<{ lost: Promise<string> }> {
    const { url, channels, applicationName, onNotification, onConnect } = this.options;
    const client = new pg.Client({
      connectionString: url,
      application_name: applicationName ?? 'notes-stream listener',
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
    });
    let settle!: (reason: string) => void;
    const lost = new Promise<string>((resolve) => (settle = resolve));
    client.on('error', (error) => settle(error.message));
    client.on('end', () => settle('connection ended'));
    client.on('notification', (message) => {
      this.notifications++;
      this.lastNotificationAt = new Date();
      onNotification(message.channel, message.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.connected = true;
    this.downSince = null;
    this.options.log.debug({ channels }, 'listening');
    const probe = this.probe(client, settle);
    onConnect?.();
    return {
      lost: lost.finally(() => {
        clearInterval(probe);
        this.connected = false;
        this.client = null;
        client.end().catch(() => {});
      }),
    };
  }

  /** A query every healthCheckMs; one that does not answer in time means the link is dead. */
  private probe(client: pg.Client, settle: (reason: string) => void): NodeJS.Timeout {
    const every = this.options.healthCheckMs ?? 5_000;
    let busy = false;
    return setInterval(() => {
      if (busy) return settle(`health check unanswered for ${every} ms`);
      busy = true;
      client.query('SELECT 1').then(
        () => (busy = false),
        (error: Error) => settle(error.message),
      );
    }, every).unref();
  }

  private markDown(): void {
    this.connected = false;
    this.downSince ??= new Date();
  }
}
