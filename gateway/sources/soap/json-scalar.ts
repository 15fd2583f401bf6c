/**
 * The `JSON` scalar, for XML that no GraphQL type describes (`xsd:anyType`, `xsd:any`, `anyAttribute`,
 * a complex type without content): the value as read-envelope.ts reads it, and, in arguments, as
 * node-soap writes an object. Named `JSON` as Mesh's handlers and graphql-scalars name theirs, which
 * Mesh's prefix transform leaves unprefixed: every source that has one shares one `JSON` in the
 * unified schema, and they all mean the same thing.
 */
import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';

export const GraphQLJSON = new GraphQLScalarType({
  name: 'JSON',
  description: 'The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
