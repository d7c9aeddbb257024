// The processor's connections in use, so that a stop can cancel what they run: a batch or a
// sweep that would outlast the shutdown deadline is cancelled, rolls back, and leaves its events
// pending for the next processor (claims are row locks of the same transaction).
import type pg from 'pg';
import { connectClient } from '../../db/client.ts';

export class CancellableConnections {
  /** Connections handed out by connect() and not yet released, with their backend pids. */
  private readonly inUse = new Map<pg.PoolClient, number>();
  /** Backend pid of each pooled connection, asked once per connection. */
  private readonly pids = new WeakMap<pg.PoolClient, number>();
  // The pool says when a connection comes back, whoever releases it (inTransaction, a batch).
  private readonly onRelease = (_error: Error | undefined, client: pg.PoolClient) => void this.inUse.delete(client);

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {
    pool.on('release', this.onRelease);
  }

  /** A pooled connection, known by its backend until it is released. */
  async connect(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    let pid = this.pids.get(client);
    if (pid === undefined) {
      try {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        pid = rows[0]!.pid;
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      this.pids.set(client, pid);
    }
    this.inUse.set(client, pid);
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
    return this.inUse.size;
  }

  /** Cancels the statement each connection in use runs (on a connection of its own: the pool may be full). */
  async cancelAll(): Promise<number> {
    const pids = [...this.inUse.values()];
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

  /** Stops following the pool's releases (the processor is done with it). */
  close(): void {
    this.pool.off('release', this.onRelease);
  }
}
