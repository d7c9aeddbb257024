import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectClient } from '../../src/db/client.ts';
import { databaseUrl, TEST_DB_PREFIX } from './urls.ts';

const SCHEMAS = `('public', 'dwh', 'streaming')`;

/** Everything the project defines in its schemas, each object by name with its definition. */
export interface Catalog {
  functions: Record<string, string>;
  /** Each function's body (prosrc), as written between its dollar quotes. */
  bodies: Record<string, string>;
  views: Record<string, string>;
  triggers: Record<string, string>;
  tables: Record<string, string>;
  constraints: Record<string, string>;
  indexes: Record<string, string>;
  sequences: Record<string, string>;
}

export async function readCatalog(client: Awaited<ReturnType<typeof connectClient>>): Promise<Catalog> {
  const pairs = async (sql: string) => {
    const { rows } = await client.query<{ name: string; def: string }>(sql);
    return Object.fromEntries(rows.map((r) => [r.name, r.def]));
  };
  const functions = `FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ${SCHEMAS}`;
  return {
    functions: await pairs(`SELECT p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS def ${functions}`),
    bodies: await pairs(`SELECT n.nspname || '.' || p.proname AS name, p.prosrc AS def ${functions}`),
    views: await pairs(
      `SELECT schemaname || '.' || viewname AS name, definition AS def FROM pg_views WHERE schemaname IN ${SCHEMAS}`,
    ),
    triggers: await pairs(
      `SELECT t.tgrelid::regclass || '.' || t.tgname AS name, pg_get_triggerdef(t.oid) AS def
       FROM pg_trigger t WHERE NOT t.tgisinternal`,
    ),
    tables: await pairs(
      `SELECT table_schema || '.' || table_name || '.' || column_name AS name,
              concat_ws(' ', ordinal_position, data_type, udt_name, character_maximum_length, is_nullable,
                        column_default, generation_expression) AS def
       FROM information_schema.columns WHERE table_schema IN ${SCHEMAS}`,
    ),
    constraints: await pairs(
      `SELECT c.conrelid::regclass || '.' || c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname IN ${SCHEMAS}`,
    ),
    indexes: await pairs(`SELECT schemaname || '.' || indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname IN ${SCHEMAS}`),
    sequences: await pairs(
      `SELECT schemaname || '.' || sequencename AS name,
              concat_ws(' ', data_type, start_value, increment_by, max_value, cache_size) AS def
       FROM pg_sequences WHERE schemaname IN ${SCHEMAS}`,
    ),
  };
}

export async function catalogOf(url: string): Promise<Catalog> {
  const client = await connectClient(url);
  try {
    return await readCatalog(client);
  } finally {
    await client.end();
  }
}

/** A definition without its comments and with its whitespace collapsed. */
export function withoutComments(definition: string): string {
  return definition.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim();
}

/** An empty database on the test server (not cloned from the template); dropped by drop(). */
export async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = inject('pgServerUrl');
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await connectClient(serverUrl);
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(serverUrl, name),
    drop: async () => {
      const client = await connectClient(serverUrl);
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
