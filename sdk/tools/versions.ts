// The SDK's version numbers (major.minor.patch, a pre-release suffix ignored): what a release
// after breaking or compatible changes must be at least. Before 1.0.0 the minor number is the
// one that signals breaking changes, as npm's caret ranges read it.

type Version = [major: number, minor: number, patch: number];

export function parseVersion(text: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a version (major.minor.patch)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** The lowest version that tells clients of `released` that their code may break. */
export function nextBreaking(released: string): string {
  const [major, minor] = parseVersion(released);
  return major > 0 ? `${major + 1}.0.0` : `0.${minor + 1}.0`;
}

/** The lowest version that tells clients of `released` that there is more, all compatible. */
export function nextCompatible(released: string): string {
  const [major, minor, patch] = parseVersion(released);
  return major > 0 ? `${major}.${minor + 1}.0` : `0.${minor}.${patch + 1}`;
}

/** The lowest version after `released` (a fix that changes no API). */
export function nextPatch(released: string): string {
  const [major, minor, patch] = parseVersion(released);
  return `${major}.${minor}.${patch + 1}`;
}
