// The breadth and cost of the introspection fields of an operation (`__schema`, `__type` and
// what is selected under them), which the complexity plugin counts as one field each whatever
// they select: 100 aliased `__schema` selections cost 100 and answered 1.5 MB. Each selected
// field counts once in the breadth, as every other field does; the cost is the number of values
// the answer will hold, estimated from this schema's own sizes (how many types, fields per type,
// arguments per field, …), over INTROSPECTION_VALUES_PER_COST since those values come from
// memory. The schema is fixed, so the estimate depends on the document and nothing else.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Introspection values per unit of cost: GraphiQL's full introspection query costs ~600. */
export const INTROSPECTION_VALUES_PER_COST = 10;

export interface IntrospectionMeasure {
  /** Fields selected under introspection roots (fragments counted where they are spread). */
  breadth: number;
  /** Estimated values of the answer, over INTROSPECTION_VALUES_PER_COST, rounded up. */
  complexity: number;
}

const listSizes = new WeakMap<GraphQLSchema, Map<string, number>>();

export function introspectionMeasure(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): IntrospectionMeasure {
  const sizes = listSizesOf(schema);
  const total = { breadth: 0, values: 0 };
  const roots: Record<string, string> = { __schema: '__Schema', __type: '__Type' };

  // `ofType` chains (GraphiQL asks eight deep) end where this schema's deepest wrapping does.
  const walk = (selectionSet: SelectionSetNode, typeName: string | null, seen: Set<string>, wrapped = 0): number => {
    let values = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        // A cycle is refused by validation; counting stops at it.
        if (!fragment || seen.has(fragment.name.value)) continue;
        values += walk(fragment.selectionSet, typeName, new Set(seen).add(fragment.name.value), wrapped);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        values += walk(selection.selectionSet, typeName, seen, wrapped);
        continue;
      }
      const name = selection.name.value;
      if (typeName === null) {
        // Outside introspection: only look for the roots (and under other fields, nothing).
        const root = roots[name];
        // The root field itself is counted by the complexity plugin.
        if (root && selection.selectionSet) {
          values += 1 + walk(selection.selectionSet, root, seen);
        }
        continue;
      }
      total.breadth++;
      const type = schema.getType(typeName);
      const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
      if (!field) {
        values += 1; // __typename
        continue;
      }
      const depth = name === 'ofType' ? wrapped + 1 : 0;
      if (!selection.selectionSet || depth > sizes.get('wrapping')!) {
        if (selection.selectionSet) total.breadth += fieldCount(selection.selectionSet, fragments, seen);
        values += isListOutput(field.type) ? (sizes.get(`${typeName}.${name}`) ?? 1) : 1;
        continue;
      }
      const items = isListOutput(field.type) ? (sizes.get(`${typeName}.${name}`) ?? 1) : 1;
      values += items * (1 + walk(selection.selectionSet, getNamedType(field.type).name, seen, depth));
    }
    return values;
  };

  total.values = walk(operation.selectionSet, null, new Set());
  return { breadth: total.breadth, complexity: Math.ceil(total.values / INTROSPECTION_VALUES_PER_COST) };
}

/** Fields selected in a selection set, fragments counted where they are spread. */
function fieldCount(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      count += 1 + (selection.selectionSet ? fieldCount(selection.selectionSet, fragments, seen) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += fieldCount(selection.selectionSet, fragments, seen);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment && !seen.has(fragment.name.value)) count += fieldCount(fragment.selectionSet, fragments, new Set(seen).add(fragment.name.value));
    }
  }
  return count;
}

/** How many List / NonNull wrappers a type has ([Int!]! has three). */
function wrappers(type: GraphQLType): number {
  return isNonNullType(type) || isListType(type) ? 1 + wrappers(type.ofType) : 0;
}

function isListOutput(type: GraphQLOutputType | GraphQLType): boolean {
  return isNonNullType(type) ? isListOutput(type.ofType) : isListType(type);
}

/**
 * How many items each introspection list holds in this schema: per type, the mean over all
 * types (what `types { … }` returns, the large answers), at least 1.
 */
function listSizesOf(schema: GraphQLSchema): Map<string, number> {
  let sizes = listSizes.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const fields = types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : []));
  const directives = schema.getDirectives();
  const mean = (counts: number[]) => Math.max(1, Math.ceil(counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)));
  const perType = (count: (type: (typeof types)[number]) => number) => mean(types.map(count));
  sizes = new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', directives.length],
    ['__Type.fields', perType((t) => (isObjectType(t) || isInterfaceType(t) ? Object.keys(t.getFields()).length : 0))],
    ['__Type.interfaces', perType((t) => (isObjectType(t) ? t.getInterfaces().length : 0))],
    ['__Type.possibleTypes', perType((t) => (isUnionType(t) ? t.getTypes().length : 0))],
    ['__Type.enumValues', perType((t) => (isEnumType(t) ? t.getValues().length : 0))],
    ['__Type.inputFields', perType((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0))],
    ['__Field.args', mean(fields.map((f) => f.args.length))],
    ['__Directive.args', mean(directives.map((d) => d.args.length))],
    ['__Directive.locations', mean(directives.map((d) => d.locations.length))],
    ['wrapping', Math.max(0, ...fields.flatMap((f) => [wrappers(f.type), ...f.args.map((a) => wrappers(a.type))]))],
  ]);
  listSizes.set(schema, sizes);
  return sizes;
}
