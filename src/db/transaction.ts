import type pg from 'pg';

/** Where connections come from: a pool, or anything that hands out pooled connections. */
export interface Connections {
  connect(): Promise<pg.PoolClient>;
}

/**
 * Runs `work` on one pooled connection inside a transaction opened by `begin` (a plain BEGIN
 * unless given): commits and returns its result, or rolls back and rethrows. A connection whose
 * rollback could not be confirmed is discarded rather than returned to the pool.
 */
export async function inTransaction<T>(
  pool: Connections,
  work: (client: pg.PoolClient) => Promise<T>,
  begin: (client: pg.PoolClient) => Promise<unknown> = (client) => client.query('BEGIN'),
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await begin(client);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = true;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release(broken);
  }
}
