// Build-time half of sdk/runtime/operation-meta.ts: derives the metadata of an operation from
// its document, and refuses operations that look resumable but are not.
import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { OperationMeta } from '../runtime/operation-meta.ts';

const RESUME_VARIABLE = 'after';
const CURSOR_FIELD = 'cursor';

export function describeOperation(document: DocumentNode): OperationMeta {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation) throw new Error('each generated document must hold exactly one operation');
  const name = operation.name?.value;
  if (!name) throw new Error('every operation in sdk/operations must be named');
  const meta: OperationMeta = { operation: operation.operation, name };
  if (operation.operation !== 'subscription') return meta;

  const declaresAfter = operation.variableDefinitions?.some((v) => v.variable.name.value === RESUME_VARIABLE) ?? false;
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const root = fields[0];
  const selectsCursor =
    root?.selectionSet?.selections.some(
      (s) => s.kind === Kind.FIELD && s.name.value === CURSOR_FIELD && (s.alias?.value ?? CURSOR_FIELD) === CURSOR_FIELD,
    ) ?? false;
  if (declaresAfter && !selectsCursor) {
    throw new Error(`subscription ${name} declares $${RESUME_VARIABLE} but does not select ${CURSOR_FIELD}: it could not resume`);
  }
  if (declaresAfter && root) meta.resumeField = root.alias?.value ?? root.name.value;
  return meta;
}
