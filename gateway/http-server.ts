/**
 * Switchboard on a socket: one `node:http` server for everything the gateway answers (GraphQL over
 * HTTP and SSE at /graphql, the graphql-sse protocol at /graphql/stream, webhooks, health, GraphiQL)
 * and, on the same port and path, GraphQL over WebSocket with the graphql-ws protocol. WebSocket
 * operations run through the same envelop pipeline as HTTP ones (schema, error masking, upstream
 * scope), so a subscription answers the same whichever transport a client picks.
 *
 *   const served = await serveGateway(gateway, { port: 4000, host: '0.0.0.0' });
 *   served.url;    // 'http://127.0.0.1:4000/graphql' (ws://127.0.0.1:4000/graphql for graphql-ws)
 *   await served.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { GRAPHQL_PATH, type Gateway } from './server.js';
import { prepareStreamOperation, type PreparedOperation } from './stream-operation.js';

/** The largest WebSocket message a client may send: a subscription is a short document. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface ServedGateway {
  server: Server;
  /** The GraphQL endpoint's URL, on 127.0.0.1 when the server listens on every interface. */
  url: string;
  /** `http://host:port`, where `/webhooks/<source>` is. */
  origin: string;
  close(): Promise<void>;
}

interface Runner {
  run: Extract<PreparedOperation, { run: unknown }>['run'];
}

export async function serveGateway(gateway: Gateway, { port, host }: { port: number; host: string }): Promise<ServedGateway> {
  const server = createServer(gateway.yoga);
  const sockets = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: MAX_MESSAGE_BYTES });
  const graphqlWs = useServer<Record<string, unknown> | undefined, Record<string, unknown>>({
    // The operation was prepared in onSubscribe; graphql-ws hands its args back to run it.
    execute: (args) => (args.rootValue as Runner).run(),
    subscribe: (args) => (args.rootValue as Runner).run(),
    onSubscribe: async (context, _id, payload) => {
      const prepared = await prepareStreamOperation(gateway.yoga, { request: context.extra.request, socket: context.extra.socket, connectionParams: context.connectionParams }, payload);
      if ('errors' in prepared) return prepared.errors;
      return { ...prepared.args, rootValue: { run: prepared.run } satisfies Runner };
    },
  }, sockets);
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
      for (const socket of sockets.clients) socket.terminate();
      await graphqlWs.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
