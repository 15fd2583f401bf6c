/**
 * A REST source's read operation as Mesh's OpenAPI handler annotated it in the built composition
 * (`@transport(kind: "rest")` on the schema, `@httpOperation` on the root field), called directly:
 * the request is built from those annotations once per call, sent through the upstream transport,
 * and the JSON answer is the value.
 *
 * The handler's own resolver does the same and then adds ten metadata getters to every object of
 * the answer, and its answer is executed once more against the source's schema: on the benchmark's
 * workloads that cost 30% (W1) to 60% (W2) of a request's CPU (bench/results.md). Only plain reads
 * take this path: a GET without a body, headers without interpolation, query arrays in a known
 * format, and answer types whose fields and enum values Mesh did not rename; anything else keeps
 * going through the handler (`planRestRead` answers undefined).
 *
 *   const plan = planRestRead(catalogSchema, 'listProducts', process.env);
 *   plan?.url({ ids: ['prod-0001', 'prod-0002'] }); // 'http://127.0.0.1:4101/products?ids=prod-0001,prod-0002'
 */
import { getNamedType, isEnumType, isListType, isNonNullType, isObjectType, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import { getDirective } from '@graphql-tools/utils';

export interface RestRead {
  url(args: Record<string, unknown>): string;
  headers: Record<string, string>;
  /** Shapes the parsed answer as the field's type expects: a lone object for a list, or the first item. */
  shape(json: unknown): unknown;
}

/** Mesh's `@httpOperation` annotation on a REST source's root field, as far as Switchboard reads it. */
export interface HttpOperation {
  /** The source it belongs to. */
  subgraph?: string;
  path: string;
  httpMethod?: string;
  operationSpecificHeaders?: [string, string][];
  queryParamArgMap?: Record<string, string>;
  queryStringOptionsByParam?: Record<string, { arrayFormat?: string }>;
  requestBaseBody?: unknown;
  isBinary?: boolean;
  jsonApiFields?: boolean;
}

const ARRAY_FORMATS = new Set(['comma', 'repeat']);

export function planRestRead(schema: GraphQLSchema, fieldName: string, env: Record<string, string | undefined>): RestRead | undefined {
  const [transport] = (getDirective(schema, schema, 'transport') ?? []) as { kind?: string; location?: string; queryStringOptions?: { arrayFormat?: string } }[];
  const field = schema.getQueryType()?.getFields()[fieldName];
  if (transport?.kind !== 'rest' || !transport.location || !field) return undefined;
  const [operation] = (getDirective(schema, field, 'httpOperation') ?? []) as HttpOperation[];
  if (!operation || (operation.httpMethod ?? 'GET') !== 'GET' || operation.requestBaseBody || operation.isBinary || operation.jsonApiFields) return undefined;
  const headerPairs = operation.operationSpecificHeaders ?? [];
  if (headerPairs.some(([, value]) => value.includes('{')) || transport.queryStringOptions) return undefined;
  const params = Object.entries(operation.queryParamArgMap ?? {});
  const formats = operation.queryStringOptionsByParam ?? {};
  if (params.some(([param]) => formats[param]?.arrayFormat && !ARRAY_FORMATS.has(formats[param]!.arrayFormat!))) return undefined;
  if (!isPlain(field.type, new Set())) return undefined;
  const base = interpolateEnv(transport.location, env).replace(/\/+$/, '');
  const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
  return {
    url(args) {
      const path = operation.path.replace(/\{args\.(\w+)\}/g, (_, name: string) => encodeURIComponent(String(args[name] ?? '')));
      const query: string[] = [];
      for (const [param, arg] of params) {
        const value = args[arg];
        if (value === undefined || value === null) continue;
        const key = encodeURIComponent(param);
        if (!Array.isArray(value)) query.push(`${key}=${encodeURIComponent(String(value))}`);
        else if (formats[param]?.arrayFormat === 'comma') query.push(`${key}=${value.map((item) => encodeURIComponent(String(item))).join(',')}`);
        else for (const item of value) query.push(`${key}=${encodeURIComponent(String(item))}`);
      }
      return `${base}${path}${query.length ? `?${query.join('&')}` : ''}`;
    },
    headers: Object.fromEntries(headerPairs),
    shape(json) {
      if (list && !Array.isArray(json)) return json === null || json === undefined ? json : [json];
      if (!list && Array.isArray(json)) return json[0];
      return json;
    },
  };
}

/**
 * Private: whether the answer's JSON is the GraphQL value as it is: no field and no enum value that
 * the handler renamed or resolves specially (it marks those with directives), no abstract types.
 */
function isPlain(type: GraphQLOutputType, seen: Set<string>): boolean {
  const named = getNamedType(type);
  if (seen.has(named.name)) return true;
  seen.add(named.name);
  if (isEnumType(named)) return named.getValues().every((value) => !value.astNode?.directives?.length);
  if (!isObjectType(named)) return !('getTypes' in named) && !('getFields' in named);
  return Object.values(named.getFields()).every((field) => !field.astNode?.directives?.length && !field.args.length && isPlain(field.type, seen));
}

/** Private: `{env.NAME}` placeholders, as Mesh interpolates them. */
function interpolateEnv(template: string, env: Record<string, string | undefined>): string {
  return template.replace(/\{env\.(\w+)\}/g, (_, name: string) => env[name] ?? '');
}
