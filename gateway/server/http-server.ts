/**
 * Switchboard on a socket: one `node:http` server for everything the gateway answers (GraphQL over
 * HTTP and SSE at /graphql, the graphql-sse protocol at /graphql/stream, webhooks, health, GraphiQL)
 * and, on the same port and path, GraphQL over WebSocket with the graphql-ws protocol (graphql-ws.ts).
 * WebSocket operations are replayed through the same pipeline as HTTP ones (replay-operation.ts), so
 * an operation answers the same, and is refused the same, whichever transport a client picks.
 *
 *   const served = await serveGateway(gateway, { port: 4000, host: '0.0.0.0' });
 *   served.url;    // 'http://127.0.0.1:4000/graphql' (ws://127.0.0.1:4000/graphql for graphql-ws)
 *   await served.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GRAPHQL_PATH, type Gateway } from './server.js';
import { serveGraphQLWs } from './graphql-ws.js';

export interface ServedGateway {
  server: Server;
  /** The GraphQL endpoint's URL, on 127.0.0.1 when the server listens on every interface. */
  url: string;
  /** `http://host:port`, where `/webhooks/<source>` is. */
  origin: string;
  close(): Promise<void>;
}

export async function serveGateway(gateway: Gateway, { port, host }: { port: number; host: string }): Promise<ServedGateway> {
  const server = createServer(gateway.yoga);
  const graphqlWs = serveGraphQLWs(server, gateway.yoga, { path: GRAPHQL_PATH, ...gateway.sockets });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`PORT ${port} is in use: stop what runs there or set PORT to another port.`) : error));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${address.port}`;
  return {
    server,
    url: `${origin}${GRAPHQL_PATH}`,
    origin,
    async close() {
      await graphqlWs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
