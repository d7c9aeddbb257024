// Who runs the embedded PostgreSQL of a data folder. The process that starts it writes
// DATA_DIR/embedded-postgres.json (its pid and start time, the URL) and removes it when it has
// stopped the server. So a second `npm start` can say which process holds the folder, a CLI
// command can use the running server instead of starting another, and a start after a killed run
// can tell a stale record (its process gone) from a live one.
import { readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { identify, isAlive, type ProcessIdentity } from '../../process-info.ts';

export const OWNER_FILE = 'embedded-postgres.json';

export interface OwnerRecord {
  owner: ProcessIdentity;
  /** What the owner runs, e.g. "npm start" or "cli import", for messages. */
  command: string;
  port: number;
  /** Set once the server accepts connections. */
  url?: string;
  postmasterPid?: number;
}

/** Another live process runs (or is starting) the embedded PostgreSQL of this data folder. */
export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: OwnerRecord,
  ) {
    const where = holder.url ? `, database on port ${holder.port}` : ', still starting';
    super(
      `the data folder ${dataDir} is in use by a running notes-stream (${holder.command}, pid ${holder.owner.pid}${where}); ` +
        `stop it first, or give this one another DATA_DIR`,
    );
  }
}

function read(dataDir: string): OwnerRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as OwnerRecord;
  } catch {
    return undefined;
  }
}

/** The record of a live owner; a record whose process is gone is stale and ignored. */
export function liveOwner(dataDir: string): OwnerRecord | undefined {
  const record = read(dataDir);
  return record && isAlive(record.owner) ? record : undefined;
}

/**
 * Claims the folder for this process, or throws DataFolderInUseError naming the live holder.
 * The exclusive create makes two starts at the same moment see each other.
 */
export function claim(dataDir: string, command: string, port: number): OwnerRecord {
  const record: OwnerRecord = { owner: identify(process.pid), command, port };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(join(dataDir, OWNER_FILE), JSON.stringify(record), { flag: 'wx', mode: 0o644 });
      return record;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = liveOwner(dataDir);
      if (holder) throw new DataFolderInUseError(dataDir, holder);
      rmSync(join(dataDir, OWNER_FILE), { force: true });
    }
  }
}

/** Rewrites our record (atomically: readers never see half a file). */
export function update(dataDir: string, record: OwnerRecord): void {
  const temporary = join(dataDir, `${OWNER_FILE}.${process.pid}`);
  writeFileSync(temporary, JSON.stringify(record), { mode: 0o644 });
  renameSync(temporary, join(dataDir, OWNER_FILE));
}

/** Removes the record if it is still ours. */
export function release(dataDir: string): void {
  const record = read(dataDir);
  if (record?.owner.pid === process.pid) rmSync(join(dataDir, OWNER_FILE), { force: true });
}
