// Webhooks (schema `webhooks`): who may register them, what each delivers and how far it got.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const webhooksSchema = pgSchema('webhooks');

/** Owners an admin issued a token to; only the token's SHA-256 is kept. */
export const webhookOwners = webhooksSchema.table('owners', {
  name: text('name').primaryKey(),
  tokenSha256: text('token_sha256').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * One registered subscription and its delivery state. `cursor` is the stream position of the
 * last event the target acknowledged (2xx); delivery resumes after it. One API process at a
 * time delivers a webhook: the one named in lease_holder while lease_until is in the future.
 */
export const webhooks = webhooksSchema.table(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** An owner's name, or 'admin' for webhooks made with the admin token. */
    owner: text('owner').notNull(),
    url: text('url').notNull(),
    query: text('query').notNull(),
    operationName: text('operation_name'),
    variables: jsonb('variables').notNull().default({}),
    /** The subscription field delivered: noteEvent or factProcessed. */
    field: text('field').notNull(),
    description: text('description'),
    /** The signing secret, encrypted when WEBHOOK_SECRET_KEY is set ('v1:' prefix). */
    secret: text('secret').notNull(),
    cursor: bigint('cursor', { mode: 'number' }).notNull(),
    status: text('status').notNull().default('active'),
    pausedReason: text('paused_reason'),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    /** The first failure since the last success; null while deliveries succeed. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    deliveries: bigint('deliveries', { mode: 'number' }).notNull().default(0),
    failures: bigint('failures', { mode: 'number' }).notNull().default(0),
    retries: bigint('retries', { mode: 'number' }).notNull().default(0),
    lastDeliveryAt: timestamp('last_delivery_at', { withTimezone: true }),
    /** Commit time of the oldest event waiting to be delivered; null when none waits. */
    pendingSince: timestamp('pending_since', { withTimezone: true }),
    leaseHolder: text('lease_holder'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Changed by every management action (pause, resume): a delivering process restarts from the stored cursor. */
    revision: integer('revision').notNull().default(0),
  },
  (t) => [
    index('webhooks_owner_idx').on(t.owner, t.createdAt),
    index('webhooks_active_idx').on(t.leaseUntil).where(sql`${t.status} = 'active'`),
    check('webhooks_status_check', sql`${t.status} IN ('active', 'paused')`),
    check('webhooks_field_check', sql`${t.field} IN ('noteEvent', 'factProcessed')`),
  ],
);
