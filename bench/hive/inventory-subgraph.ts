/**
 * WORKAROUND source handler for the SOAP inventory upstream.
 *
 * The Mesh v1 SOAP loader (`loadSOAPSubgraph` in `@omnigraph/soap`) is not installable from the npm
 * registry we can reach: its newest version there is 0.96.0, which predates `loadSOAPSubgraph` and
 * whose @soap directive carries only elementName/bindingNamespace/endpoint (its own executor hard-codes
 * the SOAP 1.2 envelope namespace and sends no SOAPAction).
 *
 * So this handler:
 *   1. builds the GraphQL types from the WSDL with @omnigraph/soap 0.96.0's SOAPLoader (same type mapping);
 *   2. rewrites each root field's @soap directive into the shape that the runtime transport
 *      `@graphql-mesh/transport-soap` (0.13.1, what Hive Gateway loads for kind "soap") understands:
 *      soapAction (from the WSDL binding), soapNamespace = SOAP 1.1, endpoint, and soapHeaders holding
 *      a WS-Security UsernameToken (PasswordText). Header values keep `{env.X}` placeholders, which
 *      transport-soap interpolates at request time;
 *   3. marks the schema with `@transport(kind: "soap")`, as the v1 loader does.
 * It also renames the root field to `GetStockLevels` and prefixes the types with `inventory_`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DirectiveLocation,
  GraphQLDirective,
  GraphQLInputObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  isSpecifiedDirective,
} from 'graphql';
import { getDirectiveExtensions, MapperKind, mapSchema } from '@graphql-tools/utils';
import { SOAPLoader } from '@omnigraph/soap';

const SOAP_11_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

const ObjMap = new GraphQLScalarType({ name: 'ObjMap' });
const SOAPHeadersInput = new GraphQLInputObjectType({
  name: 'SOAPHeaders',
  fields: { namespace: { type: GraphQLString }, alias: { type: GraphQLString }, headers: { type: ObjMap } },
});
// Same definition as the v1 SOAP loader's @soap directive.
const soapDirective = new GraphQLDirective({
  name: 'soap',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    elementName: { type: GraphQLString },
    bindingNamespace: { type: GraphQLString },
    endpoint: { type: GraphQLString },
    subgraph: { type: GraphQLString },
    bodyAlias: { type: GraphQLString },
    soapHeaders: { type: SOAPHeadersInput },
    soapAction: { type: GraphQLString },
    soapNamespace: { type: GraphQLString },
  },
});

export interface InventorySubgraphOptions {
  /** Path of the WSDL, relative to the compose cwd. */
  source: string;
  /** The SOAP endpoint (baked into the supergraph; transport-soap does not interpolate it). */
  endpoint: string;
  username?: string;
  password?: string;
}

/** soapAction of each operation, read from the WSDL's binding. */
function soapActionsOf(wsdl: string): Map<string, string> {
  const actions = new Map<string, string>();
  const re = /<wsdl:operation\s+name="([^"]+)"\s*>\s*<soap:operation\s+soapAction="([^"]*)"/g;
  for (const m of wsdl.matchAll(re)) actions.set(m[1]!, m[2]!);
  return actions;
}

export function loadInventorySubgraph(name: string, options: InventorySubgraphOptions) {
  return ({ cwd, fetch }: { cwd: string; fetch: any }) => ({
    name,
    schema$: (async (): Promise<GraphQLSchema> => {
      const wsdl = await readFile(path.resolve(cwd, options.source), 'utf8');
      const loader = new SOAPLoader({ subgraphName: name, fetch } as any);
      const object = await loader.loadWSDL(wsdl);
      loader.loadedLocations.set(options.source, object);
      const base = loader.buildSchema();
      const actions = soapActionsOf(wsdl);

      const renamed = mapSchema(base, {
        [MapperKind.TYPE]: (type) => {
          if (type.name === 'Query' || !type.name.startsWith('InventoryService_')) return type;
          const config = (type as any).toConfig();
          return new (type.constructor as any)({ ...config, name: `${name}_${type.name.slice('InventoryService_'.length)}` });
        },
        [MapperKind.ROOT_OBJECT]: (type) => {
          const config = type.toConfig();
          const fields: typeof config.fields = {};
          for (const [fieldName, field] of Object.entries(config.fields)) {
            const soap = getDirectiveExtensions<{ soap: Record<string, string> }>(field)?.soap?.[0];
            if (!soap) continue;
            const operation = fieldName.split('_').pop()!;
            fields[operation] = {
              ...field,
              astNode: undefined,
              extensions: {
                ...field.extensions,
                directives: {
                  soap: [
                    {
                      elementName: soap.elementName,
                      bindingNamespace: soap.bindingNamespace,
                      endpoint: options.endpoint,
                      subgraph: name,
                      soapAction: actions.get(operation),
                      soapNamespace: SOAP_11_ENVELOPE,
                      soapHeaders: {
                        alias: 'wsse',
                        namespace: WSSE_NS,
                        // A JSON string, not an object: transport-soap 0.13.1 normalizes an object
                        // `headers` in place, so from the 2nd request on the values nest and are sent
                        // as "[object Object]". A string is JSON.parsed afresh on every request.
                        headers: JSON.stringify({
                          Security: {
                            UsernameToken: {
                              Username: options.username ?? '{env.INVENTORY_USERNAME}',
                              Password: options.password ?? '{env.INVENTORY_PASSWORD}',
                            },
                          },
                        }),
                      },
                    },
                  ],
                },
              },
            };
          }
          return new (type.constructor as any)({ ...config, fields });
        },
      });
      const config = renamed.toConfig();
      const schema = new GraphQLSchema({
        ...config,
        types: [...config.types, ObjMap, SOAPHeadersInput],
        directives: [...config.directives.filter((d) => d.name !== 'soap' || isSpecifiedDirective(d)), soapDirective],
        extensions: { directives: { transport: [{ kind: 'soap', subgraph: name, location: options.endpoint }] } },
      });
      return schema;
    })(),
  });
}
