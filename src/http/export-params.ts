// The query string of an export, read as the GraphQL arguments of the `notes` or `facts` query:
// one parameter per field of the NoteFilter / FactFilter input type (whatever fields it has,
// so filters added to the schema work here too), plus from, to, limit and after. Values are
// coerced by graphql-js against the schema's own input types, so an export accepts and refuses
// exactly what the query does.
import {
  coerceInputValue,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';
import { UserInputError } from '../errors.ts';
import type { TimeRange } from '../resolvers/fact-filter.ts';

export interface ExportRequest {
  filter: Record<string, unknown> | null;
  range: TimeRange;
  /** Most rows to write. */
  limit: number;
  /** Continue after this row (the `next` of a truncated export). */
  after: string | null;
}

const RANGE = ['from', 'to'];
const RESERVED = new Set([...RANGE, 'limit', 'after']);

export function parseExportParams(
  params: URLSearchParams,
  schema: GraphQLSchema,
  filterTypeName: 'NoteFilter' | 'FactFilter',
  maxRows: number,
): ExportRequest {
  const filterType = schema.getType(filterTypeName) as GraphQLInputObjectType;
  const fields = filterType.getFields();
  const raw: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    if (values.length > 1) throw new UserInputError(`${name} is given ${values.length} times; give it once`, name);
    if (RESERVED.has(name)) continue;
    const field = fields[name];
    if (!field) {
      const known = [...Object.keys(fields), ...RESERVED].sort().join(', ');
      throw new UserInputError(`unknown parameter ${JSON.stringify(name)}; known: ${known}`, name);
    }
    raw[name] = fromText(values[0]!, field.type, name);
  }
  const filter =
    Object.keys(raw).length === 0
      ? null
      : (coerceInputValue(raw, filterType, (path, invalid, error) => {
          const argument = path.join('.') || 'filter';
          throw new UserInputError(`${argument}: ${error.message}`, argument, invalid);
        }) as Record<string, unknown>);
  const dateTime = schema.getType('DateTime') as GraphQLScalarType<Date>;
  const [from, to] = RANGE.map((name) => {
    const value = params.get(name);
    if (value === null) return null;
    try {
      return dateTime.parseValue(value);
    } catch (error) {
      throw new UserInputError(`${name}: ${(error as Error).message}`, name, value);
    }
  });
  return { filter, range: { from, to }, limit: parseLimit(params.get('limit'), maxRows), after: params.get('after') };
}

function parseLimit(value: string | null, maxRows: number): number {
  if (value === null) return maxRows;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > maxRows) {
    throw new UserInputError(`limit must be an integer from 1 to ${maxRows} (EXPORT_MAX_ROWS), got ${value}`, 'limit', value);
  }
  return limit;
}

/**
 * A parameter's text as the JSON value the field's type expects: input objects are written as
 * JSON, lists as comma-separated items, numbers and booleans as themselves. What does not
 * convert is passed on as text, for the coercion to refuse with its own message.
 */
function fromText(text: string, type: GraphQLInputType, name: string): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = nullable.ofType as GraphQLInputType;
    if (isInputObjectType(getNamedType(item)) || text.trimStart().startsWith('[')) return json(text, name);
    return text === '' ? [] : text.split(',').map((part) => fromText(part.trim(), item, name));
  }
  const named = getNamedType(nullable);
  if (isInputObjectType(named)) return json(text, name);
  if (isScalarType(named) && (named.name === 'Int' || named.name === 'Float')) {
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }
  if (isScalarType(named) && named.name === 'Boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function json(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserInputError(`${name} must be JSON, as in the GraphQL filter (e.g. ${name}={"…": …}); got ${JSON.stringify(text)}`, name, text);
  }
}
