/**
 * The demo upstreams as the benchmarks run them, in a process of their own:
 * `node --import tsx bench/upstreams.ts <latencyMs>` prints one JSON line with the gateway variables
 * that point at them (`CATALOG_URL`, ...), then serves until SIGTERM.
 *
 * Every answer waits `latencyMs`; a request already answered is answered again from a recording
 * (ServingOptions.replay), so that the upstreams' own CPU does not cap what the bench measures; logs
 * keep counts only. They have no quota, and the gateway's catalog budget is set far above anything
 * measured: its code runs on every call, but it never holds one back.
 */
import { sourceUrlVariable } from '../gateway/config/source-manifests.js';
import { demoEndpoint } from '../demo/launch.js';
import { DEMO_SERVICE_NAMES, startDemoServices } from '../demo/world/index.js';

const latencyMs = Number(process.argv[2] ?? 0);
const services = await startDemoServices(DEMO_SERVICE_NAMES, () => 0, {
  serving: { latencyMs, replay: true, countOnly: true, quota: false },
});
const variables: Record<string, string> = {
  CATALOG_RATE_PER_SECOND: '1000000',
  CATALOG_RATE_BURST: '1000000',
  // The load generator is one client. The limits stay on, so that their cost is measured, but with a
  // window of 1 ms no request is ever refused.
  RATE_LIMITS: 'Query.products=1000000/1ms,Mutation.placeOrder=1000000/1ms',
};
for (const name of DEMO_SERVICE_NAMES) {
  variables[sourceUrlVariable(name)] = demoEndpoint(name, services[name]!.url);
  variables[`${name.toUpperCase()}_BASE_URL`] = services[name]!.url;
}
console.log(JSON.stringify(variables));
process.once('SIGTERM', () => process.exit(0));
