/**
 * The unified schema as clients see it, and as the gateway executes it. Mesh's built schema also
 * carries what its handlers use internally (`@httpOperation`, `@transport`, `ObjMap`, `HTTPMethod`)
 * and the types of the sources' own root fields that the composition hides; none of it is part of
 * Switchboard's API. Its fields also resolve through schema stitching, which wraps every field of
 * every result: here each field has the stitched graph's own resolver or the default one, and the
 * stitched graph reaches the sources through gateway/source-clients.ts.
 */
import { GraphQLSchema, specifiedDirectives, type GraphQLFieldResolver } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';

/** A field's resolver, or for a subscription field its `subscribe` and `resolve`. */
export type FieldResolvers = GraphQLFieldResolver<unknown, unknown> | { subscribe: GraphQLFieldResolver<unknown, unknown>; resolve?: GraphQLFieldResolver<unknown, unknown> };
export type Resolvers = Record<string, Record<string, FieldResolvers>>;

export function toPublicSchema(schema: GraphQLSchema, resolvers: Resolvers = {}): GraphQLSchema {
  // A schema built from its root types alone holds exactly the types reachable from them.
  const reachable = new GraphQLSchema({
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
    directives: specifiedDirectives,
  });
  return mapSchema(reachable, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const given = resolvers[typeName]?.[fieldName];
      return {
        ...field,
        resolve: typeof given === 'function' ? given : given?.resolve,
        subscribe: typeof given === 'function' ? undefined : given?.subscribe,
        extensions: {},
      };
    },
  });
}
