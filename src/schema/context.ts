import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';

/** What every resolver receives; built once per HTTP request or WebSocket operation. */
export interface GraphQLContext {
  db: Db;
  /** The same pool as db, for hand-written SQL (streaming status, admin operations). */
  pool: pg.Pool;
  /** Analytics queries go here (a replica when DATABASE_READ_URL is set). */
  readDb: Db;
  config: Config;
  log: Logger;
  /** True when the request carries ADMIN_TOKEN as a bearer token. */
  isAdmin: boolean;
  startedAt: Date;
}
