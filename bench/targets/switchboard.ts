/**
 * The gateway as the benchmarks run it: production mode, one process, over the upstreams the
 * environment points at. `--unbatched` is baseline (a): the same composition with every stitched
 * item fetched on its own.
 *
 *   node --import tsx bench/targets/switchboard.ts [--unbatched]   # prints {"url": ...}
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../gateway/config.js';
import { createGateway, GRAPHQL_PATH } from '../../gateway/server.js';

const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' });
const gateway = await createGateway(config, { batching: !process.argv.includes('--unbatched') });
const server = createServer(gateway.yoga);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${GRAPHQL_PATH}` }));
});
process.once('SIGTERM', () => process.exit(0));
