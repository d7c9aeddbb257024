import { isIP } from 'node:net';
import { z } from 'zod';

/** Raised for a bad environment; main prints its message as one line and exits 1. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'must be a URL like postgres://user:password@host:5432/database');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be an integer from ${min} to ${max}`);

const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `must be a number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a number from ${min} to ${max}`);

/**
 * Hosts and networks webhooks may target although they are private, loopback or link-local:
 * host names, IP addresses and CIDR ranges, comma-separated (src/webhooks/target-guard.ts).
 */
const allowedHosts = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''))
  .refine((entries) => entries.every(isHostOrRange), 'must be comma-separated host names, IP addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8,hooks.internal)')
  .default([]);

function isHostOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || address === undefined) return false;
  const version = isIP(address.replace(/^\[|\]$/g, ''));
  if (bits !== undefined) return version !== 0 && /^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
  return version !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(address);
}

/** 32 bytes, base64: the key that encrypts webhook secrets at rest (AES-256-GCM). */
const secretKey = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64, e.g. from `openssl rand -base64 32`')
  .transform((value) => Buffer.from(value, 'base64'));

/** How long an alert condition must hold before it fires (docs/alerts.md). */
const holdSeconds = (fallback: number) => integer(0, 86_400).default(fallback);

const escalationMinutes = z
  .string()
  .regex(/^\d+,\d+,\d+$/, 'must be three minute counts, e.g. 15,30,60')
  .transform((value) => value.split(',').map(Number) as [number, number, number])
  .refine(([a, b, c]) => a > 0 && a < b && b < c, 'must be three increasing minute counts, e.g. 15,30,60')
  .default([15, 30, 60]);

const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_READ_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: integer(1, 65535).default(54329),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(4000),
  ROLE: z.enum(['all', 'api', 'processor'], { error: 'must be one of all, api, processor' }).default('all'),
  // ROLE=processor only (API servers serve /metrics on PORT): its /metrics, /healthz and /readyz.
  METRICS_PORT: integer(0, 65535).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  ADMIN_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  SUBSCRIPTION_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  DB_POOL_SIZE: integer(1, 200).default(8),
  PROCESSOR_BATCH_SIZE: integer(1, 10_000).default(500),
  PROCESSOR_BACKLOG_BATCH_SIZE: integer(1, 20_000).default(4000),
  PROCESSOR_BATCH_WAIT_MS: integer(0, 60_000).default(2),
  PROCESSOR_STREAM_PACE_MS: integer(0, 60_000).default(20),
  PROCESSOR_CONCURRENCY: integer(1, 32).default(2),
  PROCESSOR_MAX_ATTEMPTS: integer(1, 100).default(5),
  PROCESSOR_RETRY_BASE_MS: integer(1, 3_600_000).default(1000),
  SWEEP_INTERVAL_SECONDS: integer(0, 86_400).default(300),
  OUTBOX_RETENTION_HOURS: integer(1, 24 * 365).default(72),
  MAX_PAGE_SIZE: integer(1, 10_000).default(100),
  MAX_QUERY_DEPTH: integer(2, 100).default(12),
  MAX_QUERY_COMPLEXITY: integer(10, 1_000_000).default(5000),
  ANALYTICS_TIMEOUT_MS: integer(10, 600_000).default(5000),
  SUBSCRIBER_QUEUE_LIMIT: integer(1, 1_000_000).default(1000),
  RESPONSE_CACHE_MB: integer(0, 100_000).default(64),
  MAX_REQUEST_BYTES: integer(1_024, 100_000_000).default(1_048_576),
  MAX_COMMENT_LENGTH: integer(1, 10_000_000).default(50_000),
  // Per-client rate limit (src/http/rate-limit.ts, docs/security.md): 0 turns it off.
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000).default(600),
  RATE_LIMIT_BURST: integer(1, 1_000_000).default(120),
  // Most rows one export writes (src/http/export.ts, docs/api.md).
  EXPORT_MAX_ROWS: integer(1, 10_000_000).default(100_000),
  // Proxies of ours in front of the server whose X-Forwarded-For entries are believed.
  TRUST_PROXY: integer(0, 10).default(0),
  DEMO_FEED: z.enum(['auto', 'on', 'off'], { error: 'must be one of auto, on, off' }).default('auto'),
  DEMO_FEED_RATE: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of comments per second, e.g. 0.5')
    .transform(Number)
    .default(0.5),
  // Webhooks (src/webhooks/, docs/webhooks.md).
  WEBHOOK_ALLOWED_HOSTS: allowedHosts,
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  WEBHOOK_MAX_PER_OWNER: integer(1, 100_000).default(100),
  WEBHOOK_MAX_IN_FLIGHT: integer(1, 10_000).default(64),
  WEBHOOK_MAX_FAILURES: integer(0, 1_000_000).default(100),
  WEBHOOK_PAUSE_AFTER_HOURS: decimal(0, 24 * 365).default(24),
  WEBHOOK_RETRY_BASE_MS: integer(1, 3_600_000).default(1000),
  WEBHOOK_RETRY_MAX_MS: integer(1, 86_400_000).default(300_000),
  WEBHOOK_LEASE_SECONDS: integer(2, 3600).default(30),
  WEBHOOK_SECRET_KEY: secretKey.optional(),
  OSM_API_URL: z.url({ error: 'must be an http(s) URL' }).default('https://api.openstreetmap.org/api/0.6'),
  POLL_INTERVAL: integer(1, 86_400).default(60),
  // Alert rules (src/alerts/rules.ts, ops/prometheus/alerts.yml, docs/alerts.md).
  ALERT_EVALUATION_SECONDS: integer(1, 3600).default(5),
  ALERT_WINDOW_MINUTES: integer(1, 1440).default(60),
  ALERT_ESCALATION_MINUTES: escalationMinutes,
  ALERT_PROCESSORS_MIN: integer(1, 1000).default(1),
  ALERT_PROCESSORS_FOR_SECONDS: holdSeconds(60),
  ALERT_LISTENER_DOWN_SECONDS: integer(0, 86_400).default(60),
  ALERT_LISTENER_DOWN_FOR_SECONDS: holdSeconds(0),
  ALERT_ERROR_RATE_PERCENT: decimal(0, 100).default(5),
  ALERT_ERROR_RATE_FOR_SECONDS: holdSeconds(60),
  ALERT_LAG_SECONDS: integer(0, 86_400).default(60),
  ALERT_LAG_FOR_SECONDS: holdSeconds(0),
  ALERT_LAG_CRITICAL_SECONDS: integer(0, 86_400).default(300),
  ALERT_LAG_CRITICAL_FOR_SECONDS: holdSeconds(0),
  ALERT_BACKLOG_EVENTS: integer(0, 100_000_000).default(100),
  ALERT_BACKLOG_FOR_SECONDS: holdSeconds(60),
  ALERT_DEAD_LETTERS_ADDED: integer(0, 100_000_000).default(0),
  ALERT_DEAD_LETTERS_FOR_SECONDS: holdSeconds(0),
  ALERT_NOTES_STALE_SECONDS: integer(0, 30 * 86_400).default(3600),
  ALERT_NOTES_STALE_FOR_SECONDS: holdSeconds(0),
  ALERT_POLL_SUCCESS_PERCENT: decimal(0, 100).default(95),
  ALERT_POLL_SUCCESS_FOR_SECONDS: holdSeconds(0),
  ALERT_OSM_API_SERVER_ERRORS: integer(0, 100_000).default(0),
  ALERT_OSM_API_SERVER_ERRORS_FOR_SECONDS: holdSeconds(0),
  ALERT_OSM_API_RATE_LIMITED: integer(0, 100_000).default(0),
  ALERT_OSM_API_RATE_LIMITED_FOR_SECONDS: holdSeconds(0),
});

export type Config = z.infer<typeof envSchema>;

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "unset": shells and .env files often leave them so.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = present[name];
    const shown = name.endsWith('TOKEN') || name.endsWith('KEY') || value === undefined ? '' : `=${JSON.stringify(redact(value))}`;
    return `${name}${shown} ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** Hides a password in a database URL before it is printed. */
export function redact(value: string): string {
  return value.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
