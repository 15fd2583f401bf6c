/**
 * What the benchmark measures: Switchboard and its baselines, each a process started on the server
 * core over the same upstreams. A target answers a workload with `queryFor(workload)` (undefined when
 * it cannot), and its data must equal Switchboard's before it is measured.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureGatewayBundled, GATEWAY_BUNDLE, gatewayNodeFlags } from '../gateway/compose/build-mesh.js';
import { freePort, ROOT, startPinned, type Pinned } from './processes.js';
import { W1, W2, W3, W3_PRODUCT_ID, type Workload } from './workloads.js';

export interface Target {
  name: string;
  title: string;
  start(env: Record<string, string>, cpu: number, nodeOptions: string[]): Promise<Pinned<{ url: string }>>;
  queryFor(workload: Workload): string | undefined;
  /** Reshapes the target's data into Switchboard's, where its schema names things differently. */
  normalize?(data: unknown): unknown;
}

const sameQuery = (workload: Workload) => workload.query;

export const TARGETS: readonly Target[] = [
  {
    name: 'switchboard',
    title: 'Switchboard, as `npm start` runs it (.mesh/start.mjs, production mode)',
    async start(env, cpu, nodeOptions) {
      await ensureGatewayBundled();
      const port = await freePort();
      return startPinned(process.execPath, [...gatewayNodeFlags(), ...nodeOptions, GATEWAY_BUNDLE], {
        cpu,
        env: { ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
        readyUrl: `http://127.0.0.1:${port}/graphql`,
      });
    },
    queryFor: sameQuery,
  },
  {
    name: 'unbatched',
    title: '(a) the same composition, unbatched',
    start: (env, cpu, nodeOptions) => startPinned('bench/targets/unbatched.ts', [], { cpu, env, nodeOptions }),
    // At 1,000 products a request makes some 2,200 upstream calls and outlasts the load generator's
    // 30 s timeout under 50 connections: measured up to 100 products only.
    queryFor: (workload) => (workload.name === 'W1@1000' ? undefined : workload.query),
  },
  {
    name: 'aggregator',
    title: '(b) hand-written aggregator',
    start: (env, cpu, nodeOptions) => startPinned('bench/targets/aggregator.ts', [], { cpu, env, nodeOptions }),
    queryFor: sameQuery,
  },
  {
    name: 'hive',
    title: '(c) Hive Gateway over a Mesh v1 composition (bench/hive)',
    async start(env, cpu) {
      installHive();
      const port = await freePort();
      return startPinned('bash', ['bench/hive/run.sh'], {
        cpu,
        env: { ...env, GATEWAY_PORT: String(port) },
        readyUrl: `http://127.0.0.1:${port}/graphql`,
        timeoutMs: 120_000,
      });
    },
    queryFor: hiveQuery,
  },
];

/**
 * Private: the workloads in the Hive composition's names (the catalog's own `listProducts` and
 * `getProduct`, aliased to Switchboard's names so that the answers compare as they are).
 */
function hiveQuery(workload: Workload): string | undefined {
  if (workload === W2) return '{ products: listProducts(first: 100) { id name price } }';
  if (workload === W3) {
    return W3.query.replace(`product(id: "${W3_PRODUCT_ID}")`, `product: getProduct(id: "${W3_PRODUCT_ID}")`);
  }
  const size = /^\{ products\(first: (\d+)\)/.exec(workload.query)?.[1];
  if (size && workload.query === W1.query.replace('first: 100', `first: ${size}`)) {
    return workload.query.replace(`products(first: ${size})`, `products: listProducts(first: ${size})`);
  }
  return undefined;
}

/** Private: Hive Gateway lives in a package of its own (bench/hive), installed on first use. */
function installHive(): void {
  if (existsSync(`${ROOT}bench/hive/node_modules/@graphql-hive/gateway`)) return;
  console.log('Installing Hive Gateway for the benchmark (npm ci in bench/hive) ...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: `${ROOT}bench/hive`, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci in bench/hive failed; see its output above.');
}
