import pg from 'pg';
import type { Logger } from '../log.ts';
import { backoffDelay, sleep } from './backoff.ts';

export interface ResilientConnectionOptions {
  url: string;
  applicationName: string;
  log: Logger;
  /** Prepares each new connection (LISTEN, handlers); a failure counts as a failed connect. */
  setup: (client: pg.Client) => Promise<void>;
  /** After every successful (re)connect; `again` is false the first time. */
  onConnect?: (again: boolean) => void;
  /** How often the connection is probed; a probe unanswered for this long counts as a loss. */
  healthCheckMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
}

/**
 * A dedicated session connection (for LISTEN) that notices a loss quickly — socket errors, TCP
 * keepalive and a periodic probe — and reconnects with exponential backoff and jitter, running
 * `setup` again each time. What was missed while away is the owner's to fetch (onConnect).
 */
export class ResilientConnection {
  connected = false;
  reconnects = 0;
  /** Since when the connection is lost (null while connected). */
  downSince: Date | null = null;
  private client: pg.Client | null = null;
  private pid: number | null = null;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ResilientConnectionOptions) {}

  /** Connects (rejecting when the first attempt fails), then keeps the connection up until stop(). */
  async start(): Promise<void> {
    const { lost } = await this.connect();
    this.options.onConnect?.(false);
    this.loop = this.keepUp(lost);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.client?.end().catch(() => {});
    await this.loop;
    this.connected = false;
  }

  /** The backend pid of the current connection (tests terminate it to simulate a loss). */
  backendPid(): number | null {
    return this.connected ? this.pid : null;
  }

  get current(): pg.Client | null {
    return this.connected ? this.client : null;
  }

  private async keepUp(firstLoss: Promise<string>): Promise<void> {
    const { log, applicationName } = this.options;
    let lost = firstLoss;
    while (!this.abort.signal.aborted) {
      const reason = await lost;
      if (this.abort.signal.aborted) return;
      this.downSince = new Date();
      log.warn({ connection: applicationName, reason }, 'connection lost; reconnecting');
      for (let attempt = 0; ; attempt++) {
        const delay = backoffDelay(attempt, this.options.reconnectBaseMs ?? 2_000, this.options.reconnectMaxMs ?? 60_000);
        await sleep(delay, this.abort.signal);
        if (this.abort.signal.aborted) return;
        try {
          ({ lost } = await this.connect());
          this.reconnects++;
          log.info({ connection: applicationName, reconnects: this.reconnects }, 'reconnected');
          this.options.onConnect?.(true);
          break;
        } catch (error) {
          log.warn({ connection: applicationName, err: error, attempt }, 'reconnect failed');
        }
      }
    }
  }

  private async connect(): Promise<{ lost: Promise<string> }> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
    });
    let settle!: (reason: string) => void;
    const lost = new Promise<string>((resolve) => (settle = resolve));
    client.on('error', (error) => settle(error.message));
    client.on('end', () => settle('connection ended'));
    try {
      await client.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      this.pid = rows[0]!.pid;
      await this.options.setup(client);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.connected = true;
    this.downSince = null;
    const probe = this.probe(client, settle);
    return {
      lost: lost.finally(() => {
        clearInterval(probe);
        this.connected = false;
        client.end().catch(() => {});
      }),
    };
  }

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
}
