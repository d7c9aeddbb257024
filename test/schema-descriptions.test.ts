// GraphiQL's documentation explorer is where analysts learn what a figure means: every type,
// field, argument and enum value of the schema must say it.
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { expect, it } from 'vitest';
import { getSchema } from '../src/schema/index.ts';

/** Everything in the schema that a client can see, each with its description. */
function describedItems(schema: GraphQLSchema): { item: string; description: string | null | undefined }[] {
  const items: { item: string; description: string | null | undefined }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    items.push({ item: `type ${type.name}`, description: type.description });
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        items.push({ item: `field ${type.name}.${field.name}`, description: field.description });
        for (const arg of 'args' in field ? field.args : []) {
          items.push({ item: `argument ${type.name}.${field.name}(${arg.name})`, description: arg.description });
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) items.push({ item: `enum value ${type.name}.${value.name}`, description: value.description });
    }
  }
  return items;
}

it('describes every type, field, argument and enum value of the schema', () => {
  const items = describedItems(getSchema());
  expect(items.length).toBeGreaterThan(500);
  const undescribed = items.filter(({ description }) => !description?.trim()).map(({ item }) => item);
  expect(undescribed).toEqual([]);
});
