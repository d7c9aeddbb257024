import type { ServerResponse } from 'node:http';
import type { Database } from '../db/client.ts';
import { expectedMigrationCount } from '../db/migrate.ts';

/** A named condition for /readyz: resolves to null when healthy, else to what is wrong. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<string | null>;
}

const CHECK_TIMEOUT_MS = 2_000;

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

async function run(check: ReadinessCheck): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().catch((error: unknown) => String(error)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function respond(res: ServerResponse, checks: ReadinessCheck[]): Promise<void> {
  const results = await Promise.all(checks.map(async (c) => [c.name, await run(c)] as const));
  const failing = results.filter(([, problem]) => problem !== null);
  const body = {
    status: failing.length === 0 ? 'ready' : 'not ready',
    checks: Object.fromEntries(results.map(([name, problem]) => [name, problem ?? 'ok'])),
  };
  res.writeHead(failing.length === 0 ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export const readiness = { databaseChecks, respond };
