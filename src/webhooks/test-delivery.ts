// testWebhook: one signed POST to a webhook's target, through the same guard, limits and
// headers as deliveries, with a body that says it is a test. It moves no cursor and counts in
// no figure; its answer says what the receiver did.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { describe } from '../errors.ts';
import type { WebhookDispatcher } from './dispatcher.ts';
import { postJson } from './http-post.ts';
import { HEADERS, openSecret, sign } from './signing.ts';
import type { WebhookRow } from './store.ts';

export interface TestOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export async function sendTestDelivery(dispatcher: WebhookDispatcher, row: WebhookRow, config: Config): Promise<TestOutcome> {
  const started = performance.now();
  const body = Buffer.from(JSON.stringify({ data: null, extensions: { notesStreamTest: true, webhook: row.id } }));
  const timestamp = Math.floor(Date.now() / 1000);
  let release: (() => void) | undefined;
  try {
    const secret = openSecret(row.secret, config.WEBHOOK_SECRET_KEY);
    release = await dispatcher.limiter.acquire();
    const outcome = await postJson(
      new URL(row.url),
      body,
      {
        [HEADERS.signature]: sign(secret, timestamp, body),
        [HEADERS.timestamp]: String(timestamp),
        [HEADERS.delivery]: `${row.id}:test:${randomBytes(6).toString('hex')}`,
        [HEADERS.webhook]: row.id,
      },
      { guard: dispatcher.guard, timeoutMs: config.WEBHOOK_TIMEOUT_MS },
    );
    const durationMs = Math.round(performance.now() - started);
    return outcome.kind === 'ok'
      ? { ok: true, status: outcome.status, error: null, durationMs }
      : { ok: false, status: outcome.status, error: outcome.error, durationMs };
  } catch (error) {
    return { ok: false, status: null, error: describe(error), durationMs: Math.round(performance.now() - started) };
  } finally {
    release?.();
  }
}
