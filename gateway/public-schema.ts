/**
 * The unified schema as clients see it. Mesh's built schema also carries what its handlers use
 * internally (`@httpOperation`, `@transport`, `ObjMap`, `HTTPMethod`) and the types of the sources'
 * own root fields that the composition hides; none of it is part of Switchboard's API.
 */
import { GraphQLSchema, specifiedDirectives } from 'graphql';

export function toPublicSchema(schema: GraphQLSchema): GraphQLSchema {
  // A schema built from its root types alone holds exactly the types reachable from them; the type
  // objects (and their resolvers and stitching data) are the same ones Mesh built.
  return new GraphQLSchema({
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
    directives: specifiedDirectives,
    extensions: schema.extensions,
    astNode: schema.astNode,
  });
}
