/**
 * `npm start`: the gateway, and the demo upstreams for every source not pointed elsewhere.
 * Reads `.env` when there is one. Prints the URLs, or one line saying what to fix.
 */
import { existsSync } from 'node:fs';
import { startSwitchboard } from '../gateway/start.js';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const started = Date.now();
  const switchboard = await startSwitchboard(process.env);
  console.log(`Switchboard is ready in ${Date.now() - started} ms: ${switchboard.url}`);
  for (const [name, service] of Object.entries(switchboard.demo)) {
    console.log(`  demo upstream ${name.padEnd(9)} ${service.url}`);
  }
  const stop = () => {
    switchboard.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`Switchboard did not start: ${(error as Error).message}`);
  process.exit(1);
}
