// Where the schema check and the release step find their files: the current schema and
// operations, the released ones (sdk/released/) and the acknowledged breaking changes. The root
// is the repository's, or another folder laid out the same (tests run the check on copies).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiVersion } from './api-changes.ts';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SdkLayout {
  root: string;
  schemaFile: string;
  operationsDir: string;
  packageFile: string;
  releasedSchemaFile: string;
  releasedOperationsFile: string;
  releaseFile: string;
  acknowledgementsFile: string;
}

export interface Acknowledgement {
  change: string;
  reason: string;
}

export function sdkLayout(root = REPOSITORY_ROOT): SdkLayout {
  return {
    root,
    schemaFile: join(root, 'schema.graphql'),
    operationsDir: join(root, 'sdk/operations'),
    packageFile: join(root, 'sdk/package.json'),
    releasedSchemaFile: join(root, 'sdk/released/schema.graphql'),
    releasedOperationsFile: join(root, 'sdk/released/operations.graphql'),
    releaseFile: join(root, 'sdk/released/release.json'),
    acknowledgementsFile: join(root, 'sdk/breaking-changes.json'),
  };
}

/** The layout of `--root DIR` among the command's arguments, else the repository's. */
export function layoutFromArguments(args: string[]): SdkLayout {
  const flag = args.indexOf('--root');
  return sdkLayout(flag === -1 ? undefined : args[flag + 1]);
}

/** A path as the messages show it: relative to the root. */
export const shown = (layout: SdkLayout, file: string) => relative(layout.root, file);

/** The schema and the operations as they are now; the operation files joined in name order. */
export function currentApi(layout: SdkLayout): ApiVersion {
  const files = readdirSync(layout.operationsDir).filter((f) => f.endsWith('.graphql')).sort();
  const operations = files.map((f) => `# sdk/operations/${f}\n${readFileSync(join(layout.operationsDir, f), 'utf8').trimEnd()}\n`).join('\n');
  return { schema: readFileSync(layout.schemaFile, 'utf8'), operations };
}

export function releasedApi(layout: SdkLayout): ApiVersion & { version: string } {
  const release = JSON.parse(readFileSync(layout.releaseFile, 'utf8')) as { version?: unknown };
  if (typeof release.version !== 'string') throw new Error(`${shown(layout, layout.releaseFile)}: "version" must be the released version, e.g. "1.0.0"`);
  return {
    version: release.version,
    schema: readFileSync(layout.releasedSchemaFile, 'utf8'),
    operations: readFileSync(layout.releasedOperationsFile, 'utf8'),
  };
}

export function packageVersion(layout: SdkLayout): string {
  const { version } = JSON.parse(readFileSync(layout.packageFile, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${shown(layout, layout.packageFile)} has no version`);
  return version;
}

/** The acknowledged breaking changes; an entry without a reason is refused. */
export function acknowledgements(layout: SdkLayout): Acknowledgement[] {
  const file = shown(layout, layout.acknowledgementsFile);
  const { acknowledged } = JSON.parse(readFileSync(layout.acknowledgementsFile, 'utf8')) as { acknowledged?: unknown };
  if (!Array.isArray(acknowledged)) throw new Error(`${file}: "acknowledged" must be a list of { "change", "reason" }`);
  return acknowledged.map((entry: unknown, i) => {
    const { change, reason } = (entry ?? {}) as Record<string, unknown>;
    if (typeof change !== 'string' || typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${file}: acknowledged[${i}] needs "change" (as the check prints it) and a "reason" that is not empty`);
    }
    return { change, reason };
  });
}
