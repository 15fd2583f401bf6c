/**
 * Switchboard on a socket: one `node:http` server for everything the gateway answers (GraphQL over
 * HTTP and SSE at /graphql, the graphql-sse protocol at /graphql/stream, webhooks, health, GraphiQL)
 * and, on the same port and path, GraphQL over WebSocket with the graphql-ws protocol (graphql-ws.ts).
 * WebSocket operations are replayed through the same pipeline as HTTP ones (replay-operation.ts), so
 * an operation answers the same, and is refused the same, whichever transport a client picks.
 *
 * A shutdown is graceful (`shutdown`): `/readyz` fails, no new connection is taken, subscriptions
 * complete (SSE streams end with their protocol's `complete`, WebSockets close with 1001 Going Away,
 * which graphql-ws clients retry), and requests in flight finish, for up to `timeoutMs`; then what is
 * left is cut.
 *
 *   const served = await serveGateway(gateway, { port: 4000, host: '0.0.0.0' });
 *   served.url;    // 'http://127.0.0.1:4000/graphql' (ws://127.0.0.1:4000/graphql for graphql-ws)
 *   await served.shutdown(25_000);   // { finished: true }: no request was cut
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GRAPHQL_PATH, METRICS_PATH, type Gateway } from './server.js';
import { serveGraphQLWs } from './graphql-ws.js';
import { negotiateEncoding, type Encoding } from './compression.js';
import { sendAnswer } from './send-answer.js';
import { log, requestIdFrom } from '../logging/log.js';

export interface ServedGateway {
  server: Server;
  /** The GraphQL endpoint's URL, on 127.0.0.1 when the server listens on every interface. */
  url: string;
  /** `http://host:port`, where `/webhooks/<source>` is. */
  origin: string;
  /** Where a scraper reads the metrics: on the gateway's port, or on `metricsPort`. */
  metricsUrl: string;
  /** Requests being answered now (a subscription's stream counts until it ends). */
  inFlight(): number;
  /** Drains, then closes: whether every request in flight finished within `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<{ finished: boolean }>;
  /** Closes at once, cutting what is in flight. */
  close(): Promise<void>;
}

/** Asked every few seconds by orchestrators and scrapers: their lines are debug lines. */
const PROBES = new Set(['/healthz', '/readyz', METRICS_PATH]);

export async function serveGateway(gateway: Gateway, { port, host, metricsPort }: { port: number; host: string; metricsPort?: number }): Promise<ServedGateway> {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let draining = false;
  const server = createServer((request, response) => {
    inFlight += 1;
    const started = performance.now();
    const requestId = requestIdFrom(request.headers['x-request-id']);
    // What the request's own lines carry (the upstream side reads it from the client's headers).
    request.headers['x-request-id'] = requestId;
    response.setHeader('x-request-id', requestId);
    response.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
      // The path without its query string, which may carry a GET operation's variables.
      const path = (request.url ?? '/').split('?')[0]!;
      const line = { method: request.method, path, status: response.statusCode, ms: Math.round(performance.now() - started), requestId };
      if (PROBES.has(path)) log.debug(line, 'request');
      else log.info(line, 'request');
    });
    // While draining, each answer tells the client to open its next connection elsewhere.
    if (draining) response.setHeader('connection', 'close');
    let encoding: Encoding = 'identity';
    if (gateway.compression) {
      const negotiated = negotiateEncoding(request.headers['accept-encoding']);
      if ('status' in negotiated) {
        response.writeHead(negotiated.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message: negotiated.message, extensions: { code: negotiated.code } }] }));
        return;
      }
      encoding = negotiated.encoding;
    }
    void Promise.resolve(gateway.yoga.handleNodeRequestAndResponse(request, response, { req: request, res: response }))
      .then((answer) => sendAnswer(answer, request, response, { encoding, compression: gateway.compression, notModified: gateway.notModified }))
      .catch((error: unknown) => {
        log.error({ err: error, requestId }, 'an answer could not be sent');
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
  });
  const graphqlWs = serveGraphQLWs(server, gateway.yoga, { path: GRAPHQL_PATH, ...gateway.sockets });
  const origin = await listen(server, port, host, 'PORT');
  // Metrics on a port of their own: that server answers nothing else.
  const metricsServer = metricsPort === undefined ? undefined : createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`This port serves GET ${METRICS_PATH} only.\n`);
      return;
    }
    void gateway.scrape(request.headers.authorization ?? null).then(({ status, headers, body }) => response.writeHead(status, headers).end(body));
  });
  const metricsOrigin = metricsServer ? await listen(metricsServer, metricsPort!, host, 'METRICS_PORT').catch((error: unknown) => {
    server.close();
    throw error;
  }) : origin;
  const stopMetrics = () => new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
  return {
    server,
    url: `${origin}${GRAPHQL_PATH}`,
    origin,
    metricsUrl: `${metricsOrigin}${METRICS_PATH}`,
    inFlight: () => inFlight,
    async shutdown(timeoutMs) {
      draining = true;
      gateway.drain();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await graphqlWs.dispose();
      const finished = inFlight === 0 || await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        idle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      server.closeAllConnections();
      await closed;
      await stopMetrics();
      return { finished };
    },
    async close() {
      if (draining) {
        // Shut down already: cut only what is left.
        server.closeAllConnections();
        return;
      }
      await graphqlWs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopMetrics();
    },
  };
}

/** Private: `server` listening on `port`, its origin as clients reach it; a port taken says which variable to change. */
async function listen(server: Server, port: number, host: string, variable: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`${variable} ${port} is in use: stop what runs there or set ${variable} to another port.`) : error));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${address.port}`;
}
