/**
 * What each operation of a REST source's contract says it answers in (and whether it requires a body,
 * whether it is declared a read though not a GET, gateway/sources/rest/reads.ts): the media types of its success
 * responses (OpenAPI 3's `responses.<2xx|default>.content` keys; Swagger 2.0's `produces`, the
 * operation's or else the document's), the `Accept` header the gateway sends for it, and the schema
 * of its answer, which an XML answer is read into (gateway/sources/rest/xml-answer.ts). The upstream transport
 * finds the operation of each call by its method and path.
 *
 * Mesh's OpenAPI handler sends a Swagger 2.0 operation's `produces` as it is, so a contract listing XML
 * first (the Petstore's) asks for XML, and a document-level `produces` not at all; nor does it read
 * anything but JSON. Switchboard asks for JSON first and reads XML too.
 *
 *   const media = readRestMedia('/srv/switchboard/sources/petstore', 'prepared/petstore.swagger.json');
 *   media.operation('GET', '/pet/7')?.accept;   // 'application/json, application/xml'
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { acceptFor, isFileMediaType, readsXml, type OperationMedia } from '../../upstream/media-types.js';
import { isObject } from '../../compose/openapi-names.js';
import { normalPath, readOperations, type ReadOperation } from './reads.js';
import type { HttpOperation } from './rest-operation.js';
import type { GraphQLFieldConfig, GraphQLSchema } from 'graphql';
import { getDirectiveExtensions } from '@graphql-tools/utils';

type Schema = Record<string, unknown>;

export interface RestMedia {
  /** The operation that serves `method` at `path` (below the source's base URL, without the query), if the contract has it. */
  operation(method: string, path: string): OperationMedia | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The files of a contract, by their paths below a folder, as the build writes them (`main` first), and the source's reads that are not GET. */
interface ContractFiles {
  main: string;
  files: Record<string, unknown>;
  reads?: ReadOperation[];
}

/** Where the build writes the REST sources' contracts as JSON: reading YAML took some 50 ms a contract at start. */
const SNAPSHOT = join('.mesh', 'rest-contracts.json');

/** What the contract says of the REST operation a root field calls (its `@httpOperation`), if it calls one. */
export function fieldOperation(field: GraphQLFieldConfig<unknown, unknown>, schema: GraphQLSchema, restMedia: (source: string) => RestMedia | undefined): OperationMedia | undefined {
  const [operation] = getDirectiveExtensions<{ httpOperation: HttpOperation }>(field as never, schema).httpOperation ?? [];
  if (!operation?.subgraph || !operation.path) return undefined;
  return restMedia(operation.subgraph)?.operation(operation.httpMethod ?? 'GET', operation.path.split('?')[0]!);
}

/** The media of a contract file and the files its `$ref`s reach; a contract that does not read has no operations. */
export function readRestMedia(folder: string, main: string): RestMedia {
  return mediaOrNone(() => readContractFiles(folder, main));
}

/**
 * The media of each REST source's operations, by source name, from the contracts `.meshrc.yaml` gives
 * Mesh's OpenAPI handler (as the build wrote them, else as they are); undefined for a source that is
 * not REST. Read when the gateway starts: on a source's first call, they would hold that call up.
 */
export function createRestMediaLookup(root: string): (source: string) => RestMedia | undefined {
  const path = join(root, SNAPSHOT);
  let contracts: Record<string, ContractFiles>;
  try {
    contracts = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, ContractFiles> : restContracts(root);
  } catch {
    contracts = restContracts(root);
  }
  const media = new Map(Object.entries(contracts).map(([source, contract]) => [source, mediaOrNone(() => contract)]));
  return (source) => media.get(source);
}

/** Writes the REST sources' contracts as JSON into the built composition, for createRestMediaLookup. */
export function writeRestContracts(root: string): void {
  writeFileSync(join(root, SNAPSHOT), JSON.stringify(restContracts(root)));
}

/** Private: the media of a contract; one that does not read has no operations, and its calls expect JSON. */
function mediaOrNone(contract: () => ContractFiles): RestMedia {
  try {
    const files = contract();
    return restMediaOf(linkReferences(files), files.reads ?? []);
  } catch {
    // The build reads the same files and says what is wrong with them.
    return { operation: () => undefined };
  }
}

/** Private: the media of an OpenAPI document whose `$ref`s are already followed (linkReferences); `reads` are read though not GET. */
function restMediaOf(document: Schema, reads: ReadOperation[]): RestMedia {
  const isRead = new Set(reads.map((read) => `${read.method} ${normalPath(read.path)}`));
  const table = new Map<string, { pattern: RegExp; literal: number; media: OperationMedia }[]>();
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [template, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const routes = table.get(method.toUpperCase()) ?? [];
      const media = operationMedia(document, operation);
      media.name = typeof operation.operationId === 'string' ? operation.operationId : `${method.toUpperCase()} ${template}`;
      if (isRead.has(`${method.toUpperCase()} ${normalPath(template)}`)) media.read = true;
      routes.push({ ...routeOf(template), media });
      table.set(method.toUpperCase(), routes);
    }
  }
  // The most literal template first: /pet/findByStatus before /pet/{petId}.
  for (const routes of table.values()) routes.sort((a, b) => b.literal - a.literal);
  return {
    operation(method, path) {
      const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
      return table.get(method.toUpperCase())?.find((route) => route.pattern.test(trimmed))?.media;
    },
  };
}

/** Private: a path template as a pattern over paths, and how many of its characters are literal. */
function routeOf(template: string): { pattern: RegExp; literal: number } {
  const trimmed = template.length > 1 ? template.replace(/\/+$/, '') : template;
  const parts = trimmed.split(/\{[^}]*\}/);
  const pattern = new RegExp(`^${parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
  return { pattern, literal: parts.join('').length };
}

/** Private: what one operation declares for its success answers. */
function operationMedia(document: Schema, operation: Schema): OperationMedia {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const success = Object.entries(responses).filter(([status]) => /^(2\d\d|2XX|default)$/i.test(status)).map(([, response]) => response).filter(isObject);
  if (document.swagger !== undefined) {
    const produces = Array.isArray(operation.produces) ? operation.produces : Array.isArray(document.produces) ? document.produces : [];
    const declared = produces.filter((type): type is string => typeof type === 'string');
    const schema = success.map((response) => response.schema).find(isObject);
    const parameters = Array.isArray(operation.parameters) ? operation.parameters.filter(isObject) : [];
    const bodyRequired = parameters.some((parameter) => parameter.in === 'body' && parameter.required === true);
    return withSchema({ accept: acceptFor(declared), declared, ...(bodyRequired ? { bodyRequired } : {}) }, schema);
  }
  const contents = success.map((response) => (isObject(response.content) ? response.content : {}));
  const declared = [...new Set(contents.flatMap((content) => Object.keys(content)))];
  // The schema an XML answer is written by: the XML entry's, else any entry's (most contracts give one schema for all).
  const entries = contents.flatMap((content) => Object.entries(content));
  const schemas = entries.filter(([, entry]) => isObject(entry) && isObject(entry.schema));
  const chosen = schemas.find(([type]) => /xml/i.test(type)) ?? schemas[0];
  const bodyRequired = isObject(operation.requestBody) && operation.requestBody.required === true;
  const bodyTypes = isObject(operation.requestBody) && isObject(operation.requestBody.content) ? Object.keys(operation.requestBody.content) : [];
  const fileBody = bodyTypes.length > 0 && bodyTypes.every(isFileMediaType);
  const media: OperationMedia = { accept: acceptFor(declared), declared, ...(bodyRequired ? { bodyRequired } : {}), ...(fileBody ? { fileBody } : {}) };
  return withSchema(media, chosen ? ((chosen[1] as Schema).schema as Schema) : undefined);
}

/** Private: the schema is kept only for an operation that may answer XML: the rest of the contract can go. */
function withSchema(media: OperationMedia, schema: Schema | undefined): OperationMedia {
  return schema && readsXml(media.declared) ? { ...media, schema } : media;
}

/**
 * Private: a contract's files, its `$ref`s replaced by the objects they name, in place; siblings of a
 * `$ref` (an `xml` beside it) are kept on a copy. Recursive schemas become cycles, which the XML
 * reader follows only as deep as the answer goes.
 */
function linkReferences({ main, files }: ContractFiles): Schema {
  // A schema that refers to itself (through others) is met again while it is being linked: it is
  // then taken as it is, to be linked in place by the first visit (a cycle, not an endless walk).
  const following = new Set<string>();
  const target = (ref: string, from: string): unknown => {
    const [file, pointer = ''] = ref.split('#');
    const where = file ? posix.join(posix.dirname(from), file) : from;
    let node = files[where];
    for (const step of pointer.split('/').filter(Boolean)) {
      node = isObject(node) ? node[decodeURIComponent(step).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    const key = `${where}#${pointer}`;
    if (following.has(key)) return node;
    following.add(key);
    const found = link(node, where);
    following.delete(key);
    return found;
  };
  const linked = new Set<unknown>();
  const link = (node: unknown, file: string): unknown => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => (node[index] = link(item, file)));
      return node;
    }
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string') {
      const { $ref, ...siblings } = node;
      const found = target($ref, file);
      return Object.keys(siblings).length && isObject(found) ? { ...found, ...link(siblings, file) as Schema } : found;
    }
    if (linked.has(node)) return node;
    linked.add(node);
    for (const [key, value] of Object.entries(node)) node[key] = link(value, file);
    return node;
  };
  const document = link(files[main], main);
  if (!isObject(document)) throw new Error('The contract is not an object.');
  return document;
}

/** Private: a contract and the local files its `$ref`s reach, read, by their paths below `folder`. */
function readContractFiles(folder: string, main: string): ContractFiles {
  const files: Record<string, unknown> = {};
  const visit = (file: string) => {
    if (file in files) return;
    const text = readFileSync(join(folder, file), 'utf8').replace(/^\uFEFF/, '');
    const document = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 });
    files[file] = document;
    for (const ref of refsIn(document)) {
      const part = ref.split('#')[0]!;
      if (part && !/^[a-z][a-z0-9+.-]*:/i.test(part)) visit(posix.join(posix.dirname(file), part));
    }
  };
  visit(posix.normalize(main));
  return { main: posix.normalize(main), files };
}

/** Private: every `$ref` string in a document. */
function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

/** Private: the contract of each source whose handler is Mesh's OpenAPI one, by source name, read. */
function restContracts(root: string): Record<string, ContractFiles> {
  const contracts: Record<string, ContractFiles> = {};
  let meshrc: unknown;
  try {
    meshrc = parseYaml(readFileSync(join(root, '.meshrc.yaml'), 'utf8'));
  } catch {
    return contracts;
  }
  const sources = isObject(meshrc) && Array.isArray(meshrc.sources) ? meshrc.sources : [];
  for (const source of sources) {
    const handler = isObject(source) && isObject(source.handler) ? source.handler.openapi : undefined;
    if (!isObject(handler) || typeof handler.source !== 'string' || typeof source.name !== 'string') continue;
    try {
      contracts[source.name] = { ...readContractFiles(root, posix.normalize(handler.source)), reads: readOperations(root, source.name) };
    } catch {
      // A contract that does not read fails the build, which says why.
    }
  }
  return contracts;
}
