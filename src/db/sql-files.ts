import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type pg from 'pg';

/** A file of drizzle/functions: name relative to the folder, text, and sha256 of the text. */
export interface SqlFile {
  name: string;
  text: string;
  checksum: string;
}

// What was applied, file by file: a file is applied again when its checksum differs.
const BOOKKEEPING = `
  CREATE SCHEMA IF NOT EXISTS notes_stream_meta;
  CREATE TABLE IF NOT EXISTS notes_stream_meta.sql_files (
    file text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * The folder's files in the order its order.txt declares (one relative path a line, `#`
 * comments). Every .sql file of the folder must be listed exactly once, so that none is left
 * out by mistake.
 */
export function readSqlFiles(folder: string): SqlFile[] {
  const orderPath = join(folder, 'order.txt');
  if (!existsSync(orderPath)) throw new Error(`${orderPath} is missing: it lists the files to apply, in order`);
  const listed = readFileSync(orderPath, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
  const seen = new Set<string>();
  for (const name of listed) {
    if (seen.has(name)) throw new Error(`${orderPath}: ${name} is listed twice`);
    seen.add(name);
    if (!existsSync(join(folder, name))) throw new Error(`${orderPath}: ${name} does not exist`);
  }
  const unlisted = sqlFilesUnder(folder).filter((name) => !seen.has(name));
  if (unlisted.length > 0) throw new Error(`${orderPath} does not list ${unlisted.join(', ')}`);
  return listed.map((name) => {
    const text = readFileSync(join(folder, name), 'utf8');
    return { name, text, checksum: createHash('sha256').update(text).digest('hex') };
  });
}

function sqlFilesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.sql'))
    .map((name) => relative(folder, join(folder, name)).split('\\').join('/'))
    .sort();
}

/**
 * Applies, in their declared order and in one transaction, the files whose text changed since
 * they were last applied (all of them on a new database); returns their names. The caller holds
 * the migration lock.
 */
export async function applySqlFiles(client: pg.Client, folder: string): Promise<string[]> {
  const files = readSqlFiles(folder);
  await client.query(BOOKKEEPING);
  const { rows } = await client.query<{ file: string; checksum: string }>(
    'SELECT file, checksum FROM notes_stream_meta.sql_files',
  );
  const applied = new Map(rows.map((row) => [row.file, row.checksum]));
  const changed = files.filter((file) => applied.get(file.name) !== file.checksum);
  if (changed.length === 0) return [];

  await client.query('BEGIN');
  try {
    for (const file of changed) {
      await client.query(file.text).catch((error: unknown) => {
        throw new Error(`${join(folder, file.name)}${where(file.text, error)}: ${(error as Error).message}`, { cause: error });
      });
      await client.query(
        `INSERT INTO notes_stream_meta.sql_files (file, checksum) VALUES ($1, $2)
         ON CONFLICT (file) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
        [file.name, file.checksum],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return changed.map((file) => file.name);
}

/** " line N" of the statement an error points into, when the server gave its position. */
function where(text: string, error: unknown): string {
  const position = Number((error as { position?: string }).position);
  if (!Number.isInteger(position) || position < 1) return '';
  return ` line ${text.slice(0, position - 1).split('\n').length}`;
}
