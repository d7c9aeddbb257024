// What lets a receiver trust a delivery: an HMAC-SHA256 of the timestamp and the body with the
// webhook's secret (docs/webhooks.md shows the check). The timestamp is signed too, so an old
// delivery sent again is refused by a receiver that checks its age.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export const HEADERS = {
  signature: 'x-notes-stream-signature',
  timestamp: 'x-notes-stream-timestamp',
  /** The same for every attempt of one event to one webhook: receivers drop repeats by it. */
  delivery: 'x-notes-stream-delivery',
  webhook: 'x-notes-stream-webhook',
  cursor: 'x-notes-stream-cursor',
} as const;

/** A new signing secret: 32 random bytes, recognisable by its prefix. */
export function newSecret(): string {
  return 'whsec_' + randomBytes(32).toString('base64url');
}

/** `sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`; the key is the secret's UTF-8 text. */
export function sign(secret: string, timestamp: number, body: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * Secrets at rest: with WEBHOOK_SECRET_KEY, AES-256-GCM as "v1:<base64 iv|tag|ciphertext>";
 * without, as they are (the database then holds what signs; docs/webhooks.md says so).
 */
export function sealSecret(secret: string, key: Buffer | undefined): string {
  if (!key) return secret;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return 'v1:' + Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
}

export function openSecret(stored: string, key: Buffer | undefined): string {
  if (!stored.startsWith('v1:')) return stored;
  if (!key) throw new Error('this webhook secret is encrypted: WEBHOOK_SECRET_KEY is needed to sign its deliveries');
  const raw = Buffer.from(stored.slice(3), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('this webhook secret was encrypted with another WEBHOOK_SECRET_KEY');
  }
}
