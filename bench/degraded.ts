/**
 * `npm run bench:degraded`: Switchboard (as `npm start` runs it) under W1 while the demo upstreams
 * misbehave, through their fault injection (`POST /_admin/faults`), against the same gateway healthy
 * in the same run. It shows what the upstream policy costs and saves: retries that hide a flaky
 * source, timeouts that bound a slow one, and a circuit breaker that answers fast while a source is
 * down. Each scenario reports requests per second as a ratio of the healthy run, and, from 100
 * requests sent one by one after the load, how many answers carried errors and which codes.
 * Writes bench/degraded.md and prints it.
 *
 *   npm run bench:degraded                # 10 s per scenario
 *   npm run bench:degraded -- --seconds 4 # a shorter check
 */
import { writeFileSync } from 'node:fs';
import { DEMO_VARIABLES } from '../demo/launch.js';
import { clientRequests, loadTest, type LoadResult } from './load.js';
import { pinSelf, ROOT, startPinned } from './processes.js';
import { describeMachine } from './report.js';
import { TARGETS } from './targets.js';
import { W1 } from './workloads.js';

const LOAD_CPU = 0;
const SERVER_CPU = 1;
const CONNECTIONS = 50;
const SAMPLES = 100;

interface Scenario {
  name: string;
  faults: Record<string, Record<string, unknown>[]>;
}

const SCENARIOS: Scenario[] = [
  { name: 'healthy', faults: {} },
  { name: 'reviews answers 503 to 10% of calls', faults: { reviews: [{ kind: 'error', status: 503, rate: 0.1 }] } },
  { name: 'inventory drops 5% of connections mid-body', faults: { inventory: [{ kind: 'reset', rate: 0.05 }] } },
  { name: 'inventory takes 2 s on 2% of calls (timeout 500 ms)', faults: { inventory: [{ kind: 'latency', ms: 2000, rate: 0.02 }] } },
  { name: 'reviews is down', faults: { reviews: [{ kind: 'down' }] } },
];

const secondsFlag = process.argv.indexOf('--seconds');
const seconds = secondsFlag >= 0 ? Number(process.argv[secondsFlag + 1]) : 10;

pinSelf(LOAD_CPU);
const upstreams = await startPinned<Record<string, string>>('bench/upstreams.ts', ['0'], { cpu: LOAD_CPU });
const switchboard = await TARGETS.find((target) => target.name === 'switchboard')!.start(
  { ...DEMO_VARIABLES, ...upstreams.ready, INVENTORY_TIMEOUT_MS: '500', REVIEWS_BREAKER_COOLDOWN_MS: '2000' },
  SERVER_CPU,
  [],
);
const body = JSON.stringify({ query: W1.query });
const send = await clientRequests(W1);
const faultsUrl = (source: string) => `${upstreams.ready[`${source.toUpperCase()}_BASE_URL`]}/_admin/faults`;
const rows: string[] = [];
try {
  let healthy: LoadResult | undefined;
  for (const scenario of SCENARIOS) {
    await Promise.all(['catalog', 'payments', 'inventory', 'reviews'].map((source) => fetch(faultsUrl(source), { method: 'DELETE' })));
    for (const [source, faults] of Object.entries(scenario.faults)) {
      await fetch(faultsUrl(source), { method: 'POST', body: JSON.stringify(faults) });
    }
    await loadTest({ url: switchboard.ready.url, send, connections: CONNECTIONS, seconds: 2 });
    const result = await loadTest({ url: switchboard.ready.url, send, connections: CONNECTIONS, seconds });
    healthy ??= result;
    const codes = await sampleErrors();
    const perSecond = result.ok / result.seconds;
    const ratio = perSecond / (healthy.ok / healthy.seconds);
    const line = `| ${scenario.name} | ${perSecond.toFixed(0)} | ${ratio.toFixed(2)}× | ${result.p50Ms} | ${result.p99Ms} | ${result.failed} | `
      + `${codes.withErrors}/${SAMPLES} | ${Object.entries(codes.byCode).map(([code, n]) => `${code} ${n}`).join(', ') || 'none'} |`;
    console.log(line);
    rows.push(line);
  }
} finally {
  await switchboard.stop();
  await upstreams.stop();
}

const report = [
  '# Switchboard with misbehaving upstreams',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:degraded\`: W1 for ${seconds} s per scenario with `
    + `${CONNECTIONS} connections after a 2 s warm-up; gateway on core 1, load and upstreams (no added latency) on core 0. `
    + 'Faults are set on the demo upstreams with POST /_admin/faults. The gateway runs with its default policy, but '
    + 'INVENTORY_TIMEOUT_MS=500 and REVIEWS_BREAKER_COOLDOWN_MS=2000. "Answers with errors" counts, among '
    + `${SAMPLES} requests sent one by one after the load, those whose answer carried an error (HTTP 200 with partial data).`,
  '',
  '```',
  describeMachine(),
  '```',
  '',
  '| scenario | req/s | vs healthy | p50 ms | p99 ms | failed (non-2xx) | answers with errors | error codes |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows,
  '',
].join('\n');
writeFileSync(`${ROOT}bench/degraded.md`, report);
console.log('Written to bench/degraded.md');

/** Private: the share of answers with errors, and their codes, over requests sent one at a time. */
async function sampleErrors() {
  const byCode: Record<string, number> = {};
  let withErrors = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const response = await fetch(switchboard.ready.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    if (!answer.errors?.length) continue;
    withErrors += 1;
    for (const code of new Set(answer.errors.map((error) => error.extensions?.code ?? 'none'))) byCode[code] = (byCode[code] ?? 0) + 1;
  }
  return { withErrors, byCode };
}
