/**
 * What the benchmark measures: Switchboard and its baselines, each a process started on the server
 * core over the same upstreams. A target is measured on the workloads it `serves`, asked each request
 * as `rename` rewrites it (in its schema's names), and its data must equal Switchboard's first.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { ensureGatewayBundled, GATEWAY_BUNDLE, gatewayNodeFlags } from '../gateway/compose/build-mesh.js';
import { freePort, ROOT, startPinned, type Pinned } from './processes.js';
import type { ClientRequest, Workload } from './workloads.js';

export interface Target {
  name: string;
  title: string;
  start(env: Record<string, string>, cpu: number, nodeOptions: string[]): Promise<Pinned<{ url: string }>>;
  serves(workload: Workload): boolean;
  /** The request in this target's names, where its schema names things differently. */
  rename?(request: ClientRequest): ClientRequest;
  /** Reshapes the target's data into Switchboard's, where its schema names things differently. */
  normalize?(data: unknown): unknown;
}

const every = () => true;

export const TARGETS: readonly Target[] = [
  {
    name: 'switchboard',
    title: 'Switchboard, as `npm start` runs it (.mesh/start.mjs, production mode)',
    async start(env, cpu, nodeOptions) {
      await ensureGatewayBundled();
      return startBundle(GATEWAY_BUNDLE, env, cpu, nodeOptions);
    },
    serves: every,
  },
  {
    name: 'before',
    title: 'Switchboard as built before a change (a copy of .mesh/ in the project, named by BENCH_BEFORE), to measure the change as a ratio in one run',
    async start(env, cpu, nodeOptions) {
      const before = process.env.BENCH_BEFORE;
      if (!before || !existsSync(`${before}/start.mjs`)) throw new Error('The target `before` runs the bundle in a copy of .mesh/: cp -r .mesh .bench-before (inside the project, where its packages resolve), then BENCH_BEFORE=.bench-before.');
      return startBundle(`${before}/start.mjs`, env, cpu, nodeOptions);
    },
    serves: every,
  },
  {
    name: 'cached',
    title: 'Switchboard with its entity and response caches on, in memory, as `npm start` runs it by default (kept for the freshness the manifests declare, dropped by the providers\' webhooks): reported beside the uncached figures, never in the ratios to the baselines',
    async start(env, cpu, nodeOptions) {
      await ensureGatewayBundled();
      return startBundle(GATEWAY_BUNDLE, { ...env, ENTITY_CACHE: 'memory', RESPONSE_CACHE: 'memory' }, cpu, nodeOptions);
    },
    serves: every,
  },
  {
    name: 'cached-redis',
    title: 'Switchboard as replicas run it (REDIS_URL: event log, rate limits, upstream budgets and both caches in Redis at BENCH_REDIS_URL, by default 127.0.0.1:6379), one replica: the cost of sharing, against `cached`',
    async start(env, cpu, nodeOptions) {
      await ensureGatewayBundled();
      const redis = { REDIS_URL: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `switchboard-bench:${process.pid}:${Date.now()}:`, ENTITY_CACHE: 'redis', RESPONSE_CACHE: 'redis' };
      return startBundle(GATEWAY_BUNDLE, { ...env, ...redis }, cpu, nodeOptions);
    },
    serves: every,
  },
  {
    name: 'traced',
    title: 'Switchboard with OpenTelemetry tracing on, every trace sampled, exporting OTLP/HTTP to a receiver that reads and drops it (the cost of tracing, against `switchboard`)',
    async start(env, cpu, nodeOptions) {
      await ensureGatewayBundled();
      const sink = await startOtlpSink();
      const started = await startBundle(GATEWAY_BUNDLE, { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.origin, OTEL_BSP_MAX_QUEUE_SIZE: '65536' }, cpu, nodeOptions)
        .catch(async (error: unknown) => {
          await sink.close();
          throw error;
        });
      return { ...started, stop: () => started.stop().finally(() => sink.close()) };
    },
    serves: every,
  },
  {
    name: 'unbatched',
    title: '(a) the same composition, unbatched',
    start: (env, cpu, nodeOptions) => startPinned('bench/targets/unbatched.ts', [], { cpu, env: { ...env, ENTITY_CACHE: 'off', RESPONSE_CACHE: 'off' }, nodeOptions }),
    // At 1,000 products a request makes some 2,200 upstream calls and outlasts the load generator's
    // 30 s timeout under 50 connections: measured up to 100 products only.
    serves: (workload) => workload.name !== 'W1@1000',
  },
  {
    name: 'aggregator',
    title: '(b) hand-written aggregator',
    start: (env, cpu, nodeOptions) => startPinned('bench/targets/aggregator.ts', [], { cpu, env, nodeOptions }),
    serves: every,
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
    // The Hive composition has no stitched orders and no client tokens: no order histories.
    serves: (workload) => !workload.name.startsWith('session'),
    rename: hiveRequest,
    normalize: withoutNullWarehouses,
  },
];

/**
 * Private: a request in the Hive composition's names (the catalog's own `listProducts` and
 * `getProduct`, aliased to Switchboard's names so that the answers compare as they are).
 */
function hiveRequest(request: ClientRequest): ClientRequest {
  const query = request.query
    .replace(/\bproducts\(/, 'products: listProducts(')
    .replace(/\bproduct\(id:/, 'product: getProduct(id:')
    .replace('($id: ID!)', '($id: String!)');
  return { ...request, query };
}

/**
 * Private: Hive's answer with `warehouses: [null]` read as `[]`. For a product out of stock the
 * inventory lists no warehouse, and Hive's SOAP handler answers one null warehouse where Switchboard
 * and the aggregator answer none; compared as it is, Hive would be left out of every product page.
 */
function withoutNullWarehouses(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(withoutNullWarehouses);
  if (data === null || typeof data !== 'object') return data;
  return Object.fromEntries(Object.entries(data).map(([name, value]) => [name,
    name === 'warehouses' && Array.isArray(value) && value.length === 1 && value[0] === null ? [] : withoutNullWarehouses(value)]));
}

/** The targets `npm run bench` measures unless told (`before`, `cached` and `traced` only when named). */
export const DEFAULT_TARGETS = TARGETS.filter((target) => !['before', 'cached', 'traced'].includes(target.name));

/** Private: an OTLP/HTTP receiver in the benchmark's own process that reads each export and drops it. */
async function startOtlpSink(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Private: a gateway bundle started as `npm start` runs it, in production mode. */
async function startBundle(bundle: string, env: Record<string, string>, cpu: number, nodeOptions: string[]): Promise<Pinned<{ url: string }>> {
  const port = await freePort();
  return startPinned(process.execPath, [...gatewayNodeFlags(), ...nodeOptions, bundle], {
    cpu,
    // Uncached unless a target asks: the baselines keep nothing between requests.
    env: { ENTITY_CACHE: 'off', RESPONSE_CACHE: 'off', ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    readyUrl: `http://127.0.0.1:${port}/graphql`,
  });
}

/** Private: Hive Gateway lives in a package of its own (bench/hive), installed on first use. */
function installHive(): void {
  if (existsSync(`${ROOT}bench/hive/node_modules/@graphql-hive/gateway`)) return;
  console.log('Installing Hive Gateway for the benchmark (npm ci in bench/hive) ...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: `${ROOT}bench/hive`, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci in bench/hive failed; see its output above.');
}
