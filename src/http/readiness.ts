// /readyz: whether this process can serve. Anyone may ask (load balancers, orchestrators), so
// the answer names each check with a short reason only; what a driver said (hosts, ports, users)
// goes to the log, and to a caller with the admin token.
import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { expectedMigrationCount } from '../db/migrate.ts';
import { describe } from '../errors.ts';
import type { Logger } from '../log.ts';
import { accessOf, bearerToken } from './access.ts';

/**
 * A named condition for /readyz: resolves to null when healthy, else to a short public reason
 * written by us. A thrown error is a failure whose message stays private.
 */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<string | null>;
}

const CHECK_TIMEOUT_MS = 2_000;

/** The public reason of a check that threw. */
export const CHECK_FAILED = 'failing (details in the server log)';

function databaseChecks(database: Database): ReadinessCheck[] {
  const expected = expectedMigrationCount();
  return [
    {
      name: 'database',
      check: async () => {
        await database.pool.query('SELECT 1');
        return null;
      },
    },
    {
      name: 'migrations',
      check: async () => {
        const { rows } = await database.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
        );
        const applied = rows[0]?.n ?? 0;
        return applied >= expected ? null : `${applied} of ${expected} migrations applied`;
      },
    },
  ];
}

interface Outcome {
  /** Null when healthy. */
  reason: string | null;
  /** What went wrong in full (a driver's message), for the log and admins. */
  detail: string | null;
}

async function run(check: ReadinessCheck): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      const reason = `no answer within ${CHECK_TIMEOUT_MS} ms`;
      resolve({ reason, detail: reason });
    }, CHECK_TIMEOUT_MS);
  });
  const checked = check.check().then(
    (reason): Outcome => ({ reason, detail: reason }),
    (error: unknown): Outcome => ({ reason: CHECK_FAILED, detail: describe(error) }),
  );
  try {
    return await Promise.race([checked, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessOptions {
  log: Logger;
  config: Pick<Config, 'ADMIN_TOKEN' | 'SUBSCRIPTION_TOKEN'>;
}

/** A readiness answer: the status to send and its JSON body. */
export interface ReadinessAnswer {
  status: 200 | 503;
  body: { status: 'ready' | 'not ready'; checks: Record<string, string>; details?: Record<string, string | null> };
}

/**
 * Runs every check and answers 200 when all pass, else 503, with each check's short reason (and,
 * for the admin token, what went wrong in full). A failing check's details are logged when they
 * change, and its recovery.
 */
function evaluator(checks: ReadinessCheck[], { log, config }: ReadinessOptions): (authorization: string | null) => Promise<ReadinessAnswer> {
  const lastDetail = new Map<string, string | null>();
  return async (authorization) => {
    const results = await Promise.all(checks.map(async (c) => [c.name, await run(c)] as const));
    for (const [name, { detail }] of results) {
      const before = lastDetail.get(name) ?? null;
      if (detail !== before) {
        if (detail !== null) log.warn({ check: name, detail }, 'readiness check failing');
        else if (before !== null) log.info({ check: name }, 'readiness check passing again');
        lastDetail.set(name, detail);
      }
    }
    const ready = results.every(([, outcome]) => outcome.reason === null);
    const token = bearerToken(authorization);
    const admin = accessOf(config, token === null ? [] : [token]).admin;
    return {
      status: ready ? 200 : 503,
      body: {
        status: ready ? 'ready' : 'not ready',
        checks: Object.fromEntries(results.map(([name, outcome]) => [name, outcome.reason ?? 'ok'])),
        ...(admin && !ready
          ? { details: Object.fromEntries(results.filter(([, o]) => o.detail !== null).map(([name, o]) => [name, o.detail])) }
          : {}),
      },
    };
  };
}

/** `endpoint` through yoga's readiness plugin, answered by `evaluator`. */
function plugin(endpoint: string, checks: ReadinessCheck[], options: ReadinessOptions): Plugin {
  const evaluate = evaluator(checks, options);
  return useReadinessCheck({
    endpoint,
    check: async ({ request, fetchAPI }) => {
      const { status, body } = await evaluate(request.headers.get('authorization'));
      return new fetchAPI.Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      });
    },
  });
}

export const readiness = { databaseChecks, evaluator, plugin };
