// Whom the embedded PostgreSQL runs as. PostgreSQL refuses to run as root, and root is what a
// container or CI usually is. Three ways, in order of preference:
//   self       not root: run as we are.
//   namespace  root: run in a user namespace where we are not uid 0 inside but still root
//              outside, so the binaries and data can stay anywhere root can reach (a clone in a
//              0700 folder, /root) and every file stays root's. Needs util-linux `unshare` and a
//              kernel that allows user namespaces.
//   user       root without user namespaces, or a data folder an earlier version initialised as
//              the `postgres` system user: run as that user, who must be able to reach the
//              binaries and the data folder; when it cannot, say so in one line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, chownSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PostgresBinaries } from './binaries.ts';

export type RunAs =
  | { kind: 'self' }
  | { kind: 'namespace'; uid: number; gid: number }
  | { kind: 'user'; name: string; uid: number; gid: number };

const SYSTEM_USER = 'postgres';

function run(command: string, args: string[], options: { uid?: number; gid?: number } = {}) {
  return spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

function idOf(name: string): { uid: number; gid: number } | undefined {
  const uid = run('id', ['-u', name]);
  const gid = run('id', ['-g', name]);
  return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
}

/**
 * Inside the namespace we are a user that exists in /etc/passwd (initdb looks its name up):
 * `postgres` when there is one, else `nobody`. Outside we stay root.
 */
function namespaceIdentity(): { uid: number; gid: number } | undefined {
  const inner = idOf(SYSTEM_USER) ?? idOf('nobody');
  if (!inner || inner.uid === 0) return undefined;
  const probe = run('unshare', ['--user', `--map-user=${inner.uid}`, `--map-group=${inner.gid}`, 'true']);
  return probe.status === 0 ? inner : undefined;
}

/** The first of the server binary and the data folder's parent that `user` cannot reach. */
function unreachable(user: { uid: number; gid: number }, binaries: PostgresBinaries, databaseDir: string): string | undefined {
  return [binaries.postgres, dirname(databaseDir)].find((path) => run('test', ['-x', path], user).status !== 0);
}

function ensureSystemUser(): { uid: number; gid: number } {
  const existing = idOf(SYSTEM_USER);
  if (existing) return existing;
  run('groupadd', ['--system', SYSTEM_USER]);
  const added = run('useradd', ['--system', '--gid', SYSTEM_USER, '--no-create-home', SYSTEM_USER]);
  const created = idOf(SYSTEM_USER);
  if (!created) {
    throw new Error(
      `as root, the embedded PostgreSQL needs a "${SYSTEM_USER}" system user and could not create one (${added.stderr.trim() || 'useradd failed'}); run as another user or set DATABASE_URL`,
    );
  }
  return created;
}

export function chooseRunAs(binaries: PostgresBinaries, databaseDir: string): RunAs {
  if (process.getuid?.() !== 0) return { kind: 'self' };
  const initialised = existsSync(resolve(databaseDir, 'PG_VERSION'));
  const owner = initialised ? statSync(databaseDir).uid : 0;
  if (owner === 0) {
    const inner = namespaceIdentity();
    if (inner) return { kind: 'namespace', ...inner };
    if (initialised) {
      throw new Error(
        `the embedded PostgreSQL data in ${databaseDir} belongs to root and needs a user namespace to run (util-linux unshare), which this machine does not allow; run where it does, or move the folder away to start afresh`,
      );
    }
  }
  const user = initialised ? { uid: owner, gid: statSync(databaseDir).gid } : ensureSystemUser();
  const name = idOf(SYSTEM_USER)?.uid === user.uid ? `"${SYSTEM_USER}"` : `uid ${user.uid}`;
  const blocked = unreachable(user, binaries, databaseDir);
  if (blocked) {
    throw new Error(
      `as root, the embedded PostgreSQL runs as the ${name} system user, who cannot reach ${blocked} (a folder on its way is private, e.g. mode 0700); ` +
        `put the clone and DATA_DIR where other users can enter, run as another user, or set DATABASE_URL`,
    );
  }
  if (!initialised) {
    mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
    chownSync(databaseDir, user.uid, user.gid);
  }
  return { kind: 'user', name, ...user };
}
