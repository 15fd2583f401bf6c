/**
 * What a contract file is, read before anything is changed: `npm run source:add` takes an OpenAPI
 * document (Swagger 2.0, OpenAPI 3.0 or 3.1; YAML or JSON), a GraphQL schema (SDL, or introspection
 * JSON) or a WSDL, and tells from its content which it is, whether it reads, where its upstream
 * answers by default, and which other local files it needs (OpenAPI `$ref`s, XSD imports). Every
 * failure is one line that says what is wrong with the file.
 *
 *   const contract = readContract('/home/me/carrier.yaml');
 *   contract.kind;       // 'openapi'
 *   contract.endpoint;   // 'https://api.carrier.example/v2'
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, normalize, relative, sep } from 'node:path';
import { buildClientSchema, buildSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { PREPARED, type ContractKind } from '../config/source-manifests.js';
import { isObject, nameInlineSchemas } from './openapi-names.js';
import { typeFileAnswers } from './file-answers.js';
import { keepStringsPlain } from './plain-strings.js';
import { shareDateSchema } from './openapi-dates.js';
import { decodeRefPointers, resolvePointer } from './openapi-refs.js';

export interface Contract {
  kind: ContractKind;
  /** What it is, for messages: `OpenAPI 3.1`, `Swagger 2.0`, `GraphQL SDL`, `WSDL`. */
  format: string;
  /** The files to write in `sources/<name>/`: copies of the contract and the local files it reaches, or text made from it. */
  pins: Pin[];
  /** The pinned file the source's handler reads. */
  main: string;
  /** Where the upstream answers, as the contract says, if it says. */
  endpoint?: string;
  /** An OpenAPI contract's document, as read. */
  document?: Record<string, unknown>;
}

/** A file to pin, by its path relative to the source's folder: a copy of `from`, or `text`. */
export type Pin = { to: string; from: string } | { to: string; text: string };

export class ContractError extends Error {
  override name = 'ContractError';
}

export function readContract(path: string): Contract {
  if (!existsSync(path)) throw new ContractError(`there is no file ${path}`);
  if (!/^[\w.-]+$/.test(basename(path)) || /^source\.(json|ts)$/.test(basename(path))) {
    throw new ContractError(`the contract's file name ${JSON.stringify(basename(path))} must be letters, digits, dots, dashes and underscores, and not source.json or source.ts`);
  }
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const extension = extname(path).toLowerCase();
  if (/^\s*</.test(text)) return readWsdl(path, text);
  if (extension === '.graphql' || extension === '.graphqls' || extension === '.gql') return readSdl(text);
  let document: unknown;
  try {
    document = parseData(text, extension);
  } catch (error) {
    throw new ContractError(`it is neither XML nor valid ${extension === '.json' ? 'JSON' : 'YAML or JSON'} (${firstLine((error as Error).message)})`);
  }
  if (!isObject(document)) throw new ContractError('it holds no OpenAPI document, GraphQL introspection result or WSDL');
  const introspection = isObject(document.data) && '__schema' in document.data ? document.data : '__schema' in document ? document : undefined;
  if (introspection) return readIntrospection(path, introspection);
  return readOpenApi(path, document);
}

/** Private: Swagger 2.0 or OpenAPI 3.0/3.1, with the server it names and the files its `$ref`s reach. */
function readOpenApi(path: string, document: Record<string, unknown>): Contract {
  const version = typeof document.openapi === 'string' ? document.openapi : typeof document.swagger === 'string' ? document.swagger : undefined;
  let format: string;
  if (document.swagger !== undefined) {
    if (version !== '2.0') throw new ContractError(`Swagger ${String(document.swagger)} is not supported: Switchboard reads Swagger 2.0 and OpenAPI 3.0 and 3.1`);
    format = 'Swagger 2.0';
  } else if (document.openapi !== undefined) {
    if (!version || !/^3\.[01]\.\d+$/.test(version)) throw new ContractError(`OpenAPI ${String(document.openapi)} is not supported: Switchboard reads Swagger 2.0 and OpenAPI 3.0 and 3.1`);
    format = `OpenAPI ${version.slice(0, 3)}`;
  } else {
    throw new ContractError('it is neither an OpenAPI document (no "openapi" or "swagger" field), a GraphQL introspection result, nor a WSDL');
  }
  if (!isObject(document.paths) || Object.keys(document.paths).length === 0) throw new ContractError(`the ${format} document has no paths, so it gives no operations`);
  const files = pinned(path, refFiles);
  // Mesh's OpenAPI handler reads copies that Switchboard prepares, in prepared/; the contract and its
  // files are pinned as they were given too. The copies write references as plain pointers
  // (gateway/compose/openapi-refs.ts), send a date as a date (openapi-dates.ts), say oneOf where the
  // handler would merge an anyOf's alternatives into an object no answer fits, give the types the
  // contract leaves unnamed their names (openapi-names.ts), give a file answer without a schema
  // its binary one (file-answers.ts), and keep a string without a format a string (plain-strings.ts).
  const documents = [document, ...files.pins.slice(1).map((pin) => ('from' in pin ? readReferenced(pin.from) : undefined))];
  const read = documents.filter((each): each is Record<string, unknown> => each !== undefined);
  const decoded = read.map(decodeRefPointers).some(Boolean);
  const dated = read.map(shareDateSchema).some(Boolean);
  const rewritten = read.map((each) => anyOfToOneOf(each, each)).some(Boolean);
  const typedFiles = read.map(typeFileAnswers).some(Boolean);
  const plain = read.map(keepStringsPlain).some(Boolean);
  const named = nameInlineSchemas(...read);
  if (decoded || dated || rewritten || typedFiles || plain || named) {
    files.pins.push(...files.pins.map((pin, index) => {
      const to = `${PREPARED}/${pin.to.split(sep).join('/')}`;
      const prepared = documents[index];
      if (!prepared || !('from' in pin)) return { ...pin, to };
      // JSON, whatever the name says (JSON is YAML too): Mesh reads YAML as YAML 1.1, where an unquoted
      // 2024-04-10 is a date, and YAML 1.2 writers leave such strings unquoted.
      return { to, text: `${JSON.stringify(prepared, null, 2)}\n` };
    }));
    files.main = `${PREPARED}/${files.main}`;
  }
  return {
    kind: 'openapi',
    format,
    ...files,
    endpoint: format === 'Swagger 2.0' ? swaggerEndpoint(document) : serverEndpoint(document),
    document,
  };
}

/** Private: a YAML or JSON file an OpenAPI document refers to, if it reads as an object. */
function readReferenced(path: string): Record<string, unknown> | undefined {
  try {
    const value = parseData(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), extname(path).toLowerCase());
    return isObject(value) ? value : undefined;
  } catch {
    // The build says what is wrong with it.
    return undefined;
  }
}

/** Private: a file's text as JSON (`.json`) or YAML. */
function parseData(text: string, extension: string): unknown {
  return extension === '.json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 });
}

/** Private: a GraphQL schema in SDL, checked as a schema. */
function readSdl(text: string): Contract {
  try {
    const schema = buildSchema(text);
    if (!schema.getQueryType()) throw new Error('it has no Query type');
  } catch (error) {
    throw new ContractError(`the GraphQL schema does not build: ${firstLine((error as Error).message)}`);
  }
  return { kind: 'graphql', format: 'GraphQL SDL', pins: [{ to: 'schema.graphql', text }], main: 'schema.graphql' };
}

/** Private: a GraphQL introspection result (`{ __schema }` or `{ data: { __schema } }`), pinned as its SDL. */
function readIntrospection(path: string, introspection: Record<string, unknown>): Contract {
  let sdl: string;
  try {
    sdl = printSchema(buildClientSchema(introspection as unknown as IntrospectionQuery));
  } catch (error) {
    throw new ContractError(`the GraphQL introspection result does not build a schema: ${firstLine((error as Error).message)}`);
  }
  // The handler reads the SDL; the introspection result is kept beside it, as it was given.
  return {
    kind: 'graphql',
    format: 'GraphQL introspection',
    pins: [{ to: 'schema.graphql', text: sdl }, { to: 'introspection.json', from: path }],
    main: 'schema.graphql',
  };
}

/** Private: a WSDL 1.1, with its `soap:address` and the XSD and WSDL files it imports or includes. */
function readWsdl(path: string, text: string): Contract {
  if (!/<(\w+:)?definitions[\s>]/.test(text)) throw new ContractError('the XML is not a WSDL 1.1 document (no <definitions>)');
  const address = /<(?:\w+:)?address\b[^>]*\blocation\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  return {
    kind: 'soap',
    format: 'WSDL',
    ...pinned(path, xmlImports),
    ...(address && /^https?:\/\//.test(address) ? { endpoint: address } : {}),
  };
}

/** Private: the contract under its own name (its imports may name it), and every local file it reaches. */
function pinned(path: string, referencesIn: (text: string) => string[]): Pick<Contract, 'pins' | 'main'> {
  const folder = dirname(path);
  const others = localReferences(path, referencesIn).map((file) => ({ to: file, from: join(folder, file) }));
  return { pins: [{ to: basename(path), from: path }, ...others], main: basename(path) };
}

/**
 * Private: the local files a contract reaches, transitively, relative to its folder. A reference
 * over the network is left to the build; one outside the contract's folder is refused, since the
 * pinned copy could not reach it.
 */
function localReferences(path: string, referencesIn: (text: string) => string[]): string[] {
  const folder = dirname(path);
  const found = new Set<string>();
  const visit = (file: string) => {
    const text = readFileSync(file, 'utf8');
    for (const reference of referencesIn(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) continue;
      const target = normalize(join(dirname(file), reference));
      const inside = relative(folder, target);
      if (inside.startsWith('..') || inside.startsWith(sep)) {
        throw new ContractError(`${relative(folder, file) || basename(file)} refers to ${reference}, outside the contract's folder: put the files it needs beside it`);
      }
      if (!existsSync(target)) throw new ContractError(`${relative(folder, file) || basename(file)} refers to ${reference}, which is not there`);
      if (found.has(inside) || target === path) continue;
      found.add(inside);
      visit(target);
    }
  };
  visit(path);
  return [...found];
}

/** Private: the file parts of `$ref`s (`./common.yaml#/Pet` → `./common.yaml`). */
function refFiles(text: string): string[] {
  const files: string[] = [];
  for (const match of text.matchAll(/["']?\$ref["']?\s*:\s*["']?([^"'#\s,}]+)(#[^"'\s,}]*)?["']?/g)) files.push(match[1]!);
  return files;
}

/** Private: the `schemaLocation` and `location` of XSD and WSDL imports and includes. */
function xmlImports(text: string): string[] {
  const files: string[] = [];
  for (const match of text.matchAll(/<(?:\w+:)?(?:import|include|redefine)\b[^>]*?\b(?:schemaLocation|location)\s*=\s*["']([^"']+)["']/g)) files.push(match[1]!);
  return files;
}

/** Private: OpenAPI 3's first server, its variables at their defaults; a relative one is no endpoint. */
function serverEndpoint(document: Record<string, unknown>): string | undefined {
  const server = Array.isArray(document.servers) ? document.servers[0] : undefined;
  if (!isObject(server) || typeof server.url !== 'string') return undefined;
  const variables = isObject(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
  return /^https?:\/\/[^{}\s]+$/.test(url) ? url.replace(/\/+$/, '') : undefined;
}

/** Private: Swagger 2.0's scheme, host and base path, when it names a host. */
function swaggerEndpoint(document: Record<string, unknown>): string | undefined {
  if (typeof document.host !== 'string' || !document.host) return undefined;
  const schemes = Array.isArray(document.schemes) ? document.schemes : [];
  const scheme = schemes.includes('https') ? 'https' : schemes.includes('http') ? 'http' : 'https';
  const basePath = typeof document.basePath === 'string' ? document.basePath : '';
  return `${scheme}://${document.host}${basePath}`.replace(/\/+$/, '');
}

/**
 * Private: turns `anyOf` into `oneOf`, in place, where Mesh's OpenAPI handler would merge its
 * alternatives into one object that requires all their fields, which fails on every answer that
 * matches one of them: beside a `discriminator`, and wherever the alternatives are shapes of which at
 * least one is an object (a charge's id or the charge itself; a card or a bank account). The handler
 * makes a union of `oneOf` and tells the member from the answer's fields. Alternatives that only
 * constrain (`required: [email]`, beside the object's own properties) and scalars alone (`string` or
 * `integer`) stay `anyOf`; a `null` alternative becomes `nullable`. Whether any was turned.
 */
function anyOfToOneOf(node: unknown, document: Record<string, unknown>): boolean {
  if (Array.isArray(node)) return node.map((item) => anyOfToOneOf(item, document)).some(Boolean);
  if (!isObject(node)) return false;
  let changed = false;
  if (Array.isArray(node.anyOf) && node.oneOf === undefined && node.properties === undefined) {
    const isNull = (alternative: unknown) => isObject(alternative) && alternative.type === 'null';
    const alternatives = node.anyOf.filter((alternative) => !isNull(alternative));
    const shapes = alternatives.every((alternative) => isObject(alternative) && isShape(alternative));
    if (isObject(node.discriminator) || (alternatives.length > 1 && shapes && alternatives.some((alternative) => isObjectShape(alternative, document)))) {
      if (alternatives.length < node.anyOf.length) node.nullable = true;
      node.oneOf = alternatives;
      delete node.anyOf;
      changed = true;
    }
  }
  for (const value of Object.values(node)) changed = anyOfToOneOf(value, document) || changed;
  return changed;
}

/**
 * Private: whether a schema gives a shape rather than constraining one: `{ type: object, required: [email] }`
 * only constrains the properties declared beside the anyOf.
 */
function isShape(schema: Record<string, unknown>): boolean {
  if (['$ref', 'properties', 'items', 'allOf', 'oneOf', 'anyOf', 'enum', 'const'].some((key) => key in schema)) return true;
  return schema.type !== undefined && schema.type !== 'object';
}

/** Private: whether a schema is an object, following a reference within its document (one elsewhere is taken for one). */
function isObjectShape(schema: unknown, document: Record<string, unknown>, depth = 0): boolean {
  if (!isObject(schema) || depth > 20) return false;
  if (typeof schema.$ref === 'string') {
    if (!schema.$ref.startsWith('#/')) return true;
    return isObjectShape(resolvePointer(document, schema.$ref), document, depth + 1);
  }
  return schema.properties !== undefined || schema.allOf !== undefined || schema.oneOf !== undefined;
}


function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
