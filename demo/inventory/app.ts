/**
 * The demo warehouse ERP (`sources/inventory/inventory.wsdl`): SOAP 1.1 document/literal served by
 * node-soap at `/inventory`, behind a WS-Security UsernameToken, with the quirks of such systems:
 * `SOAPAction` required, Faults for a batch too large and for SKUs locked for a stock audit.
 *
 *   const inventory = await startInventoryService({ port: 0 });
 *   const client = await soap.createClientAsync(INVENTORY_WSDL_PATH, { endpoint: `${inventory.url}${INVENTORY_PATH}` });
 *   client.setSecurity(new soap.WSSecurity('switchboard', 'demo-inventory-password'));
 *   const [result] = await client.GetStockLevelsAsync({ Sku: ['SKU-0001', 'SKU-0002'] });
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import * as soap from 'soap';
import { projectPath } from '../../gateway/config/project.js';
import { createWorld, type World } from '../world/seed.js';
import { DEMO_CREDENTIALS } from '../world/config.js';
import { pathOf, startHttpService, type ServiceHandle, type ServingOptions } from '../world/http-service.js';
import type { RequestLogEntry } from '../world/request-log.js';
import { soapFaultEnvelope } from './soap-faults.js';
import { createReservations, stockChangedEvent } from './reservations.js';
import { createWebhookSender } from '../world/webhook-sender.js';
import { createGetStockLevels, requestedSkus } from './stock-levels.js';
import { verifyUsernameToken } from './ws-security.js';

export const INVENTORY_WSDL_PATH = projectPath('sources', 'inventory', 'inventory.wsdl');
/** The SOAP endpoint's path under the service's base URL. */
export const INVENTORY_PATH = '/inventory';

/** The operation each `SOAPAction` names, as pinned in inventory.wsdl. */
const OPERATIONS = new Map(['GetStockLevels', 'ReserveStock', 'ReleaseReservation', 'CommitReservation']
  .map((operation) => [`http://switchboard.example/inventory/${operation}`, operation]));

export interface InventoryServiceOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Added delay and replay, for benchmarks (see ServingOptions). */
  serving?: ServingOptions;
  /** A world shared with the other demo upstreams; a new `createWorld()` by default. */
  world?: World;
  username?: string;
  password?: string;
  /** What the ERP signs its webhooks with. */
  webhookSecret?: string;
  /** Where stock changes are pushed (the gateway's `/webhooks/inventory`); they wait until it is set (`PUT /_admin/webhooks`). */
  webhookUrl?: string;
}

export async function startInventoryService(options: InventoryServiceOptions = {}): Promise<ServiceHandle> {
  const world = options.world ?? createWorld();
  const credentials = {
    username: options.username ?? DEMO_CREDENTIALS.inventoryUsername,
    password: options.password ?? DEMO_CREDENTIALS.inventoryPassword,
  };
  // node-soap hands `authenticate` the parsed envelope and the request; the log entry is found by the request.
  const entries = new WeakMap<IncomingMessage, RequestLogEntry>();
  const server = createServer();
  const webhooks = createWebhookSender({
    secret: options.webhookSecret ?? DEMO_CREDENTIALS.inventoryWebhookSecret,
    contentType: 'application/xml; charset=utf-8',
    target: options.webhookUrl,
    retry: options.serving?.webhookRetry,
  });
  const reservations = createReservations(world, (record) => webhooks.send(stockChangedEvent(record)));
  const soapListener = await attachSoap(server, {
    InventoryService: { InventoryPort: { GetStockLevels: createGetStockLevels(world), ...reservations.operations } },
  }, (security, req, envelope) => {
    const entry = entries.get(req);
    // Keys first, so that calls refused for their credentials are logged with what they asked for.
    if (entry) entry.keys = requestKeys(envelope?.Body);
    verifyUsernameToken(security, credentials);
  });
  return startHttpService({
    name: 'inventory',
    port: options.port,
    serving: options.serving,
    server,
    dialect: 'soap',
    operationOf: (req) => OPERATIONS.get(soapActionOf(req) ?? ''),
    state: reservations.recorded,
    webhooks,
    handler: (req, res, entry) => {
      if (pathOf(req).replace(/\/$/, '') !== INVENTORY_PATH) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found; the SOAP endpoint is POST ${INVENTORY_PATH}.`);
        return;
      }
      const refusal = isWsdlRequest(req) ? undefined : transportRefusal(req);
      if (refusal) {
        res.writeHead(refusal.status, { 'content-type': 'text/xml; charset=utf-8', ...refusal.headers });
        res.end(soapFaultEnvelope('soap:Client', refusal.message));
        return;
      }
      entry.operation = OPERATIONS.get(soapActionOf(req) ?? '') ?? '';
      entries.set(req, entry);
      soapListener(req, res);
    },
  });
}

/** Private: what a request asks about, for the log: the SKUs of a stock read, or the reservation's id. */
function requestKeys(body: Record<string, unknown> | undefined): string[] {
  if (body?.GetStockLevelsRequest) return requestedSkus(body.GetStockLevelsRequest);
  const request = Object.values(body ?? {})[0] as { ReservationId?: unknown } | undefined;
  return typeof request?.ReservationId === 'string' ? [request.ReservationId] : [];
}

type Authenticate = (security: unknown, req: IncomingMessage, envelope: { Body?: Record<string, unknown> } | undefined) => void;

/**
 * Private: lets node-soap parse the WSDL, then returns its request listener, taken off the server.
 * `soap.listen` makes itself the server's only 'request' listener (passing other paths on to the
 * listeners it found); taken off, it runs after the admin routes, the log and the SOAPAction check.
 */
async function attachSoap(server: Server, services: soap.IServices, authenticate: Authenticate): Promise<RequestListener> {
  const xml = await readFile(INVENTORY_WSDL_PATH, 'utf8');
  const soapServer = await new Promise<soap.Server>((resolve, reject) => {
    soap.listen(server, {
      path: INVENTORY_PATH,
      services,
      xml,
      suppressStack: true,
      callback: (error: unknown, ready: soap.Server) => (error ? reject(error) : resolve(ready)),
    });
  });
  // Throwing is the one way to answer with our own SOAP 1.1 Fault: node-soap turns `false` into a
  // SOAP 1.2-style fault with HTTP 401, and ignores a rejected promise.
  soapServer.authenticate = (security, _processResult, req, envelope) => {
    authenticate(security, req as IncomingMessage, envelope);
    return true;
  };
  const listener = server.listeners('request')[0] as RequestListener;
  server.removeAllListeners('request');
  return listener;
}

/** Private: `GET /inventory?wsdl`, which node-soap answers with the WSDL. */
function isWsdlRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' && new URL(req.url ?? '/', 'http://localhost').search.toLowerCase().startsWith('?wsdl');
}

/** Private: why a request breaks SOAP 1.1 over HTTP (POST, text/xml, a known SOAPAction), if it does. */
function transportRefusal(req: IncomingMessage): { status: number; message: string; headers?: Record<string, string> } | undefined {
  if (req.method !== 'POST') {
    return { status: 405, message: `SOAP requests must use POST, but got: ${req.method}.`, headers: { allow: 'POST' } };
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!/^text\/xml\s*(;|$)/i.test(contentType)) {
    return { status: 415, message: `The Content-Type must be text/xml (SOAP 1.1), but got: ${JSON.stringify(contentType)}.` };
  }
  const action = soapActionOf(req);
  if (action === undefined || !OPERATIONS.has(action)) {
    const expected = [...OPERATIONS.keys()].map((known) => `"${known}"`).join(', ');
    const got = action === undefined ? 'none' : JSON.stringify(action);
    return { status: 500, message: `The SOAPAction header must be one of ${expected}, but got: ${got}.` };
  }
  return undefined;
}

/** Private: the SOAPAction header without its optional quotes; undefined when missing or empty. */
function soapActionOf(req: IncomingMessage): string | undefined {
  const raw = req.headers.soapaction;
  const action = (Array.isArray(raw) ? raw[0] : raw)?.trim().replace(/^"(.*)"$/, '$1');
  return action ? action : undefined;
}
