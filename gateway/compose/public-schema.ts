/**
 * The unified schema as clients see it, and as the gateway executes it. Mesh's built schema also
 * carries what its handlers use internally (`@httpOperation`, `@transport`, `ObjMap`, `HTTPMethod`)
 * and the types of the sources' own root fields that the composition hides; none of it is part of
 * Switchboard's API. Its fields also resolve through schema stitching, which wraps every field of
 * every result: here each field has the stitched graph's own resolver or the default one, and the
 * stitched graph reaches the sources through gateway/sources/source-clients.ts.
 *
 * The sources added with `npm run source:add` are the exception: their root fields (named with
 * their field prefixes) and every type reachable from them keep Mesh's own resolvers, which
 * delegate to the source and read its answers.
 */
import {
  getNamedType, GraphQLInterfaceType, GraphQLSchema, GraphQLUnionType, isAbstractType, isInterfaceType, isObjectType, specifiedDirectives,
  type GraphQLFieldResolver, type GraphQLInterfaceTypeConfig, type GraphQLNamedType, type GraphQLUnionTypeConfig,
} from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { withAgreeingInterfaces } from './interface-fields.js';

/**
 * The field a source of writes only (a WSDL whose operations all change something) puts on its Query,
 * which GraphQL requires to have one; with the source's prefix, `samples__noReads`. It is not part of
 * the API: the public schema leaves it out.
 */
export const NO_READS_FIELD = '_noReads';

/** Whether a root field is the placeholder (NO_READS_FIELD) of a source with one of the field `prefixes`. */
export function isPlaceholderField(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => name === `${prefix}${NO_READS_FIELD}`);
}

/** A field's resolver, or for a subscription field its `subscribe` and `resolve`. */
// Each resolver names the parent, arguments and context it takes (codegen's types, a join's own).
type AnyResolver = GraphQLFieldResolver<any, any, any>;
export type FieldResolvers = AnyResolver | { subscribe: AnyResolver; resolve?: AnyResolver };
export type Resolvers = Record<string, Record<string, FieldResolvers>>;

export interface PublicSchemaOptions {
  /** The root field prefixes of the added sources (`carrier_`), whose fields Mesh resolves. */
  meshResolvedPrefixes?: readonly string[];
}

export function toPublicSchema(schema: GraphQLSchema, resolvers: Resolvers = {}, options: PublicSchemaOptions = {}): GraphQLSchema {
  // A schema built from its root types alone holds exactly the types reachable from them; an interface
  // that an added source's implementers narrow gives way to them (gateway/compose/interface-fields.ts).
  const reachable = withAgreeingInterfaces(new GraphQLSchema({
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
    directives: specifiedDirectives,
  }));
  const meshResolved = meshResolvedFields(reachable, options.meshResolvedPrefixes ?? []);
  return mapSchema(reachable, {
    // Delegated results carry their `__typename` (renamed by the source's prefix). Mesh's bare
    // `rename` transform wraps every abstract type's resolveType, and a source's own interfaces and
    // unions have none, so the wrapped one throws: an added source's abstract types read `__typename`.
    [MapperKind.ABSTRACT_TYPE]: (type) => {
      if (!meshResolved.has(type.name)) return type;
      const config = type.toConfig();
      const resolveType = (value: { __typename?: unknown } | null) => (typeof value?.__typename === 'string' ? value.__typename : undefined);
      return isInterfaceType(type) ? new GraphQLInterfaceType({ ...config, resolveType } as GraphQLInterfaceTypeConfig<unknown, unknown>) : new GraphQLUnionType({ ...(config as GraphQLUnionTypeConfig<unknown, unknown>), resolveType });
    },
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (typeName === reachable.getQueryType()?.name && isPlaceholderField(fieldName, options.meshResolvedPrefixes ?? [])) return null;
      const given = resolvers[typeName]?.[fieldName];
      // A field the stitched graph adds to an added source's type (a join) is the gateway's; the source's own stay Mesh's.
      if ((meshResolved.has(`${typeName}.${fieldName}`) || meshResolved.has(typeName)) && given === undefined) return field;
      return {
        ...field,
        resolve: typeof given === 'function' ? given : given?.resolve,
        subscribe: typeof given === 'function' ? undefined : given?.subscribe,
        extensions: {},
      };
    },
  });
}

/**
 * Private: the root fields (`Query.carrier_shipment`) with one of the prefixes, and the types reachable
 * from them. A source's names are prefixed, so none of these is shared with the stitched graph.
 */
function meshResolvedFields(schema: GraphQLSchema, prefixes: readonly string[]): Set<string> {
  const found = new Set<string>();
  if (prefixes.length === 0) return found;
  const visit = (type: GraphQLNamedType) => {
    if (found.has(type.name) || !(isObjectType(type) || isAbstractType(type))) return;
    found.add(type.name);
    if (isAbstractType(type)) for (const possible of schema.getPossibleTypes(type)) visit(possible);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    }
  };
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (!prefixes.some((prefix) => field.name.startsWith(prefix))) continue;
      found.add(`${root!.name}.${field.name}`);
      visit(getNamedType(field.type));
    }
  }
  return found;
}
