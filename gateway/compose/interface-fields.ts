/**
 * Interfaces whose fields their implementers can keep. Mesh's OpenAPI handler makes an interface of
 * a schema with a `discriminator`, and an object type implementing it of each schema that extends it
 * with `allOf`. An extension may narrow what it extends, as JSON Schema allows: the discriminator's
 * `method: string` to the one value of an enum, an untyped `result: object` to the shape of this kind's
 * result, a required property to an optional one. GraphQL does not allow that (an implementer's field
 * is the interface's type or a subtype of it), so the schema is not valid:
 *
 *   interface InvocationResponse { method: String!  result: JSON }
 *   type AddMediaInvocationResponse implements InvocationResponse { method: AddMediaMethod!  result: AddMediaResult! }
 *
 * Here the interface gives way, never the implementers, which keep what the contract says of them
 * (the enum, the object): a field whose implementers differ only in whether it may be null becomes
 * nullable in the interface; any other is left out of the interface, and is asked on the implementer
 * (`... on AddMediaInvocationResponse { method }`). A discriminator's value is `__typename` anyway.
 *
 *   const valid = withAgreeingInterfaces(schema);
 */
import {
  getNullableType, GraphQLList, isInterfaceType, isListType, isTypeSubTypeOf, type GraphQLInterfaceType, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';

/** What becomes of an interface's field: a looser type, or `null` to leave it out. */
type Change = GraphQLOutputType | null;

export function withAgreeingInterfaces(schema: GraphQLSchema): GraphQLSchema {
  const changes = new Map<string, Map<string, Change>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInterfaceType(type) || type.name.startsWith('__')) continue;
    const changed = fieldChanges(schema, type);
    if (changed.size > 0) changes.set(type.name, changed);
  }
  if (changes.size === 0) return schema;
  return mapSchema(schema, {
    [MapperKind.INTERFACE_FIELD]: (field, fieldName, typeName) => {
      const change = changes.get(typeName)?.get(fieldName);
      if (change === undefined) return field;
      return change === null ? null : { ...field, type: change };
    },
  });
}

/** Private: the fields of `type` that one of its implementers narrows, and what becomes of each. */
function fieldChanges(schema: GraphQLSchema, type: GraphQLInterfaceType): Map<string, Change> {
  const { objects, interfaces } = schema.getImplementations(type);
  const implementers = [...objects, ...interfaces];
  const changes = new Map<string, Change>();
  const fields = Object.entries(type.getFields());
  for (const [name, field] of fields) {
    const types = implementers.flatMap((implementer) => implementer.getFields()[name]?.type ?? []);
    if (types.every((each) => isTypeSubTypeOf(schema, each, field.type))) continue;
    const loose = nullableThroughout(field.type);
    changes.set(name, types.every((each) => isTypeSubTypeOf(schema, each, loose)) ? loose : null);
  }
  // An interface needs a field: one left with none stays as it is, and the schema's check says why.
  const left = fields.filter(([name]) => changes.get(name) !== null).length;
  return left > 0 ? changes : new Map();
}

/** Private: `[String!]!` → `[String]`. */
function nullableThroughout(type: GraphQLOutputType): GraphQLOutputType {
  const inner = getNullableType(type);
  return isListType(inner) ? new GraphQLList(nullableThroughout(inner.ofType as GraphQLOutputType)) : inner;
}
