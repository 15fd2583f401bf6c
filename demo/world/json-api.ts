/**
 * The little REST framework of the JSON demo upstreams (catalog, payments): a table of routes named
 * by their OpenAPI operationId, one authorization hook, and errors as `{ error, message }` bodies.
 *
 *   const handler = createJsonHandler([
 *     { method: 'GET', path: '/products/{id}', operation: 'getProduct', handle: ({ params }) => ok(find(params.id)) },
 *   ], (request) => requireApiKey(request));
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { pathOf, sendJson, type ServiceHandler } from './http-service.js';

export interface JsonRequest {
  req: IncomingMessage;
  /** The `{name}` segments of the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface JsonReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface JsonRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** Like '/products/{id}'. */
  path: string;
  /** The OpenAPI operationId, which the request log records. */
  operation: string;
  /** Query parameters holding comma-separated ids that the log records as the request's keys. */
  keyParams?: string[];
  /** Skips the authorization hook (the OAuth2 token endpoint). */
  public?: boolean;
  handle(request: JsonRequest): JsonReply | Promise<JsonReply>;
}

/** An error answer; `body` is sent as is, `{ error, message }` for the problems of the contracts. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message ?? body.error);
  }
}

/** A `Problem` of the contracts: `{ error, message }`. */
export function problem(status: number, error: string, message: string, headers?: Record<string, string>): HttpError {
  return new HttpError(status, { error, message }, headers);
}

export const ok = (body: unknown): JsonReply => ({ status: 200, body });

/**
 * `GET /openapi.json`: the upstream's OpenAPI document (its pinned `file`), published as many
 * providers publish theirs, behind the same credentials as the rest (`npm run sources:drift` reads it).
 */
export function contractRoute(file: string): JsonRoute {
  let document: unknown;
  return { method: 'GET', path: '/openapi.json', operation: 'openApiDocument', handle: () => ok(document ??= parseYaml(readFileSync(file, 'utf8'))) };
}

export interface JsonHandler extends ServiceHandler {
  /** The operationId of the route a request goes to, if any (for faults aimed at one operation). */
  operationOf(req: IncomingMessage): string | undefined;
}

export function createJsonHandler(routes: JsonRoute[], authorize: (request: JsonRequest) => void): JsonHandler {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/') }));
  const candidatesOf = (req: IncomingMessage) => compiled.flatMap(({ route, segments }) => {
    const params = matchPath(segments, pathOf(req));
    return params ? [{ route, params }] : [];
  });
  const handler: ServiceHandler = async (req, res, entry) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = url.searchParams;
    entry.query = Object.fromEntries(query);
    try {
      const candidates = candidatesOf(req);
      const match = candidates.find(({ route }) => route.method === req.method);
      if (!match) throw noRoute(req, candidates.map(({ route }) => route.method));
      const { route, params } = match;
      entry.operation = route.operation;
      entry.keys = [...Object.values(params), ...(route.keyParams ?? []).flatMap((name) => splitList(query.get(name)))];
      const request = { req, params, query };
      if (!route.public) authorize(request);
      const reply = await route.handle(request);
      sendJson(res, reply.status ?? 200, reply.body, reply.headers);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendJson(res, error.status, error.body, error.headers);
    }
  };
  return Object.assign(handler, {
    operationOf(req: IncomingMessage) {
      try {
        return candidatesOf(req).find(({ route }) => route.method === req.method)?.route.operation;
      } catch {
        return undefined;
      }
    },
  });
}

/**
 * The ids in the comma-separated query parameter `name`, or undefined when it is absent.
 *
 *   listParam(query, 'ids', { max: 100, required: true }); // ['prod-0001', 'prod-0002']
 */
export function listParam(query: URLSearchParams, name: string, rule: { max: number; required?: boolean }): string[] | undefined {
  const raw = query.get(name);
  if (raw === null && !rule.required) return undefined;
  const ids = splitList(raw);
  const min = rule.required ? 1 : 0;
  if (ids.length < min || ids.length > rule.max) {
    const range = rule.required ? `1 to ${rule.max}` : `at most ${rule.max}`;
    throw problem(400, 'bad_request', `\`${name}\` must be a comma-separated list of ${range} ids, but got: ${ids.length}.`);
  }
  return ids;
}

/** The integer query parameter `name`, checked against its range; `fallback` when absent. */
export function intParam(query: URLSearchParams, name: string, rule: { min: number; max: number; fallback: number }): number {
  const raw = query.get(name);
  if (raw === null) return rule.fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < rule.min || value > rule.max) {
    throw problem(400, 'bad_request', `\`${name}\` must be an integer from ${rule.min} to ${rule.max}, but got: ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** The record, or a 404 problem that names what was not found. */
export function found<T>(record: T | undefined, what: string, id: string): T {
  if (record === undefined) throw problem(404, 'not_found', `No ${what} with id ${JSON.stringify(id)}.`);
  return record;
}

/** Reads a request body of at most `limit` bytes as text. */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  // A body the server already read (ServingOptions.replay) is on `req.body`, as node-soap and yoga expect.
  const read = (req as { body?: unknown }).body;
  if (Buffer.isBuffer(read)) {
    if (read.length > limit) throw problem(413, 'payload_too_large', `The body must be at most ${limit} bytes.`);
    return read.toString('utf8');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw problem(413, 'payload_too_large', `The body must be at most ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Private: the comma-separated ids of a query value, without empty items. */
function splitList(raw: string | null): string[] {
  return (raw ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
}

/** Private: the path's `{name}` values when it matches the route's segments. */
function matchPath(segments: string[], path: string): Record<string, string> | undefined {
  const parts = path.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index]!;
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (part === '') return undefined;
      params[segment.slice(1, -1)] = decodeSegment(part);
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

/** Private: a percent-decoded path segment; a malformed escape is the client's mistake, not a 500. */
function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw problem(400, 'bad_request', `The path segment ${JSON.stringify(part)} is not valid percent-encoding.`);
  }
}

/** Private: 405 when the path exists with other methods, 404 otherwise. */
function noRoute(req: IncomingMessage, allowed: string[]): HttpError {
  if (allowed.length > 0) {
    return problem(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}.`, { allow: allowed.join(', ') });
  }
  return problem(404, 'not_found', `No route ${req.method} ${pathOf(req)}.`);
}
