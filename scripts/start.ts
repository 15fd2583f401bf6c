/**
 * The gateway alone, as production runs it (`npm run start:gateway`, or `node .mesh/start.mjs`): every
 * source where its `<NAME>_URL` or manifest says, no demo world. Reads `.env` when there is one. Prints
 * the URL, or one line saying what to fix. `npm start` runs the demo's launcher instead (scripts/demo.ts).
 */
import { existsSync } from 'node:fs';
import { shutDownOnSignals, startGateway } from '../gateway/server/start.js';
// The project's own code for its stitched graph, wherever package.json's "imports" puts it.
import { graph } from '#graph';

if (existsSync('.env')) process.loadEnvFile('.env');

// A promise a library lets fail unheard must not take every client's gateway down with it.
process.on('unhandledRejection', (reason) => console.error('[switchboard] unexpected error (unhandled rejection):', reason));

try {
  const gateway = await startGateway(process.env, { graph });
  // Since the process started (performance.now()'s origin), module loading included.
  console.log(`Switchboard is ready in ${Math.round(performance.now())} ms: ${gateway.url}`);
  console.log(`  subscriptions: SSE at the same URL, graphql-sse at ${gateway.url}/stream, graphql-ws at ${gateway.url.replace(/^http/, 'ws')}`);
  shutDownOnSignals(gateway);
} catch (error) {
  console.error(`Switchboard did not start: ${(error as Error).message}`);
  process.exit(1);
}
