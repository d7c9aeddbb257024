// `npm run release-schema -w @notes-stream/sdk`: the step of a release that records what is
// released. Once the schema check passes and sdk/package.json has the new version, it copies
// schema.graphql and sdk/operations to sdk/released/, writes the version to release.json and
// empties sdk/breaking-changes.json. Then commit, tag and `npm publish -w @notes-stream/sdk`
// (docs/sdk-releases.md). `--root DIR` releases in another folder laid out like the repository.
import { writeFileSync } from 'node:fs';
import { checkApi } from './check-api.ts';
import { currentApi, layoutFromArguments, shown } from './layout.ts';
import { compareVersions } from './versions.ts';

const layout = layoutFromArguments(process.argv);
const check = await checkApi(layout);
if (check.problems.length > 0) {
  process.stderr.write(`not released: the schema check fails (npm run check-schema -w @notes-stream/sdk):\n\n${check.problems.join('\n\n')}\n`);
  process.exit(1);
}
if (compareVersions(check.version, check.nextRelease) < 0) {
  process.stderr.write(`not released: set the version in ${shown(layout, layout.packageFile)} to ${check.nextRelease} or higher first (it is ${check.version})\n`);
  process.exit(1);
}
const current = currentApi(layout);
writeFileSync(layout.releasedSchemaFile, current.schema);
writeFileSync(layout.releasedOperationsFile, current.operations);
writeFileSync(layout.releaseFile, `${JSON.stringify({ version: check.version }, null, 2)}\n`);
writeFileSync(layout.acknowledgementsFile, `${JSON.stringify({ acknowledged: [] }, null, 2)}\n`);
process.stdout.write(`released @notes-stream/sdk ${check.version}: sdk/released/ holds its schema and operations; commit them with the version\n`);
