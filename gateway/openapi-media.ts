/**
 * What each operation of a REST source's contract says it answers in: the media types of its success
 * responses (OpenAPI 3's `responses.<2xx|default>.content` keys; Swagger 2.0's `produces`, the
 * operation's or else the document's), the `Accept` header the gateway sends for it, and the schema
 * of its answer, which an XML answer is read into (gateway/xml-answer.ts). The upstream transport
 * finds the operation of each call by its method and path.
 *
 * Mesh's OpenAPI handler sends a Swagger 2.0 operation's `produces` as it is, so a contract listing XML
 * first (the Petstore's) asks for XML, and a document-level `produces` not at all; nor does it read
 * anything but JSON. Switchboard asks for JSON first and reads XML too.
 *
 *   const media = readRestMedia('/srv/switchboard/sources/petstore/prepared/petstore.swagger.json');
 *   media.operation('GET', '/pet/7')?.accept;   // 'application/json, application/xml'
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { acceptFor, type OperationMedia } from './upstream/media-types.js';
import { isObject } from './openapi-names.js';

type Schema = Record<string, unknown>;

export interface RestMedia {
  /** The operation that serves `method` at `path` (below the source's base URL, without the query), if the contract has it. */
  operation(method: string, path: string): OperationMedia | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The media of a contract file and the files its `$ref`s reach; a contract that does not read has no operations. */
export function readRestMedia(path: string): RestMedia {
  let document: Schema;
  try {
    document = linkReferences(path);
  } catch {
    // The build reads the same file and says what is wrong with it; the calls fall back to JSON.
    return { operation: () => undefined };
  }
  return restMediaOf(document);
}

/** Private: the media of an OpenAPI document whose `$ref`s are already followed (linkReferences). */
function restMediaOf(document: Schema): RestMedia {
  const table = new Map<string, { pattern: RegExp; literal: number; media: OperationMedia }[]>();
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [template, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const routes = table.get(method.toUpperCase()) ?? [];
      routes.push({ ...routeOf(template), media: operationMedia(document, operation) });
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
    return { accept: acceptFor(declared), declared, ...(schema ? { schema } : {}) };
  }
  const contents = success.map((response) => (isObject(response.content) ? response.content : {}));
  const declared = [...new Set(contents.flatMap((content) => Object.keys(content)))];
  // The schema an XML answer is written by: the XML entry's, else any entry's (most contracts give one schema for all).
  const entries = contents.flatMap((content) => Object.entries(content));
  const withSchema = entries.filter(([, entry]) => isObject(entry) && isObject(entry.schema));
  const chosen = withSchema.find(([type]) => /xml/i.test(type)) ?? withSchema[0];
  const schema = chosen ? ((chosen[1] as Schema).schema as Schema) : undefined;
  return { accept: acceptFor(declared), declared, ...(schema ? { schema } : {}) };
}

/**
 * Private: a contract with every `$ref` (to its own parts, or to a local file's) replaced by the
 * object it names, in place; siblings of a `$ref` (an `xml` beside it) are kept on a copy. Recursive
 * schemas become cycles, which the XML reader only follows as deep as the answer goes.
 */
function linkReferences(path: string): Schema {
  const files = new Map<string, unknown>();
  const load = (file: string): unknown => {
    if (!files.has(file)) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      files.set(file, extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 }));
    }
    return files.get(file);
  };
  // A schema that refers to itself (through others) is met again while it is being linked: it is
  // then taken as it is, to be linked in place by the first visit (a cycle, not an endless walk).
  const following = new Set<string>();
  const target = (ref: string, from: string): unknown => {
    const [file, pointer = ''] = ref.split('#');
    const where = file ? resolve(dirname(from), file) : from;
    let node = load(where);
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
  const document = link(load(resolve(path)), resolve(path));
  if (!isObject(document)) throw new Error('The contract is not an object.');
  return document;
}

/**
 * The media of each REST source's operations, by source name, read from the contract its handler
 * reads in `.meshrc.yaml` on the first call to that source; undefined for a source that is not REST.
 */
export function createRestMediaLookup(root: string): (source: string) => RestMedia | undefined {
  let contracts: Map<string, string> | undefined;
  const read = new Map<string, RestMedia>();
  return (source) => {
    contracts ??= restContracts(root);
    const path = contracts.get(source);
    if (path === undefined) return undefined;
    if (!read.has(source)) read.set(source, readRestMedia(path));
    return read.get(source);
  };
}

/** Private: the contract file of each source whose handler is Mesh's OpenAPI one, by source name. */
function restContracts(root: string): Map<string, string> {
  const contracts = new Map<string, string>();
  let meshrc: unknown;
  try {
    meshrc = parseYaml(readFileSync(resolve(root, '.meshrc.yaml'), 'utf8'));
  } catch {
    return contracts;
  }
  const sources = isObject(meshrc) && Array.isArray(meshrc.sources) ? meshrc.sources : [];
  for (const source of sources) {
    const handler = isObject(source) && isObject(source.handler) ? source.handler.openapi : undefined;
    if (isObject(handler) && typeof handler.source === 'string' && typeof source.name === 'string') contracts.set(source.name, resolve(root, handler.source));
  }
  return contracts;
}
