/**
 * `npm start`: the demo's launcher (demo/launch.ts): the demo upstreams for every demo source not
 * pointed elsewhere, then the gateway. Reads `.env` when there is one. Prints the URLs, or one line
 * saying what to fix. Bundled apart from the gateway (.mesh/demo.mjs), so that what production runs
 * (.mesh/start.mjs, scripts/start.ts) holds no demo service.
 */
import { existsSync } from 'node:fs';
import { startSwitchboard } from '../demo/launch.js';
import { shutDownOnSignals } from '../gateway/server/start.js';

if (existsSync('.env')) process.loadEnvFile('.env');

// A promise a library lets fail unheard must not take every client's gateway down with it.
process.on('unhandledRejection', (reason) => console.error('[switchboard] unexpected error (unhandled rejection):', reason));

try {
  const switchboard = await startSwitchboard(process.env);
  // Since the process started (performance.now()'s origin), module loading included.
  console.log(`Switchboard is ready in ${Math.round(performance.now())} ms: ${switchboard.url}`);
  console.log(`  subscriptions: SSE at the same URL, graphql-sse at ${switchboard.url}/stream, graphql-ws at ${switchboard.url.replace(/^http/, 'ws')}`);
  for (const [name, service] of Object.entries(switchboard.demo)) {
    console.log(`  demo upstream ${name.padEnd(9)} ${service.url}`);
  }
  shutDownOnSignals(switchboard);
} catch (error) {
  console.error(`Switchboard did not start: ${(error as Error).message}`);
  process.exit(1);
}
