/**
 * Starts a demo upstream on `node:http`, on 127.0.0.1, with what every demo upstream shares: the
 * request log, its admin routes (`GET /_admin/requests`, `POST /_admin/reset`; not logged, no
 * credentials) and a `close()` that does not wait for idle keep-alive connections.
 *
 *   const service = await startHttpService({ name: 'catalog', port: 0, handler });
 *   service.url; // 'http://127.0.0.1:53117'
 *   await service.close();
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestLog, type RequestLogEntry } from './request-log.js';

export interface ServiceHandle {
  name: string;
  /** `http://127.0.0.1:<port>`, the service's base URL. */
  url: string;
  port: number;
  log: RequestLog;
  close(): Promise<void>;
}

/**
 * Answers one request. `entry` starts as `{ method, path, operation: '', keys: [], status: 0 }`; the
 * handler fills in what it learns, and the entry is logged with the response's status once it is sent.
 */
export type ServiceHandler = (req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry) => void | Promise<void>;

export interface HttpServiceOptions {
  name: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  handler: ServiceHandler;
  /** A server that already has something attached to it (node-soap); a new one by default. */
  server?: Server;
  serving?: ServingOptions;
}

/**
 * How a demo upstream serves beyond its protocol. Tests and `npm start` use the defaults; the
 * benchmarks (bench/) set them, so that every target is measured against the same upstream delay and
 * so that the upstreams' own CPU does not cap what is measured.
 */
export interface ServingOptions {
  /** A fixed delay before every answer, in milliseconds. 0 by default. */
  latencyMs?: number;
  /**
   * Answers a request it already answered with 200 by replaying that answer, without running the
   * handler again. Requests are the same when their method, URL, credentials and body are, leaving
   * out the per-message WS-Security nonce and timestamps. Off by default.
   */
  replay?: boolean;
  /** Counts requests instead of keeping every entry, for long benchmark runs. Off by default. */
  countOnly?: boolean;
}

const ADMIN_PREFIX = '/_admin/';

export async function startHttpService(options: HttpServiceOptions): Promise<ServiceHandle> {
  const { name, handler } = options;
  const server = options.server ?? createServer();
  const { latencyMs = 0, replay = false, countOnly = false } = options.serving ?? {};
  const log = new RequestLog({ countOnly });
  const serve = replay ? withReplay(handler) : handler;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    if (path.startsWith(ADMIN_PREFIX)) answerAdmin(req, res, path, log);
    else if (latencyMs > 0) setTimeout(() => runLogged(name, serve, req, res, log), latencyMs);
    else runLogged(name, serve, req, res, log);
  });
  const port = await listen(server, name, options.port ?? 0);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    close: () => closeServer(server),
  };
}

/** The path of a request, without its query string. */
export function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}

/** Sends `body` as JSON (no body for 204). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

/** Private: runs the handler and logs its request once the response is sent. */
function runLogged(name: string, handler: ServiceHandler, req: IncomingMessage, res: ServerResponse, log: RequestLog): void {
  const entry: RequestLogEntry = { method: req.method ?? 'GET', path: pathOf(req), operation: '', keys: [], status: 0 };
  res.once('finish', () => log.record({ ...entry, status: res.statusCode }));
  Promise.resolve()
    .then(() => handler(req, res, entry))
    .catch((error: unknown) => {
      console.error(`${name}: unexpected error on ${entry.method} ${entry.path}:`, error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Unexpected error; see the server log.' });
      else res.destroy();
    });
}

interface Recording {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  entry: RequestLogEntry;
}

/** Private: `ServingOptions.replay`: the handler runs once per distinct request; 200s are replayed. */
function withReplay(handler: ServiceHandler): ServiceHandler {
  const recordings = new Map<string, Recording>();
  return async (req, res, entry) => {
    const body = await readBody(req);
    const key = replayKey(req, body);
    const recording = recordings.get(key);
    if (recording) {
      Object.assign(entry, recording.entry);
      res.writeHead(recording.status, recording.headers).end(recording.body);
      return;
    }
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown) => {
      if (chunk != null && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string | Uint8Array));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as typeof res.end;
    res.once('finish', () => {
      if (res.statusCode === 200) {
        recordings.set(key, { status: 200, headers: res.getHeaders(), body: Buffer.concat(chunks), entry: { ...entry } });
      }
    });
    // node-soap, yoga (whatwg-node) and json-api's readBody take a body already read from `req.body`.
    Object.assign(req, { body });
    await handler(req, res, entry);
  };
}

/** Private: what makes two requests the same for `withReplay`. */
function replayKey(req: IncomingMessage, body: Buffer): string {
  const credentials = `${req.headers['x-api-key'] ?? ''}|${req.headers.authorization ?? ''}|${req.headers.soapaction ?? ''}`;
  // A WS-Security header is new in every message (nonce, timestamps); the password stays in the key.
  const text = body.toString('utf8').replace(/<(\w+:)?(Timestamp|Nonce|Created)\b[\s\S]*?<\/(\w+:)?\2>/g, '');
  return `${req.method} ${req.url} ${credentials}\n${text}`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk)).once('end', () => resolve(Buffer.concat(chunks))).once('error', reject);
  });
}

/** Private: the admin routes, the same on every demo upstream. */
function answerAdmin(req: IncomingMessage, res: ServerResponse, path: string, log: RequestLog): void {
  if (req.method === 'GET' && path === '/_admin/requests') return sendJson(res, 200, log);
  if (req.method === 'POST' && path === '/_admin/reset') {
    log.reset();
    return sendJson(res, 204, undefined);
  }
  sendJson(res, 404, { error: 'not_found', message: `No admin route ${req.method} ${path}; try GET /_admin/requests or POST /_admin/reset.` });
}

/** Private: listens on 127.0.0.1 and resolves with the port, or rejects with a message naming the service. */
function listen(server: Server, name: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`${name} could not listen on 127.0.0.1:${port}: ${error.message}`));
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Private: stops accepting, then drops keep-alive connections, which `server.close()` alone waits for. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
