// `npm run check-schema -w @notes-stream/sdk` (a CI step): compares schema.graphql and
// sdk/operations with the last released ones (sdk/released/) and fails on a breaking change that
// sdk/breaking-changes.json does not acknowledge, or that the SDK's version does not announce
// (a new major version). `--root DIR` checks another folder laid out like the repository.
import { checkApi, listChanges } from './check-api.ts';
import { layoutFromArguments, shown } from './layout.ts';

const layout = layoutFromArguments(process.argv);

try {
  const check = await checkApi(layout);
  if (check.stale.length > 0) {
    const changes = check.stale.map((a) => a.change).join(', ');
    process.stderr.write(`note: acknowledged in ${shown(layout, layout.acknowledgementsFile)} but no longer found (undone?): ${changes}\n`);
  }
  if (check.problems.length > 0) {
    process.stderr.write(`schema check of @notes-stream/sdk ${check.version} failed:\n\n${check.problems.join('\n\n')}\n`);
    process.exit(1);
  }
  const breaking = check.breaking.length > 0 ? `${check.breaking.length} acknowledged breaking change(s)` : 'no breaking change';
  const other = check.other.length > 0 ? `, ${check.other.length} compatible change(s):\n${listChanges(check.other)}` : '';
  process.stdout.write(
    `schema check: @notes-stream/sdk ${check.version} against the released ${check.released}: ${breaking}${other}\n` +
      (check.breaking.length + check.other.length > 0 ? `the next release is at least ${check.nextRelease}\n` : ''),
  );
} catch (error) {
  process.stderr.write(`schema check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
