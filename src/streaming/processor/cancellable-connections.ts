// The processor's connections in use, so that a stop can cancel what they run: a batch or a
// sweep that would outlast the shutdown deadline is cancelled, rolls back, and leaves its events
// pending for the next processor (claims are row locks of the same transaction).
import type pg from 'pg';
import { connectClient } from '../../db/client.ts';

export class CancellableConnections {
  private readonly backends = new Set<number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  /** A pooled connection, known by its backend until it is released. */
  async connect(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    const pid = (client as unknown as { processID: number }).processID;
    this.backends.add(pid);
    const release = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      this.backends.delete(pid);
      client.release = release;
      return release(error);
    };
    return client;
  }

  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const client = await this.connect();
    try {
      return await client.query<R>(text, values);
    } finally {
      client.release();
    }
  }

  get busy(): number {
    return this.backends.size;
  }

  /** Cancels the statement each connection in use runs (on a connection of its own: the pool may be full). */
  async cancelAll(): Promise<number> {
    const pids = [...this.backends];
    if (pids.length === 0) return 0;
    const client = await connectClient(this.url, 'notes-stream processor stop');
    try {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*) FILTER (WHERE pg_cancel_backend(pid))::int AS n FROM unnest($1::int[]) pid',
        [pids],
      );
      return rows[0]?.n ?? 0;
    } finally {
      await client.end();
    }
  }
}
