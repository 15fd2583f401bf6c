// The public schema as committed in generated/schema.graphql: sorted, so that a diff shows only
// what changed.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

export function printPublicSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
