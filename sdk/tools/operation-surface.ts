// What an SDK user's code depends on in each operation of sdk/operations: its kind, its variables
// (name and type) and every path of its result with the field's type. Two surfaces compared tell
// whether code written against the older one still compiles and runs against the newer one.
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  parseType,
  print,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';

export interface OperationSurface {
  kind: OperationDefinitionNode['operation'];
  /** Variable name → its type as written ("EventFilter", "String!"), with " = default" when it has one. */
  variables: Map<string, { type: string; hasDefault: boolean }>;
  /** Result path ("country.stats.opened"; "on Type" for inline fragments) → the field's type ("Int!"). */
  fields: Map<string, string>;
}

/** The surface of every named operation in `source`, whose types come from `schema`. */
export function operationSurfaces(schema: GraphQLSchema, source: string): Map<string, OperationSurface> {
  const document = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const surfaces = new Map<string, OperationSurface>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = definition.name?.value;
    if (!name) throw new Error('every operation in sdk/operations must be named');
    const root = schema.getRootType(definition.operation);
    if (!root) throw new Error(`operation ${name}: the schema has no ${definition.operation} type`);
    const fields = new Map<string, string>();
    collectFields(schema, fragments, definition.selectionSet, root, '', fields);
    const variables = new Map(
      (definition.variableDefinitions ?? []).map((v) => [v.variable.name.value, { type: print(v.type), hasDefault: v.defaultValue !== undefined }]),
    );
    surfaces.set(name, { kind: definition.operation, variables, fields });
  }
  return surfaces;
}

function collectFields(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  prefix: string,
  into: Map<string, string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const key = `${prefix}${selection.alias?.value ?? name}`;
      if (name === '__typename') {
        into.set(key, 'String!');
        continue;
      }
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!field) throw new Error(`${key}: ${parent.name} has no field ${name}`);
      into.set(key, String(field.type));
      const type = getNamedType(field.type);
      if (selection.selectionSet && isCompositeType(type)) collectFields(schema, fragments, selection.selectionSet, type, `${key}.`, into);
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) throw new Error(`unknown fragment ${selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : ''}`);
      const condition = fragment.typeCondition?.name.value;
      const type = condition ? schema.getType(condition) : parent;
      if (!isCompositeType(type)) throw new Error(`fragment on unknown type ${condition}`);
      // Fields of another type than the parent's only arrive for that type: their own paths.
      const inner = type.name === parent.name ? prefix : `${prefix}on ${type.name}.`;
      collectFields(schema, fragments, fragment.selectionSet, type, inner, into);
    }
  }
}

/**
 * Whether every value of type `from` is also a value of type `to`: the same type, or `to` with
 * more non-null wrappers. A result field may narrow (String → String!); a variable may widen.
 */
export function isSubtype(from: string, to: string): boolean {
  return subtype(parseType(from), parseType(to));
}

function subtype(from: TypeNode, to: TypeNode): boolean {
  if (to.kind === Kind.NON_NULL_TYPE) return from.kind === Kind.NON_NULL_TYPE && subtype(from.type, to.type);
  if (from.kind === Kind.NON_NULL_TYPE) return subtype(from.type, to);
  if (from.kind === Kind.LIST_TYPE || to.kind === Kind.LIST_TYPE) {
    return from.kind === Kind.LIST_TYPE && to.kind === Kind.LIST_TYPE && subtype(from.type, to.type);
  }
  return from.name.value === to.name.value;
}
