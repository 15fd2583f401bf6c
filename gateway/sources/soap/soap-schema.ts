/**
 * A SOAP upstream as an executable GraphQL schema, for Mesh's graphql handler (`source: ./x.ts`).
 *
 * Why not `@graphql-mesh/soap`: it sends a SOAP 1.2 envelope without `SOAPAction` even to SOAP 1.1
 * bindings, ignores WS-Security, and turns a SOAP Fault into a silent null. Here node-soap parses the
 * WSDL and writes and reads the envelopes (the envelope and `SOAPAction` follow the binding), the
 * WS-Security header comes from configuration, the call goes through the gateway's upstream
 * transport, and a Fault becomes a typed GraphQL error on the fields it affects.
 *
 *   export const schema = createSoapSchema({ source: 'tax', wsdlPath, connection, send });
 */
import { readFile } from 'node:fs/promises';
import {
  GraphQLBoolean, GraphQLEnumType, GraphQLError, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList, GraphQLNonNull,
  GraphQLObjectType, GraphQLSchema, GraphQLString,
  type GraphQLFieldConfig, type GraphQLInputType, type GraphQLOutputType, type GraphQLScalarType,
} from 'graphql';
import soap from 'soap';
import { upstreamError } from '../../errors.js';
import { NO_READS_FIELD } from '../../compose/public-schema.js';
import { escapeXml, escapeXmlAttribute } from '../../../lib/xml.js';
import { GraphQLJSON } from './json-scalar.js';
import { readEnvelope } from './read-envelope.js';
import { createSoapTransport, faultToError, type CallOptions, type Send } from './soap-transport.js';
import { camel, pascal } from './xml-names.js';
import { readServiceModel, type FieldModel, type OperationModel, type ScalarName, type ServiceModel } from './wsdl-model.js';
import { readField, toXml } from './xml-values.js';
import { keepSchemaGlobals } from './xsd-globals.js';

export interface SoapSchemaOptions {
  /** The source's name, as errors report it. */
  source: string;
  wsdlPath: string;
  /**
   * Where to call, read on the first call rather than at build time, so that building the schema
   * needs no live upstream. `endpoint` overrides `soap:address`.
   */
  connection: () => { endpoint?: string };
  /** Delivers an envelope; credentials (WS-Security) are the sender's to add. */
  send: Send;
  /** Which operations are safe reads (Query fields); the others become Mutation fields. */
  isQuery?: (operationName: string) => boolean;
  /** Which Mutation operations are safe to send again (named by the caller, say), so retried. */
  isIdempotent?: (operationName: string) => boolean;
  /**
   * The values of the SOAP headers the binding declares, by header element name (`{ AuthHeader: {
   * ApiKey: '…' } }`), read on the first call; each operation sends those it declares.
   */
  soapHeaders?: () => Record<string, unknown> | undefined;
}

// `GetStockLevels`, and Workday's `Get_Learning_Courses`.
const READ_OPERATION = /^(Get|List|Find|Search|Query|Lookup|Check|Read)_?[A-Z]/;
const SCALARS: Record<ScalarName, GraphQLScalarType> = {
  String: GraphQLString, Boolean: GraphQLBoolean, Int: GraphQLInt, Float: GraphQLFloat, JSON: GraphQLJSON,
};

/** What a JSON field holds, for GraphiQL's readers. */
const JSON_DESCRIPTIONS: Partial<Record<FieldModel['node'], string>> = {
  otherElements: 'Child elements the contract leaves open (xsd:any), by local name: text, or an object of children with `attributes` and `$value` (text).',
  otherAttributes: 'Attributes the contract leaves open (xsd:anyAttribute), by local name.',
};

export async function createSoapSchema(options: SoapSchemaOptions): Promise<GraphQLSchema> {
  const wsdlXml = await readFile(options.wsdlPath, 'utf8');
  keepSchemaGlobals();
  // node-soap types its HTTP client as axios-returning; it only uses the callback, as the transport does.
  const httpClient = createSoapTransport(options.source, options.send) as unknown as soap.IHttpClient;
  // node-soap writes a SOAP 1.1 or a SOAP 1.2 envelope per client, so each version used gets its own
  // (not cached, so that the two do not share one parsed WSDL and its options).
  const clientFor = async (soapVersion: '1.1' | '1.2') => {
    const client = await soap.createClientAsync(options.wsdlPath, { httpClient, disableCache: true, forceSoap12Headers: soapVersion === '1.2' });
    (client.wsdl as unknown as { xmlToObject: (xml: string) => unknown }).xmlToObject = readEnvelope;
    return client;
  };
  const first = await clientFor('1.1');
  const model = readServiceModel(first.wsdl as unknown as { definitions: unknown }, wsdlXml);
  const clients = {
    '1.1': model.operations.some((operation) => operation.soapVersion === '1.1') ? first : undefined,
    '1.2': model.operations.some((operation) => operation.soapVersion === '1.2') ? await clientFor('1.2') : undefined,
  };
  const isQuery = options.isQuery ?? ((name: string) => READ_OPERATION.test(name));
  const portsInUse = new Set(model.operations.map((operation) => `${operation.service} ${operation.port}`)).size;
  // Read on the first call, not at build time and not again on every call (a source's reads its manifest).
  let connection: { endpoint?: string } | undefined;
  let soapHeaders: Record<string, unknown> | undefined;
  const invoke: Invoke = (operation, args, context) => {
    if (!connection) {
      connection = options.connection();
      soapHeaders = options.soapHeaders?.();
    }
    const read = isQuery(operation.name);
    const callOptions: CallOptions = {
      read,
      idempotent: read || (options.isIdempotent?.(operation.name) ?? false),
      context,
      operation: operation.name,
      soapVersion: operation.soapVersion,
      soapAction: operation.soapAction,
      endpoint: endpointOf(operation, connection.endpoint, portsInUse),
      ...withSoapHeaders(operation, soapHeaders),
    };
    const port = (clients[operation.soapVersion] as unknown as Record<string, Record<string, Record<string, SoapMethod>>>)[operation.service]![operation.port]!;
    return new Promise((resolve, reject) => {
      port[operation.name]!(args, (error, result) => (error ? reject(error) : resolve([result])), callOptions);
    });
  };
  return buildSchema(model, isQuery, options, invoke);
}

/**
 * Private: where an operation is sent. The configured endpoint replaces the address of a WSDL's only
 * port; with several ports, each keeps its own path on the configured endpoint's host.
 */
function endpointOf(operation: OperationModel, configured: string | undefined, portsInUse: number): string | undefined {
  if (!configured) return undefined;
  if (portsInUse === 1 || !operation.location) return configured;
  const own = new URL(operation.location);
  return `${new URL(configured).origin}${own.pathname}${own.search}`;
}

/**
 * Private: node-soap's `postProcess` for a call whose binding declares SOAP headers that have values:
 * it puts them in the envelope's Header, qualified by the header element's namespace, and its children
 * too where the element's schema says `elementFormDefault="qualified"`.
 */
function withSoapHeaders(operation: OperationModel, values: Record<string, unknown> | undefined): { postProcess?: (xml: string) => string } {
  const headers = operation.headers.filter((header) => values?.[header.name] !== undefined);
  if (headers.length === 0) return {};
  const xml = headers.map((header) => `<sbh:${header.name} xmlns:sbh="${escapeXmlAttribute(header.namespace)}">${headerContent(values![header.name], header.qualifiedChildren ? 'sbh:' : '')}</sbh:${header.name}>`).join('');
  return {
    postProcess: (envelope) => {
      const closing = /<\/([\w.-]+):Header>/.exec(envelope);
      if (closing) return envelope.replace(closing[0], `${xml}${closing[0]}`);
      return envelope.replace(/<([\w.-]+):Body([\s>])/, (body, prefix: string, after: string) => `<${prefix}:Header>${xml}</${prefix}:Header><${prefix}:Body${after}`);
    },
  };
}

/** Private: a header's value as XML, its child elements named with `prefix`. */
function headerContent(value: unknown, prefix: string): string {
  if (value === null || typeof value !== 'object') return escapeXml(String(value));
  return Object.entries(value).map(([name, child]) => (Array.isArray(child) ? child : [child])
    .map((one) => `<${prefix}${name}>${headerContent(one, prefix)}</${prefix}${name}>`).join('')).join('');
}

type SoapMethod = (args: unknown, callback: (error: unknown, result: unknown) => void, options: CallOptions) => void;
type Invoke = (operation: OperationModel, args: unknown, context: unknown) => Promise<[unknown]>;

/** Private: the GraphQL types, created once each from the model. */
function buildSchema(model: ServiceModel, isQuery: (operation: string) => boolean, options: SoapSchemaOptions, invoke: Invoke): GraphQLSchema {
  const outputs = new Map<string, GraphQLObjectType>();
  const enums = new Map<string, GraphQLEnumType>();
  // An XSD enumeration, its GraphQL values standing for the XML ones.
  const enumType = (name: string): GraphQLEnumType => {
    let type = enums.get(name);
    if (!type) {
      type = new GraphQLEnumType({ name, values: Object.fromEntries(model.enums.get(name)!.map((value) => [value, { value }])) });
      enums.set(name, type);
    }
    return type;
  };
  const inputs = new Map<string, GraphQLInputObjectType>();

  const outputType = (field: FieldModel): GraphQLOutputType => {
    const named = field.isEnum ? enumType(field.type) : field.isScalar ? SCALARS[field.type as ScalarName] : objectType(field.type);
    // A missing repeated element reads as an empty list, so lists are never null.
    if (field.isList) return new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(named)));
    return field.isRequired ? new GraphQLNonNull(named) : named;
  };
  const objectType = (name: string): GraphQLObjectType => {
    let type = outputs.get(name);
    if (!type) {
      const fields = model.types.get(name)!.fields;
      type = new GraphQLObjectType({
        name,
        fields: () => Object.fromEntries(fields.map((field) => [field.name, {
          type: outputType(field),
          description: JSON_DESCRIPTIONS[field.node],
          resolve: (parent: unknown) => readField(field, parent, fields),
        }])),
      });
      outputs.set(name, type);
    }
    return type;
  };
  const inputType = (field: FieldModel): GraphQLInputType => {
    let named: GraphQLInputType = field.isEnum ? enumType(field.type) : field.isScalar ? SCALARS[field.type as ScalarName] : inputObjectType(field.type);
    if (field.isList) named = new GraphQLList(new GraphQLNonNull(named));
    return field.isRequired ? new GraphQLNonNull(named) : named;
  };
  const inputObjectType = (name: string): GraphQLInputObjectType => {
    let type = inputs.get(name);
    if (!type) {
      const fields = model.types.get(name)!.fields;
      type = new GraphQLInputObjectType({
        name: `${name}Input`,
        fields: () => Object.fromEntries(fields.map((field) => [field.name, { type: inputType(field), description: JSON_DESCRIPTIONS[field.node] }])),
      });
      inputs.set(name, type);
    }
    return type;
  };

  const rootField = (operation: OperationModel): GraphQLFieldConfig<unknown, unknown> => {
    // A response wrapper with one child (GetStockLevelsResponse → StockLevel[]) is answered by that
    // child; one with several by an object of its own; an empty one by what it held, as JSON.
    const single = operation.output.length === 1 ? operation.output[0]! : undefined;
    const type = single ? outputType(single) : operation.output.length === 0 ? GraphQLJSON : objectType(declareResultType(model, operation));
    return {
      type,
      args: Object.fromEntries(operation.input.map((field) => [field.name, { type: inputType(field), description: JSON_DESCRIPTIONS[field.node] }])),
      resolve: async (_root, args, context) => {
        const [answer] = await invoke(operation, toXml(model, operation.input, args), context).catch((error: unknown) => {
          throw error instanceof GraphQLError ? error : faultToError(options.source, error);
        });
        // An empty response element (`<GetXResponse/>`) is an answer whose optional parts are all
        // absent; where a part is required, it is a bad answer (below).
        const result = answer === '' && operation.output.every((field) => !field.isRequired) ? {} : answer;
        if (operation.output.length === 0) return result !== null && typeof result === 'object' ? result : {};
        if (result === null || typeof result !== 'object') {
          if (single && single.isList) return [];
          throw upstreamError(options.source, 'UPSTREAM_BAD_RESPONSE', `${options.source} answered ${operation.name} without a body.`);
        }
        return single ? readField(single, result, operation.output) : result;
      },
    };
  };

  // An operation is its camelCased name; when two ports offer operations of one name, the later is named after its port too.
  const fieldsOf = (read: boolean) => {
    const fields: Record<string, GraphQLFieldConfig<unknown, unknown>> = {};
    for (const op of model.operations.filter((candidate) => isQuery(candidate.name) === read)) {
      const name = fields[camel(op.name)] ? `${camel(op.port)}${pascal(op.name)}` : camel(op.name);
      fields[name] = rootField(op);
    }
    return fields;
  };
  const queryFields = fieldsOf(true);
  const mutationFields = fieldsOf(false);
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: Object.keys(queryFields).length ? queryFields : { [NO_READS_FIELD]: { type: GraphQLString } } }),
    mutation: Object.keys(mutationFields).length ? new GraphQLObjectType({ name: 'Mutation', fields: mutationFields }) : undefined,
  });
}

/** Private: an operation whose response has several children gets an object type of its own, named apart from the contract's. */
function declareResultType(model: ServiceModel, operation: OperationModel): string {
  let name = `${pascal(operation.name)}Result`;
  for (let n = 2; model.types.has(name) && model.types.get(name)!.fields !== operation.output; n += 1) name = `${pascal(operation.name)}Result${n}`;
  model.types.set(name, { name, fields: operation.output });
  return name;
}
