// When to try a failed delivery again, and when to stop trying: exponential backoff with
// jitter, Retry-After honoured on 429 (and 503), and a pause after too many failures in a row or
// too long a failing streak (WEBHOOK_MAX_FAILURES, WEBHOOK_PAUSE_AFTER_HOURS).
import type { Config } from '../config.ts';

/** Longest Retry-After taken as asked; a longer one is cut to this. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

type Policy = Pick<Config, 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_RETRY_MAX_MS' | 'WEBHOOK_MAX_FAILURES' | 'WEBHOOK_PAUSE_AFTER_HOURS'>;

/**
 * The wait before attempt `failures + 1`: base × 2^(failures − 1), capped, of which a random
 * half is taken away ("equal jitter"), so that webhooks failing together do not retry together.
 */
export function backoffMs(failures: number, policy: Policy, random: () => number = Math.random): number {
  const full = Math.min(policy.WEBHOOK_RETRY_MAX_MS, policy.WEBHOOK_RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** Why the webhook must be paused after this failure, or null to keep retrying. */
export function pauseReason(streak: { consecutiveFailures: number; failingSince: Date }, policy: Policy, now: number = Date.now()): string | null {
  if (policy.WEBHOOK_MAX_FAILURES > 0 && streak.consecutiveFailures >= policy.WEBHOOK_MAX_FAILURES) {
    return `${streak.consecutiveFailures} deliveries in a row failed (WEBHOOK_MAX_FAILURES)`;
  }
  const hours = (now - streak.failingSince.getTime()) / 3_600_000;
  if (policy.WEBHOOK_PAUSE_AFTER_HOURS > 0 && hours >= policy.WEBHOOK_PAUSE_AFTER_HOURS) {
    return `deliveries have failed since ${streak.failingSince.toISOString()} (WEBHOOK_PAUSE_AFTER_HOURS)`;
  }
  return null;
}
