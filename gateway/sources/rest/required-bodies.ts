/**
 * Required in the contract is required in the schema: Mesh's OpenAPI handler gives every operation's
 * request body an optional `input` argument, even where the contract says `requestBody.required`
 * (or, in Swagger 2.0, a required `in: body` parameter), so a client learned it must send one only
 * from the provider's 400. Here such an `input` is non-null in the public schema, and a document that
 * leaves it out is refused before any call: `Field "fx_createQuote" argument "input" of type
 * "FxQuoteInput!" is required, but it was not provided.`
 */
import { GraphQLNonNull, isNonNullType, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { fieldOperation, type RestMedia } from './openapi-media.js';

export function withRequiredBodies(schema: GraphQLSchema, restMedia: (source: string) => RestMedia | undefined): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field) => {
      const input = field.args?.input;
      if (!input || isNonNullType(input.type)) return field;
      if (!fieldOperation(field, schema, restMedia)?.bodyRequired) return field;
      return { ...field, args: { ...field.args, input: { ...input, type: new GraphQLNonNull(input.type) } } };
    },
  });
}
