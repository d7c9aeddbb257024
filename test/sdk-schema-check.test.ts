// The CI step `npm run check-schema -w @notes-stream/sdk` on copies of the repository's schema,
// operations and release files: a breaking change fails it until it is acknowledged and the
// SDK's major version is bumped; compatible changes pass and name the next release.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, parse, print, visit, type ASTNode, type ASTVisitor } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder laid out like the repository, with the files the check reads. */
function copyOfRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'notes-stream-schema-check-'));
  copies.push(root);
  mkdirSync(join(root, 'sdk'));
  cpSync('schema.graphql', join(root, 'schema.graphql'));
  for (const entry of ['operations', 'released', 'package.json', 'breaking-changes.json']) cpSync(join('sdk', entry), join(root, 'sdk', entry), { recursive: true });
  return root;
}

/** Runs a script of the SDK workspace (check-schema, release-schema) on the repository or a copy. */
function sdkScript(script: string, root?: string) {
  const args = ['run', '--silent', script, '-w', '@notes-stream/sdk', ...(root ? ['--', '--root', root] : [])];
  const { status, stdout, stderr } = spawnSync('npm', args, { encoding: 'utf8', timeout: 60_000 });
  return { status, stdout, stderr };
}
const check = (root?: string) => sdkScript('check-schema', root);

/** Rewrites a GraphQL file of the copy with a visitor (graphql's visit: return null to delete a node). */
function editGraphQL(file: string, visitor: ASTVisitor): void {
  writeFileSync(file, print(visit(parse(readFileSync(file, 'utf8')), visitor) as ASTNode));
}

/** Deletes `type.field` from the copy's schema, and every selection of `field` from its operations. */
function removeField(root: string, type: string, field: string): void {
  editGraphQL(join(root, 'schema.graphql'), {
    ObjectTypeDefinition: (node) => (node.name.value === type ? { ...node, fields: node.fields?.filter((f) => f.name.value !== field) } : undefined),
  });
  for (const file of readdirSync(join(root, 'sdk/operations'))) {
    editGraphQL(join(root, 'sdk/operations', file), { Field: (node) => (node.name.value === field && !node.selectionSet ? null : undefined) });
  }
}

function setFieldType(root: string, type: string, field: string, fieldType: string): void {
  editGraphQL(join(root, 'schema.graphql'), {
    ObjectTypeDefinition: (node) =>
      node.name.value !== type
        ? undefined
        : { ...node, fields: node.fields?.map((f) => (f.name.value === field ? { ...f, type: typeNode(fieldType) } : f)) },
  });
}

/** The type node of a type written in SDL, e.g. "Int!". */
function typeNode(text: string) {
  const document = parse(`type T { f: ${text} }`, { noLocation: true });
  const definition = document.definitions[0]!;
  if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) throw new Error('unreachable');
  return definition.fields![0]!.type;
}

function setJson(file: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  writeFileSync(file, JSON.stringify(value, null, 2));
}

describe('the SDK schema check', () => {
  it('passes on the repository and on an unchanged copy of it', () => {
    expect(check()).toMatchObject({ status: 0, stdout: expect.stringMatching(/against the released \d+\.\d+\.\d+: no breaking change/) });
    expect(check(copyOfRepository())).toMatchObject({ status: 0, stdout: expect.stringMatching(/no breaking change/) });
  });

  it('fails on a field removed from the schema, naming the change and where to acknowledge it', () => {
    const root = copyOfRepository();
    removeField(root, 'Note', 'closedAt');
    const result = check(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('FIELD_REMOVED Note.closedAt');
    expect(result.stderr).toContain('OPERATION_FIELD_REMOVED Note.note.closedAt');
    expect(result.stderr).toContain('{ "change": "FIELD_REMOVED Note.closedAt", "reason": "<why clients have to change>" }');
    expect(result.stderr).toMatch(/acknowledge it in sdk\/breaking-changes\.json/);
  });

  it('passes an acknowledged breaking change only once the major version is bumped', () => {
    const root = copyOfRepository();
    removeField(root, 'Note', 'closedAt');
    setJson(join(root, 'sdk/breaking-changes.json'), (file) => {
      file.acknowledged = ['FIELD_REMOVED Note.closedAt', 'OPERATION_FIELD_REMOVED Note.note.closedAt'].map((change) => ({ change, reason: 'closing times move to Note.events' }));
    });
    const released = (JSON.parse(readFileSync('sdk/released/release.json', 'utf8')) as { version: string }).version;
    const major = Number(released.split('.')[0]);
    const unbumped = check(root);
    expect(unbumped.status).toBe(1);
    expect(unbumped.stderr).toContain(`must have version ${major + 1}.0.0 or higher`);

    setJson(join(root, 'sdk/package.json'), (pkg) => (pkg.version = `${major + 1}.0.0`));
    expect(check(root)).toMatchObject({ status: 0, stdout: expect.stringContaining('2 acknowledged breaking change(s)') });

    // The release records the new API: the same copy then has nothing to report.
    expect(sdkScript('release-schema', root)).toMatchObject({ status: 0, stdout: expect.stringContaining(`released @notes-stream/sdk ${major + 1}.0.0`) });
    expect(JSON.parse(readFileSync(join(root, 'sdk/breaking-changes.json'), 'utf8'))).toEqual({ acknowledged: [] });
    expect(readFileSync(join(root, 'sdk/released/schema.graphql'), 'utf8')).not.toMatch(/closedAt/);
    expect(check(root)).toMatchObject({ status: 0, stdout: expect.stringContaining(`${major + 1}.0.0 against the released ${major + 1}.0.0: no breaking change`) });
  });

  it('refuses to release a version that is not past the last release', () => {
    const root = copyOfRepository();
    const result = sdkScript('release-schema', root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/set the version in sdk\/package\.json to \d+\.\d+\.\d+ or higher first/);
  });

  it('refuses an acknowledgement without a reason', () => {
    const root = copyOfRepository();
    setJson(join(root, 'sdk/breaking-changes.json'), (file) => (file.acknowledged = [{ change: 'FIELD_REMOVED Note.closedAt' }]));
    expect(check(root)).toMatchObject({ status: 1, stderr: expect.stringContaining('acknowledged[0] needs "change"') });
  });

  it('fails when an operation stops selecting a field, although the schema is unchanged', () => {
    const root = copyOfRepository();
    editGraphQL(join(root, 'sdk/operations/subscriptions.graphql'), { Field: (node) => (node.name.value === 'lagMs' ? null : undefined) });
    expect(check(root)).toMatchObject({ status: 1, stderr: expect.stringContaining('OPERATION_FIELD_REMOVED FactsProcessed.factProcessed.lagMs') });
  });

  it('passes compatible changes (a result that becomes non-null), but not a result that becomes nullable', () => {
    const narrowed = copyOfRepository();
    setFieldType(narrowed, 'Stats', 'resolutionRate', 'Float!');
    expect(check(narrowed)).toMatchObject({ status: 0, stdout: expect.stringMatching(/no breaking change, \d+ compatible change\(s\)[\s\S]*FIELD_TYPE_CHANGED Stats\.resolutionRate/) });

    const widened = copyOfRepository();
    setFieldType(widened, 'Stats', 'opened', 'Int');
    const result = check(widened);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('FIELD_TYPE_CHANGED Stats.opened');
    expect(result.stderr).toMatch(/OPERATION_FIELD_TYPE_CHANGED \w+\.[\w.]*stats\.opened/);
  });
});
