/**
 * Another replica of the test switchboard, as a load balancer would have beside it: the same
 * configuration (the environment the first one was started with, REDIS_URL included), its own
 * process state, on a port of its own. Only one world per test file (see switchboard.ts): the
 * replica shares the first one's.
 *
 *   const a = await startTestSwitchboard({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
 *   const b = await startReplica();
 *   await fetch(b.served.url, …);
 *   await b.close();
 */
import { graph } from '#graph';
import { loadConfig } from '../../gateway/config/config.js';
import { serveGateway, type ServedGateway } from '../../gateway/server/http-server.js';
import { createGateway, type Gateway } from '../../gateway/server/server.js';

export interface Replica {
  gateway: Gateway;
  served: ServedGateway;
  close(): Promise<void>;
}

export async function startReplica(env: NodeJS.ProcessEnv = process.env): Promise<Replica> {
  const gateway = await createGateway(loadConfig(env), { graph });
  const served = await serveGateway(gateway, { port: 0, host: '127.0.0.1' });
  return {
    gateway,
    served,
    async close() {
      await served.close();
      await gateway.close();
    },
  };
}
