// The verdict of the schema check (tools/check-schema.ts prints it, tools/release-schema.ts
// requires it): the changes since the released API, and what is wrong with them, if anything.
import { apiChanges, type ApiChange } from './api-changes.ts';
import { acknowledgements, currentApi, packageVersion, releasedApi, shown, type Acknowledgement, type SdkLayout } from './layout.ts';
import { compareVersions, nextBreaking, nextCompatible, nextPatch } from './versions.ts';

export interface ApiCheck {
  released: string;
  version: string;
  breaking: ApiChange[];
  other: ApiChange[];
  /** Acknowledged changes that are not there any more (undone since). */
  stale: Acknowledgement[];
  /** Empty when the check passes. */
  problems: string[];
  /** The lowest version the next release may have. */
  nextRelease: string;
}

export const listChanges = (changes: ApiChange[]) => changes.map((c) => `  ${c.id}\n      ${c.message}`).join('\n');

export async function checkApi(layout: SdkLayout): Promise<ApiCheck> {
  const released = releasedApi(layout);
  const version = packageVersion(layout);
  const acknowledged = acknowledgements(layout);
  const { breaking, other, operationsError } = await apiChanges(released, currentApi(layout));
  const packageFile = shown(layout, layout.packageFile);
  const problems: string[] = [];
  if (operationsError) {
    problems.push(`sdk/operations do not fit ${shown(layout, layout.schemaFile)}, so they were not compared with the released ones: ${operationsError}`);
  }

  const unacknowledged = breaking.filter((c) => !acknowledged.some((a) => a.change === c.id));
  if (unacknowledged.length > 0) {
    const entries = unacknowledged.map((c) => `    { "change": "${c.id}", "reason": "<why clients have to change>" }`).join(',\n');
    problems.push(
      `${unacknowledged.length} breaking change(s) since the released ${released.version} (sdk/released/), not acknowledged:\n` +
        `${listChanges(unacknowledged)}\nClients built on ${released.version} would break. Undo the change, or acknowledge it in ` +
        `${shown(layout, layout.acknowledgementsFile)}:\n${entries}\nand set the version in ${packageFile} to ` +
        `${nextBreaking(released.version)} (see docs/sdk-releases.md).`,
    );
  }
  if (compareVersions(version, released.version) < 0) {
    problems.push(`${packageFile} has version ${version}, lower than the released ${released.version}`);
  } else if (unacknowledged.length === 0 && breaking.length > 0 && compareVersions(version, nextBreaking(released.version)) < 0) {
    problems.push(
      `${breaking.length} breaking change(s) since ${released.version}: ${packageFile} must have version ` +
        `${nextBreaking(released.version)} or higher, not ${version}, so that clients on ^${released.version} do not get it unawares`,
    );
  }
  return {
    released: released.version,
    version,
    breaking,
    other,
    stale: acknowledged.filter((a) => !breaking.some((c) => c.id === a.change)),
    problems,
    nextRelease:
      breaking.length > 0 ? nextBreaking(released.version) : other.length > 0 ? nextCompatible(released.version) : nextPatch(released.version),
  };
}
