/**
 * Baseline (a): the gateway in production mode over the upstreams the environment points at, with
 * every stitched item fetched on its own (GatewayOptions.batching off). Switchboard itself is
 * measured as `npm start` runs it (bench/targets.ts).
 *
 *   node --import tsx bench/targets/unbatched.ts   # prints {"url": ...}
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../gateway/config/config.js';
import { createGateway, GRAPHQL_PATH } from '../../gateway/server/server.js';
import { graph } from '#graph';

const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' });
const gateway = await createGateway(config, { graph, batching: false });
const server = createServer(gateway.yoga);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${GRAPHQL_PATH}` }));
});
process.once('SIGTERM', () => process.exit(0));
