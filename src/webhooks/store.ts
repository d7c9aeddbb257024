// The webhooks table: registration, management, leases and delivery state. Every write of
// delivery state names the lease holder, so a process that lost its lease (it stalled past
// WEBHOOK_LEASE_SECONDS and another took over) can no longer move the cursor.
import type pg from 'pg';

export interface WebhookRow {
  id: string;
  owner: string;
  url: string;
  query: string;
  operationName: string | null;
  variables: Record<string, unknown>;
  field: 'noteEvent' | 'factProcessed';
  description: string | null;
  secret: string;
  cursor: number;
  status: 'active' | 'paused';
  pausedReason: string | null;
  pausedAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failingSince: Date | null;
  consecutiveFailures: number;
  deliveries: number;
  failures: number;
  retries: number;
  lastDeliveryAt: Date | null;
  pendingSince: Date | null;
  leaseHolder: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  revision: number;
}

const COLUMN_LIST: [string, string?][] = [
  ['id'], ['owner'], ['url'], ['query'], ['operation_name', 'operationName'], ['variables'], ['field'], ['description'],
  ['secret'], ['cursor'], ['status'], ['paused_reason', 'pausedReason'], ['paused_at', 'pausedAt'], ['last_error', 'lastError'],
  ['last_error_at', 'lastErrorAt'], ['failing_since', 'failingSince'], ['consecutive_failures', 'consecutiveFailures'],
  ['deliveries'], ['failures'], ['retries'], ['last_delivery_at', 'lastDeliveryAt'], ['pending_since', 'pendingSince'],
  ['lease_holder', 'leaseHolder'], ['lease_until', 'leaseUntil'], ['created_at', 'createdAt'], ['revision'],
];
const columns = (alias = '') => COLUMN_LIST.map(([column, name]) => `${alias}${column} AS "${name ?? column}"`).join(', ');
const COLUMNS = columns();

/** Announces a change to every API process, so that the one delivering the webhook acts on it at once. */
export const CHANGED_CHANNEL = 'webhooks_changed';

export interface NewWebhook {
  owner: string;
  url: string;
  query: string;
  operationName: string | null;
  variables: Record<string, unknown>;
  field: WebhookRow['field'];
  description: string | null;
  secret: string;
  cursor: number;
}

/**
 * Inserts a webhook unless its owner already has `maxPerOwner`; null when the cap is reached.
 * A transaction-scoped advisory lock per owner keeps two concurrent creations from both passing
 * the count.
 */
export async function insertWebhook(pool: pg.Pool, webhook: NewWebhook, maxPerOwner: number): Promise<WebhookRow | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('notes-stream webhook owner ' || $1))`, [webhook.owner]);
    const { rows: counted } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM webhooks.webhooks WHERE owner = $1', [
      webhook.owner,
    ]);
    if (counted[0]!.n >= maxPerOwner) {
      await client.query('ROLLBACK');
      return null;
    }
    const { rows } = await client.query<WebhookRow>(
      `INSERT INTO webhooks.webhooks (owner, url, query, operation_name, variables, field, description, secret, cursor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [webhook.owner, webhook.url, webhook.query, webhook.operationName, webhook.variables, webhook.field, webhook.description, webhook.secret, webhook.cursor],
    );
    await client.query(`SELECT pg_notify($1, $2)`, [CHANGED_CHANNEL, JSON.stringify({ id: rows[0]!.id })]);
    await client.query('COMMIT');
    return rows[0]!;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A webhook by id, if `owner` (null: any owner, for admins) may see it. */
export async function findWebhook(pool: pg.Pool, id: string, owner: string | null): Promise<WebhookRow | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query<WebhookRow>(
    `SELECT ${COLUMNS} FROM webhooks.webhooks WHERE id = $1 AND ($2::text IS NULL OR owner = $2)`,
    [id, owner],
  );
  return rows[0] ?? null;
}

/** A page of webhooks, oldest first, after (createdAt, id) `after`; `owner` null lists everyone's. */
export async function listWebhooks(
  pool: pg.Pool,
  owner: string | null,
  after: { createdAt: string; id: string } | null,
  limit: number,
): Promise<WebhookRow[]> {
  const { rows } = await pool.query<WebhookRow>(
    `SELECT ${COLUMNS} FROM webhooks.webhooks
     WHERE ($1::text IS NULL OR owner = $1) AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
     ORDER BY created_at, id LIMIT $4`,
    [owner, after?.createdAt ?? null, after?.id ?? null, limit],
  );
  return rows;
}

export async function deleteWebhook(pool: pg.Pool, id: string, owner: string | null): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rowCount } = await pool.query(
    `WITH gone AS (DELETE FROM webhooks.webhooks WHERE id = $1 AND ($2::text IS NULL OR owner = $2) RETURNING id)
     SELECT pg_notify($3, json_build_object('id', id)::text) FROM gone`,
    [id, owner, CHANGED_CHANNEL],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Pauses a webhook by hand or because it failed too long. The lease stays with its holder
 * until a resume, so that the holder can still write the progress it made before it stops.
 */
export async function pauseWebhook(pool: pg.Pool, id: string, owner: string | null, reason: string): Promise<WebhookRow | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query<WebhookRow>(
    `UPDATE webhooks.webhooks SET status = 'paused', paused_reason = $3, paused_at = now(), pending_since = NULL,
            revision = revision + 1
     WHERE id = $1 AND ($2::text IS NULL OR owner = $2) RETURNING ${COLUMNS}`,
    [id, owner, reason],
  );
  if (rows[0]) await notifyChanged(pool, id);
  return rows[0] ?? null;
}

/**
 * Makes a paused webhook active again from its cursor, or from `cursor` when given (skipping
 * what it missed); its failure streak starts over.
 */
export async function resumeWebhook(pool: pg.Pool, id: string, owner: string | null, cursor: number | null): Promise<WebhookRow | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query<WebhookRow>(
    `UPDATE webhooks.webhooks SET status = 'active', paused_reason = NULL, paused_at = NULL, failing_since = NULL,
            consecutive_failures = 0, cursor = coalesce($3, cursor), lease_holder = NULL, lease_until = NULL,
            revision = revision + 1
     WHERE id = $1 AND ($2::text IS NULL OR owner = $2) RETURNING ${COLUMNS}`,
    [id, owner, cursor],
  );
  if (rows[0]) await notifyChanged(pool, id);
  return rows[0] ?? null;
}

/** Pauses every webhook of an owner (its token was revoked). */
export async function pauseOwnerWebhooks(pool: pg.Pool, owner: string, reason: string): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE webhooks.webhooks SET status = 'paused', paused_reason = $2, paused_at = now(), pending_since = NULL,
            revision = revision + 1
     WHERE owner = $1 AND status = 'active'`,
    [owner, reason],
  );
  await notifyChanged(pool, null);
  return rowCount ?? 0;
}

async function notifyChanged(pool: pg.Pool, id: string | null): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [CHANGED_CHANNEL, JSON.stringify({ id })]);
}

/**
 * Takes or renews the lease of every active webhook this process holds or nobody holds (or
 * whose holder let it run out), at most `limit` new ones per call, and returns all it holds.
 */
export async function claimWebhooks(pool: pg.Pool, holder: string, leaseSeconds: number, limit: number): Promise<WebhookRow[]> {
  const { rows } = await pool.query<WebhookRow>(
    `WITH free AS (
       SELECT id FROM webhooks.webhooks
       WHERE status = 'active' AND (lease_until IS NULL OR lease_until < now()) AND lease_holder IS DISTINCT FROM $1
       ORDER BY lease_until NULLS FIRST, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE webhooks.webhooks w SET lease_holder = $1, lease_until = now() + make_interval(secs => $2)
     WHERE w.status = 'active' AND (w.lease_holder = $1 OR w.id IN (SELECT id FROM free))
     RETURNING ${columns('w.')}`,
    [holder, leaseSeconds, limit],
  );
  return rows;
}

/** Gives up this process's leases (at shutdown), so that another process takes over at once. */
export async function releaseLeases(pool: pg.Pool, holder: string): Promise<void> {
  const { rowCount } = await pool.query(`UPDATE webhooks.webhooks SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = $1`, [
    holder,
  ]);
  if (rowCount) await notifyChanged(pool, null);
}

/** What a delivering process has to write back for one webhook since its last flush. */
export interface Progress {
  id: string;
  cursor: number;
  deliveries: number;
  retries: number;
  /** A delivery succeeded: the failure streak is over. */
  recovered: boolean;
  pendingSince: Date | null;
  lastDeliveryAt: Date | null;
}

/** Writes the progress of many webhooks in one statement (only where this process holds the lease). */
export async function saveProgress(pool: pg.Pool, holder: string, progress: Progress[]): Promise<void> {
  if (progress.length === 0) return;
  await pool.query(
    `UPDATE webhooks.webhooks w
     SET cursor = greatest(w.cursor, p.cursor), deliveries = w.deliveries + p.deliveries, retries = w.retries + p.retries,
         consecutive_failures = CASE WHEN p.recovered THEN 0 ELSE w.consecutive_failures END,
         failing_since = CASE WHEN p.recovered THEN NULL ELSE w.failing_since END,
         pending_since = p.pending_since, last_delivery_at = coalesce(p.last_delivery_at, w.last_delivery_at)
     FROM unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::boolean[], $7::timestamptz[], $8::timestamptz[])
       AS p(id, cursor, deliveries, retries, recovered, pending_since, last_delivery_at)
     WHERE w.id = p.id AND w.lease_holder = $1`,
    [
      holder,
      progress.map((p) => p.id),
      progress.map((p) => p.cursor),
      progress.map((p) => p.deliveries),
      progress.map((p) => p.retries),
      progress.map((p) => p.recovered),
      progress.map((p) => p.pendingSince),
      progress.map((p) => p.lastDeliveryAt),
    ],
  );
}

/** Records a failed attempt; returns the streak (consecutive failures and since when), or null without the lease. */
export async function recordFailure(
  pool: pg.Pool,
  holder: string,
  id: string,
  error: string,
): Promise<{ consecutiveFailures: number; failingSince: Date } | null> {
  const { rows } = await pool.query(
    `UPDATE webhooks.webhooks SET failures = failures + 1, consecutive_failures = consecutive_failures + 1,
            failing_since = coalesce(failing_since, now()), last_error = $3, last_error_at = now()
     WHERE id = $1 AND lease_holder = $2
     RETURNING consecutive_failures AS "consecutiveFailures", failing_since AS "failingSince"`,
    [id, holder, error.slice(0, 1000)],
  );
  return rows[0] ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);
