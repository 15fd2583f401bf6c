/**
 * Local upstreams for the contracts in test/fixtures/contracts, each a real server on port 0 that
 * answers as its contract says and logs every request it gets: plain HTTP for the OpenAPI ones,
 * graphql-yoga for the GraphQL ones, node-soap's `soap.listen` for the WSDL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { buildClientSchema, printSchema } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import * as soap from 'soap';

export const FIXTURES = new URL('../fixtures/contracts/', import.meta.url).pathname;

export interface LoggedRequest {
  method: string;
  url: string;
  body: string;
  /** The media types the caller said it reads, when it said. */
  accept?: string;
  /** For SOAP calls: the content type and SOAPAction they came with, and the envelope's SOAP headers. */
  headers?: { contentType?: string; soapAction?: string };
  soapHeaders?: unknown;
  /** For SOAP calls: the envelope as it came, for what node-soap's reading of it does not tell (namespaces). */
  envelope?: string;
}

export interface Upstream {
  url: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

/** One route: `GET /v1/parcels/:id` → a status and a JSON body (or bytes in another `contentType`), or undefined for 404. */
export type Route = (params: Record<string, string>, query: URLSearchParams, body: unknown, headers: IncomingMessage['headers']) => { status?: number; body: unknown; contentType?: string } | undefined;

/** A REST upstream over `routes` (`'GET /v1/parcels/:id'`). */
export function serveRest(routes: Record<string, Route>): Promise<Upstream> {
  const table = Object.entries(routes).map(([key, route]) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const names: string[] = [];
    const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    return { method, regex, names, route };
  });
  return listen(async (req, res, body) => {
    const url = new URL(req.url!, 'http://upstream');
    for (const { method, regex, names, route } of table) {
      const match = req.method === method ? regex.exec(url.pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
      // A JSON body read; any other (a file, a form) as the text it came as.
      const answer = route(params, url.searchParams, body && /json/.test(req.headers['content-type'] ?? 'json') ? JSON.parse(body) : body || undefined, req.headers);
      if (answer?.contentType) {
        res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType });
        return res.end(answer.body as Buffer | string);
      }
      if (answer) return json(res, answer.status ?? 200, answer.body);
      break;
    }
    json(res, 404, { code: 'not_found', message: `Nothing at ${url.pathname}` });
  });
}

/** A GraphQL upstream (graphql-yoga at /graphql) over an SDL file (in the fixtures, or at an absolute path), or the SDL of an introspection result. */
export function serveGraphQL(contract: string, resolvers: Record<string, unknown>): Promise<Upstream> {
  const text = readFileSync(isAbsolute(contract) ? contract : `${FIXTURES}${contract}`, 'utf8');
  const typeDefs = contract.endsWith('.json')
    ? printSchema(buildClientSchema((JSON.parse(text) as { data: never }).data))
    : text;
  const yoga = createYoga({ schema: createSchema({ typeDefs, resolvers: resolvers as never }), logging: false, graphiql: false });
  return listen(async (req, res, body) => {
    const answer = await yoga.fetch(`http://upstream${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      ...(req.method === 'POST' ? { body } : {}),
    });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(await answer.text());
  });
}

/**
 * A SOAP upstream: node-soap's server for a WSDL (in the fixtures, or at an absolute path) at each of `paths` (/soap by default), with
 * `services` as node-soap takes them. node-soap serves on a path the port whose address has that path;
 * `serverWsdl` may change the WSDL the server reads (not the one the gateway is given).
 */
export async function serveSoap(contract: string, services: soap.IServices, paths = ['/soap'], serverWsdl = (wsdl: string) => wsdl): Promise<Upstream> {
  const upstream = await listen((_req, res) => json(res, 404, { message: `SOAP is served at ${paths.join(', ')}` }));
  const server = (upstream as Upstream & { server: Server }).server;
  // node-soap answers on its path and passes every other request to the listeners it found.
  const location = isAbsolute(contract) ? contract : `${FIXTURES}${contract}`;
  const wsdl = serverWsdl(readFileSync(location, 'utf8'));
  // Each call is logged by the method that serves it, which node-soap hands the HTTP request; the
  // envelope as it came is kept by node-soap's log hook, by request.
  const envelopes = new WeakMap<IncomingMessage, string>();
  const logged = Object.fromEntries(Object.entries(services).map(([service, ports]) => [service, Object.fromEntries(
    Object.entries(ports).map(([port, methods]) => [port, Object.fromEntries(Object.entries(methods).map(([name, method]) => [name,
      (args: unknown, callback: unknown, headers: unknown, req: IncomingMessage) => {
        upstream.requests.push({
          method: 'POST',
          url: `${new URL(req.url!, 'http://upstream').pathname}#${name}`,
          body: JSON.stringify(args),
          headers: { contentType: req.headers['content-type'], soapAction: req.headers.soapaction as string | undefined },
          ...(headers ? { soapHeaders: headers } : {}),
          envelope: envelopes.get(req),
        });
        return (method as (...all: unknown[]) => unknown)(args, callback, headers, req);
      }]))]),
  )]));
  // Imported XSDs are read relative to the contract's own place.
  for (const path of paths) {
    const listener = soap.listen(server, { path, services: logged as soap.IServices, xml: wsdl, uri: location });
    listener.log = (type: string, data: unknown, req: IncomingMessage) => {
      if (type === 'received') envelopes.set(req, String(data));
    };
  }
  return upstream;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

/** A server on port 0 that logs each request (method, path with query, body, Accept) before `handle` answers it. */
export function listen(handle: Handler): Promise<Upstream> {
  const requests: LoggedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method!, url: req.url!, body, ...(req.headers.accept === undefined ? {} : { accept: req.headers.accept }) });
      void handle(req, res, body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        server,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      } as Upstream & { server: Server });
    });
  });
}

/**
 * Asks the gateway at `url` one operation and answers its HTTP status, its body, and the calls
 * `upstream` received meanwhile (`GET /v1/rates/EUR?note=hi`).
 */
export async function askThrough(url: string, upstream: Upstream, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any; calls: string[] }> {
  const before = upstream.requests.length;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: await response.json(), calls: upstream.requests.slice(before).map((call) => `${call.method} ${call.url}`) };
}
