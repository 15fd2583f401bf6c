/**
 * The arguments a client sees of a REST source's root field are the API's, not the provider's
 * plumbing:
 *
 * - A parameter the gateway fills from the source's credentials (an `x-api-key` header, an
 *   `api_key` query parameter, an `Authorization` header the contract declares as a parameter) is
 *   no argument: every client would otherwise need the provider's secret. The credential is put on
 *   the call by the upstream transport (gateway/upstream/credentials/).
 * - Google's transport parameters (`$.xgafv`, `access_token`, `alt`, `callback`, `fields`, `key`,
 *   `oauth_token`, `prettyPrint`, `quotaUser`, `uploadType`, `upload_protocol`), which every
 *   operation of a contract converted from Google's discovery documents declares, are no arguments
 *   either: the provider's defaults serve.
 * - A name that Mesh's OpenAPI handler spelled out (`$filter` → `_DOLLAR_filter`, `page[size]` →
 *   `page_LEFT_SQUARE_BRACE_size_RIGHT_SQUARE_BRACE_`) is clean (`filter`, `page_size`) where that
 *   takes no other argument's name; the handler still gets its own names.
 *
 * - A parameter the source sets on every call (its manifest's `parameters`, `source:add --param
 *   api-version=2024-01-01`: an Azure `api-version`, a tenant) is no argument either; the gateway
 *   sends the value.
 *
 *   withClientArguments(schema, (source) => config.sources[source]?.manifest);
 */
import { isNonNullType, type GraphQLFieldConfig, type GraphQLFieldConfigArgumentMap, type GraphQLSchema } from 'graphql';
import { getDirectiveExtensions, MapperKind, mapSchema } from '@graphql-tools/utils';
import { sanitizeNameForGraphQL } from '@graphql-mesh/utils';
import type { SourceManifest } from '../../config/source-manifests.js';
import type { HttpOperation } from './rest-operation.js';

/** Google's standard query parameters, which its discovery documents give every method. */
const GOOGLE_TRANSPORT = new Set(['$.xgafv', 'access_token', 'alt', 'callback', 'fields', 'key', 'oauth_token', 'prettyPrint', 'quotaUser', 'uploadType', 'upload_protocol']);

/** The words Mesh's sanitizer writes for characters a GraphQL name cannot hold (`@graphql-mesh/utils`' sanitizeNameForGraphQL). */
const SPELLED_OUT = /_(DOLLAR|AT|HASH|PERCENT|AMPERSAND|ASTERISK|PLUS|EQUALS|LEFT_SQUARE_BRACE|RIGHT_SQUARE_BRACE|LEFT_CURLY_BRACE|RIGHT_CURLY_BRACE|LEFT_PARENTHESIS|RIGHT_PARENTHESIS|COLON|SEMICOLON|COMMA|DOT|SLASH|BACKSLASH|PIPE|TILDE|EXCLAMATION|QUESTION|CARET|BACKTICK|SINGLE_QUOTE|DOUBLE_QUOTE|LESS_THAN|GREATER_THAN|SPACE)_/g;

/** What the gateway knows of a source that fills arguments: its credentials and the parameters it sets. */
export type SourceSettings = Pick<SourceManifest, 'credentials' | 'parameters'>;

export function withClientArguments(schema: GraphQLSchema, settingsOf: (source: string) => SourceSettings | undefined): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field) => {
      if (!field.args || Object.keys(field.args).length === 0) return field;
      const [operation] = getDirectiveExtensions<{ httpOperation: HttpOperation }>(field as never, schema).httpOperation ?? [];
      const settings = operation?.subgraph ? settingsOf(operation.subgraph) : undefined;
      if (!operation || !settings) return field;
      const filled = filledByGateway(operation, settings);
      const args: GraphQLFieldConfigArgumentMap = {};
      const meshNames = new Map<string, string>();
      const kept = Object.keys(field.args).filter((name) => !filled.has(name));
      for (const name of kept) {
        const clean = cleanName(name);
        const free = clean !== name && !kept.includes(clean) && !(clean in args);
        args[free ? clean : name] = field.args[name]!;
        if (free) meshNames.set(clean, name);
      }
      if (filled.size === 0 && meshNames.size === 0) return field;
      // A value the source sets is sent; a credential's parameter that the source's own schema
      // requires gets a stand-in, which the credential replaces on the call; the rest are left out.
      const values = Object.fromEntries([...filled].filter(([name, value]) => value !== undefined || isNonNullType(field.args![name]!.type)).map(([name, value]) => [name, value ?? '']));
      return { ...field, args, resolve: asMeshCalls(field, meshNames, values) };
    },
  });
}

/** A name as a client reads it: Mesh's spelled-out characters gone, `_DOLLAR__xgafv` → `xgafv`. */
export function cleanName(name: string): string {
  if (!name.match(SPELLED_OUT)) return name;
  const clean = name.replace(SPELLED_OUT, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  if (!clean) return name;
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

/**
 * Private: the arguments of an operation that the gateway fills, with the value it sets where it
 * sets one: the source's `parameters` (by the contract's parameter name, in the path, the query or
 * a header), its credentials' parameters (the credential puts them on the call), and Google's
 * transport parameters where the operation has them (it has `$.xgafv`).
 */
function filledByGateway(operation: HttpOperation, settings: SourceSettings): Map<string, string | undefined> {
  const headers = new Set<string>();
  const query = new Set<string>();
  for (const credential of settings.credentials) {
    if (credential.type === 'apiKey' && typeof credential.name === 'string') (credential.in === 'query' ? query : headers).add(credential.name.toLowerCase());
    if (credential.type === 'bearer' || credential.type === 'basic' || credential.type === 'oauth2ClientCredentials') headers.add('authorization');
  }
  const set = new Map(Object.entries(settings.parameters ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const filled = new Map<string, string | undefined>();
  for (const [header, value] of operation.operationSpecificHeaders ?? []) {
    const argument = /^\{args\.(\w+)\}$/.exec(value)?.[1];
    if (!argument) continue;
    if (set.has(header.toLowerCase())) filled.set(argument, set.get(header.toLowerCase()));
    else if (headers.has(header.toLowerCase())) filled.set(argument, undefined);
  }
  // An ObjMap: an object, or its JSON where the built schema keeps the annotation as it was written.
  const map = operation.queryParamArgMap;
  const params = Object.entries<string>((typeof map === 'string' ? JSON.parse(map) : map) ?? {});
  const google = params.some(([param]) => param === '$.xgafv');
  for (const [param, argument] of params) {
    if (set.has(param.toLowerCase())) filled.set(argument, set.get(param.toLowerCase()));
    else if (query.has(param.toLowerCase()) || (google && GOOGLE_TRANSPORT.has(param))) filled.set(argument, undefined);
  }
  // A path parameter's argument is its name, as Mesh writes names (`tenant-id` → `tenant_id`).
  for (const [, argument] of operation.path.matchAll(/\{args\.(\w+)\}/g)) {
    const value = [...set].find(([name]) => sanitizeNameForGraphQL(name).toLowerCase() === argument!.toLowerCase())?.[1];
    if (value !== undefined) filled.set(argument!, value);
  }
  return filled;
}

/** Private: the field's resolver, given its arguments under the names Mesh's handler reads, and the values of those the gateway fills. */
function asMeshCalls(field: GraphQLFieldConfig<unknown, unknown>, meshNames: Map<string, string>, values: Record<string, unknown>): GraphQLFieldConfig<unknown, unknown>['resolve'] {
  const resolve = field.resolve;
  if (!resolve || (meshNames.size === 0 && Object.keys(values).length === 0)) return resolve;
  return (source, args, context, info) => {
    const renamed: Record<string, unknown> = { ...values };
    for (const [name, value] of Object.entries(args)) renamed[meshNames.get(name) ?? name] = value;
    return resolve(source, renamed, context, info);
  };
}
