/**
 * A TCP proxy in front of a server (the gateway, Redis) that fails the way networks and restarts do:
 * `down` resets every new connection at once (the server is unreachable), `cutConnections` drops
 * the open ones; `dropReplies(n)`
 * lets the next `n` requests through to the gateway and cuts the connection as its answer comes back
 * (the gateway did the work, the sender never learns it); `up` passes everything.
 *
 *   const proxy = await startFlakyProxy(switchboard.origin);
 *   proxy.mode = 'down';
 *   proxy.url;   // 'http://127.0.0.1:<port>'
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FlakyProxy {
  url: string;
  mode: 'up' | 'down';
  /** Cuts the next `count` answers on their way back. */
  dropReplies(count: number): void;
  /** Cuts every open connection (with `mode = 'down'`, the target has gone away). */
  cutConnections(): void;
  close(): Promise<void>;
}

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const { hostname, port } = new URL(target.replace(/^redis/, 'http'));
  const sockets = new Set<Socket>();
  let dropping = 0;
  const proxy: FlakyProxy = {
    url: '',
    mode: 'up',
    dropReplies(count) {
      dropping = count;
    },
    cutConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (proxy.mode === 'down') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk) => {
      if (dropping > 0) {
        dropping--;
        upstream.destroy();
        client.resetAndDestroy();
        return;
      }
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
