/**
 * Starts a demo upstream on `node:http`, on 127.0.0.1, with what every demo upstream shares: the
 * request log, fault injection (faults.ts), its admin routes (`GET /_admin/requests`, `GET /_admin/state`,
 * `POST /_admin/reset`, `GET|POST|DELETE /_admin/faults` and, for a service that sends webhooks,
 * `GET|PUT /_admin/webhooks`; not logged, no credentials) and a `close()` that does not wait for idle
 * keep-alive connections.
 *
 *   const service = await startHttpService({ name: 'catalog', port: 0, handler });
 *   service.url; // 'http://127.0.0.1:53117'
 *   await service.close();
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { soapFaultEnvelope } from '../inventory/soap-faults.js';
import { createFaultBook, errorBody, FaultError, malformedBody, type Dialect, type Fault, type FaultBook, type FaultBookOptions } from './faults.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import type { WebhookRetry, WebhookSender } from './webhook-sender.js';

export interface ServiceHandle {
  name: string;
  /** `http://127.0.0.1:<port>`, the service's base URL. */
  url: string;
  port: number;
  log: RequestLog;
  /** The service's webhook deliveries, when it sends any (payments, inventory). */
  webhooks?: WebhookSender;
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
  /** The format of the service's bodies, for the faults it can be told to answer with. */
  dialect: Dialect;
  /** The operation a request asks for, read before the handler runs (lets faults target operations). */
  operationOf?: FaultBookOptions['operationOf'];
  /** One-off fault actions (`expire-tokens`). */
  actions?: FaultBookOptions['actions'];
  /** What the service changed through its API (orders, payments, reservations), as `GET /_admin/state` shows it. */
  state?: () => unknown;
  /** The service's webhook sender, if it sends webhooks; closed with the service. */
  webhooks?: WebhookSender;
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
  /**
   * The request quota of the services that have one (catalog): calls per second and burst, as the
   * provider enforces them with 429. Each service documents its default; `false` lifts it (benchmarks).
   */
  quota?: false | { perSecond: number; burst: number };
  /** How the services that send webhooks retry a delivery that was not acknowledged (webhook-sender.ts). */
  webhookRetry?: Partial<WebhookRetry>;
}

const ADMIN_PREFIX = '/_admin/';

export async function startHttpService(options: HttpServiceOptions): Promise<ServiceHandle> {
  const { name, handler } = options;
  const server = options.server ?? createServer();
  // A provider behind a load balancer keeps idle connections for a minute. Node's 5 s default let a
  // client that reused a connection just as the service dropped it read ECONNRESET (a test's admin
  // call after a busy start, once in CI).
  server.keepAliveTimeout = 65_000;
  const { latencyMs = 0, replay = false, countOnly = false } = options.serving ?? {};
  const log = new RequestLog({ countOnly });
  const faults = createFaultBook({ dialect: options.dialect, operationOf: options.operationOf, actions: options.actions });
  const serve = replay ? withReplay(handler) : handler;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    if (path.startsWith(ADMIN_PREFIX)) {
      answerAdmin(req, res, path, { log, faults, state: options.state, webhooks: options.webhooks });
      return;
    }
    const run = () => runLogged({ name, handler: serve, log, dialect: options.dialect, operationOf: options.operationOf }, req, res, faults.pick(req));
    if (latencyMs > 0) setTimeout(run, latencyMs);
    else run();
  });
  const port = await listen(server, name, options.port ?? 0);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    webhooks: options.webhooks,
    close: () => {
      options.webhooks?.close();
      return closeServer(server);
    },
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

interface Served {
  name: string;
  handler: ServiceHandler;
  log: RequestLog;
  dialect: Dialect;
  operationOf?: FaultBookOptions['operationOf'];
}

/**
 * Private: runs the handler, or the fault that hits the request, and logs the request once it is
 * answered or its connection is gone (status 0 when no answer was sent).
 */
function runLogged(served: Served, req: IncomingMessage, res: ServerResponse, fault: Fault | undefined): void {
  const entry: RequestLogEntry = {
    method: req.method ?? 'GET',
    path: pathOf(req),
    operation: served.operationOf?.(req) ?? '',
    keys: [],
    status: 0,
    headers: { ...req.headers } as Record<string, string>,
    ...(fault ? { fault: fault.kind } : {}),
  };
  let logged = false;
  const record = () => {
    if (logged) return;
    logged = true;
    served.log.record({ ...entry, status: res.headersSent ? res.statusCode : 0 });
  };
  res.once('finish', record);
  res.once('close', record);
  const handle = () => served.handler(req, res, entry);
  Promise.resolve()
    .then(() => (fault ? serveFault(fault, served.dialect, handle, req, res) : handle()))
    .catch((error: unknown) => {
      console.error(`${served.name}: unexpected error on ${entry.method} ${entry.path}:`, error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Unexpected error; see the server log.' });
      else res.destroy();
    });
}

/** Private: what a fault does to one request (see faults.ts for the kinds). */
async function serveFault(fault: Fault, dialect: Dialect, handle: () => void | Promise<void>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const after = fault.phase === 'after';
  const retryAfter: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
  const send = (status: number, { contentType, body }: { contentType: string; body: string }, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': contentType, ...headers }).end(body);
  };
  switch (fault.kind) {
    case 'latency': {
      if (!after) {
        await sleep(fault.ms!);
        return handle();
      }
      const answer = await captureAnswer(res, handle);
      await sleep(fault.ms!);
      return sendAnswer(res, answer);
    }
    case 'error':
      return send(fault.status ?? 500, errorBody(dialect, fault.status ?? 500), retryAfter);
    case 'rate-limit':
      return send(429, errorBody(dialect, 429), { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    case 'malformed':
      return send(200, malformedBody(dialect));
    case 'soap-fault':
      return send(500, { contentType: 'text/xml; charset=utf-8', body: soapFaultEnvelope('soap:Server', 'The service is temporarily unable to process the request.') });
    case 'reset': {
      const { contentType, body } = malformedBody(dialect);
      const answer = after ? await captureAnswer(res, handle) : { status: 200, headers: { 'content-type': contentType }, body: Buffer.from(body) };
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => req.socket.destroy());
      return;
    }
    case 'down':
      if (after) await captureAnswer(res, handle);
      req.socket.destroy();
      return;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * Private: runs a handler with its answer held back instead of sent, whatever way it writes it
 * (node-soap, yoga and the JSON routes each do it their own way), and resolves with that answer.
 */
function captureAnswer(res: ServerResponse, handle: () => void | Promise<void>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let headers: OutgoingHttpHeaders = {};
    const keep = (chunk: unknown) => {
      if (chunk != null && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string | Uint8Array));
    };
    const held = res as unknown as Record<string, unknown>;
    held.writeHead = (code: number, ...rest: unknown[]) => {
      status = code;
      const given = rest.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg));
      if (given) headers = { ...headers, ...(given as OutgoingHttpHeaders) };
      return res;
    };
    held.write = (chunk: unknown) => (keep(chunk), true);
    held.end = (chunk?: unknown) => {
      keep(chunk);
      for (const method of ['writeHead', 'write', 'end']) delete held[method];
      resolve({ status: status ?? res.statusCode, headers: { ...res.getHeaders(), ...headers }, body: Buffer.concat(chunks) });
      return res;
    };
    Promise.resolve().then(handle).catch(reject);
  });
}

/** Private: sends an answer that `captureAnswer` held back. */
function sendAnswer(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

/** Private: `ServingOptions.replay`: the handler runs once per distinct request; 200s are replayed. */
function withReplay(handler: ServiceHandler): ServiceHandler {
  const recordings = new Map<string, { answer: Answer; entry: RequestLogEntry }>();
  return async (req, res, entry) => {
    const body = await readBody(req);
    const key = replayKey(req, body);
    const recording = recordings.get(key);
    if (recording) {
      Object.assign(entry, recording.entry);
      sendAnswer(res, recording.answer);
      return;
    }
    // node-soap, yoga (whatwg-node) and json-api's readBody take a body already read from `req.body`.
    Object.assign(req, { body });
    const answer = await captureAnswer(res, () => handler(req, res, entry));
    if (answer.status === 200) recordings.set(key, { answer, entry: { ...entry } });
    sendAnswer(res, answer);
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
function answerAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  { log, faults, state, webhooks }: { log: RequestLog; faults: FaultBook; state?: () => unknown; webhooks?: WebhookSender },
): void {
  if (req.method === 'GET' && path === '/_admin/requests') return sendJson(res, 200, log);
  if (req.method === 'GET' && path === '/_admin/state' && state) return sendJson(res, 200, state());
  if (req.method === 'POST' && path === '/_admin/reset') {
    log.reset();
    return sendJson(res, 204, undefined);
  }
  if (path === '/_admin/webhooks' && webhooks) {
    if (req.method === 'GET') return sendJson(res, 200, webhooks.report());
    if (req.method === 'PUT') {
      readBody(req).then((body) => {
        const url = (() => {
          try {
            return new URL((JSON.parse(body.toString('utf8')) as { url?: string } | null)?.url ?? '');
          } catch {
            return undefined;
          }
        })();
        if (!url || !/^https?:$/.test(url.protocol)) {
          return sendJson(res, 400, { error: 'bad_target', message: 'The body must be JSON {"url": "http(s)://…"}: where to deliver webhooks.' });
        }
        webhooks.point(url.href);
        sendJson(res, 200, { target: url.href });
      }, () => res.destroy());
      return;
    }
  }
  if (path === '/_admin/faults') {
    if (req.method === 'GET') return sendJson(res, 200, { faults: faults.list() });
    if (req.method === 'DELETE') {
      faults.clear();
      return sendJson(res, 204, undefined);
    }
    if (req.method === 'POST') {
      readBody(req).then((body) => {
        try {
          sendJson(res, 201, { added: faults.add(JSON.parse(body.toString('utf8') || 'null')) });
        } catch (error) {
          if (!(error instanceof FaultError || error instanceof SyntaxError)) throw error;
          sendJson(res, 400, { error: 'bad_fault', message: error instanceof SyntaxError ? 'The body must be JSON: one fault or a list of faults.' : error.message });
        }
      }, () => res.destroy());
      return;
    }
  }
  sendJson(res, 404, {
    error: 'not_found',
    message: `No admin route ${req.method} ${path}; try GET /_admin/requests, GET /_admin/state, POST /_admin/reset or GET, POST, DELETE /_admin/faults${webhooks ? ' or GET, PUT /_admin/webhooks' : ''}.`,
  });
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
