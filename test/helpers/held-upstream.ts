/**
 * An upstream that answers only when the test says so: an HTTP proxy on port 0 in front of a real
 * service that holds every request it receives until `release()`, then passes it on and sends the
 * service's answer back as it came. The test knows a request reached it (`arrived`), and can look at
 * what the gateway did in the meantime.
 *
 *   const held = await startHeldUpstream(process.env.REVIEWS_URL!);
 *   const replica = await startReplica({ ...process.env, REVIEWS_URL: held.url });
 *   … await held.arrived();   // the gateway asked; nothing has answered it
 *   held.release();           // it answers now, and every later request passes at once
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldUpstream {
  url: string;
  /** Resolves once a request has reached the upstream (and is being held). */
  arrived(): Promise<void>;
  /** How many requests reached it. */
  received(): number;
  /** Lets every held request through, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startHeldUpstream(target: string): Promise<HeldUpstream> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrive!: () => void;
  const arrival = new Promise<void>((resolve) => (arrive = resolve));
  let received = 0;
  const server = createServer((request, response) => {
    received += 1;
    arrive();
    void (async () => {
      const body = await bodyOf(request);
      await released;
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length').map(([name, value]) => [name, String(value)]));
      const answer = await fetch(`${target}${request.url}`, { method: request.method!, headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) });
      const bytes = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' }).end(bytes);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived: () => arrival,
    received: () => received,
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Private: a request's whole body. */
async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
