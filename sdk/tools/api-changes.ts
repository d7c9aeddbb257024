// The changes between the released API (sdk/released/) and the current one, split into those that
// break clients and the others: the schema's through graphql-inspector, the SDK operations' by
// comparing their surfaces (see operation-surface.ts).
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { isSubtype, operationSurfaces, type OperationSurface } from './operation-surface.ts';

export interface ApiVersion {
  schema: string;
  operations: string;
}

export interface ApiChange {
  /** Stable name of the change, as acknowledged in sdk/breaking-changes.json: "FIELD_REMOVED Note.closedAt". */
  id: string;
  message: string;
}

export interface ApiChanges {
  breaking: ApiChange[];
  /** Additions and changes that clients may want to know about (graphql-inspector's "dangerous" ones among them). */
  other: ApiChange[];
  /** Set when the current operations do not fit the current schema: they were not compared. */
  operationsError?: string;
}

export async function apiChanges(released: ApiVersion, current: ApiVersion): Promise<ApiChanges> {
  const oldSchema = buildSchema(released.schema);
  const newSchema = buildSchema(current.schema);
  const changes: ApiChanges = { breaking: [], other: [] };
  for (const change of await diff(oldSchema, newSchema)) {
    const entry = { id: `${change.type} ${change.path ?? ''}`.trim(), message: change.message };
    (change.criticality.level === CriticalityLevel.Breaking ? changes.breaking : changes.other).push(entry);
  }
  let surfaces: Map<string, OperationSurface>;
  try {
    surfaces = operationSurfaces(newSchema, current.operations);
  } catch (error) {
    return { ...changes, operationsError: (error as Error).message };
  }
  operationChanges(operationSurfaces(oldSchema, released.operations), surfaces, changes);
  return changes;
}

function operationChanges(before: Map<string, OperationSurface>, after: Map<string, OperationSurface>, into: ApiChanges): void {
  const breaking = (id: string, message: string) => into.breaking.push({ id, message });
  const other = (id: string, message: string) => into.other.push({ id, message });
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now) {
      breaking(`OPERATION_REMOVED ${name}`, `Operation ${name} (${name}Document) was removed from the SDK`);
      continue;
    }
    if (now.kind !== old.kind) breaking(`OPERATION_KIND_CHANGED ${name}`, `Operation ${name} changed from a ${old.kind} to a ${now.kind}`);
    for (const [variable, { type }] of old.variables) {
      const next = now.variables.get(variable);
      if (!next) breaking(`OPERATION_VARIABLE_REMOVED ${name}.$${variable}`, `Variable $${variable} was removed from ${name}`);
      else if (!isSubtype(type, next.type)) {
        breaking(`OPERATION_VARIABLE_TYPE_CHANGED ${name}.$${variable}`, `Variable $${variable} of ${name} changed from ${type} to ${next.type}`);
      }
    }
    for (const [variable, { type, hasDefault }] of now.variables) {
      if (old.variables.has(variable)) continue;
      if (type.endsWith('!') && !hasDefault) breaking(`OPERATION_VARIABLE_ADDED ${name}.$${variable}`, `Required variable $${variable}: ${type} was added to ${name}`);
      else other(`OPERATION_VARIABLE_ADDED ${name}.$${variable}`, `Optional variable $${variable}: ${type} was added to ${name}`);
    }
    for (const [path, type] of old.fields) {
      const next = now.fields.get(path);
      if (next === undefined) breaking(`OPERATION_FIELD_REMOVED ${name}.${path}`, `Operation ${name} no longer selects ${path}`);
      else if (!isSubtype(next, type)) breaking(`OPERATION_FIELD_TYPE_CHANGED ${name}.${path}`, `${path} of ${name} changed from ${type} to ${next}`);
    }
    for (const path of now.fields.keys()) {
      if (!old.fields.has(path)) other(`OPERATION_FIELD_ADDED ${name}.${path}`, `Operation ${name} now selects ${path}`);
    }
  }
  for (const name of after.keys()) {
    if (!before.has(name)) other(`OPERATION_ADDED ${name}`, `Operation ${name} was added to the SDK`);
  }
}
