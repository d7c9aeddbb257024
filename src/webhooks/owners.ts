// Owner tokens: an admin issues one per owner (returned once), webhooks belong to owners, and
// a request carrying an owner's token manages that owner's webhooks only. Only the token's
// SHA-256 is stored: tokens are 32 random bytes, so a plain digest is as good as a slow hash,
// and a lookup by digest reveals nothing through its timing.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ForbiddenError, UserInputError } from '../errors.ts';
import type { GraphQLContext } from '../schema/context.ts';
import { pauseOwnerWebhooks } from './store.ts';

/** The owner of webhooks made with the admin token. */
export const ADMIN_OWNER = 'admin';
const TOKEN_PREFIX = 'nsw_';
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface WebhookOwner {
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Issues a token for `name` (a new owner, or a new token replacing the old one); returns it. */
export async function issueOwnerToken(pool: pg.Pool, name: string): Promise<{ owner: WebhookOwner; token: string }> {
  if (!NAME.test(name) || name === ADMIN_OWNER) {
    throw new UserInputError(
      `name must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, and not "${ADMIN_OWNER}"; got ${JSON.stringify(name)}`,
      'name',
      name,
    );
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const { rows } = await pool.query<WebhookOwner>(
    `INSERT INTO webhooks.owners (name, token_sha256) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256, revoked_at = NULL
     RETURNING name, created_at AS "createdAt", revoked_at AS "revokedAt"`,
    [name, digest(token)],
  );
  return { owner: rows[0]!, token };
}

/** Refuses the owner's token from now on and pauses its webhooks; false for an unknown owner. */
export async function revokeOwnerToken(pool: pg.Pool, name: string): Promise<boolean> {
  const { rowCount } = await pool.query(`UPDATE webhooks.owners SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL`, [name]);
  if (!rowCount) return false;
  await pauseOwnerWebhooks(pool, name, 'the owner token was revoked');
  return true;
}

export async function listOwners(pool: pg.Pool): Promise<WebhookOwner[]> {
  const { rows } = await pool.query<WebhookOwner>(
    `SELECT name, created_at AS "createdAt", revoked_at AS "revokedAt" FROM webhooks.owners ORDER BY name`,
  );
  return rows;
}

/** Who manages webhooks in this request: the admin (every webhook; creates as "admin") or one owner. */
export interface WebhookCaller {
  owner: string;
  /** Sees and manages every owner's webhooks. */
  admin: boolean;
}

const callers = new WeakMap<GraphQLContext, Promise<WebhookCaller | null>>();

/** The caller, from the admin token or an owner token among the request's tokens; null for neither. */
export function webhookCaller(ctx: GraphQLContext): Promise<WebhookCaller | null> {
  let caller = callers.get(ctx);
  if (!caller) {
    caller = (async () => {
      if (ctx.access.admin) return { owner: ADMIN_OWNER, admin: true };
      const tokens = ctx.tokens.filter((t) => t.startsWith(TOKEN_PREFIX));
      if (tokens.length === 0) return null;
      const { rows } = await ctx.db.pool.query<{ name: string }>(
        `SELECT name FROM webhooks.owners WHERE token_sha256 = ANY ($1::text[]) AND revoked_at IS NULL LIMIT 1`,
        [tokens.map(digest)],
      );
      return rows[0] ? { owner: rows[0].name, admin: false } : null;
    })();
    callers.set(ctx, caller);
  }
  return caller;
}

/** The caller, or a FORBIDDEN error that says which tokens open webhooks. */
export async function requireWebhookCaller(ctx: GraphQLContext): Promise<WebhookCaller> {
  const caller = await webhookCaller(ctx);
  if (caller) return caller;
  throw new ForbiddenError(
    'webhooks need the admin token or an owner token (createWebhookOwner): send "Authorization: Bearer <token>"',
    ctx.clientAddress,
  );
}
