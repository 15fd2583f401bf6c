/**
 * `npm run token -- <customer id> [--staff] [--ttl <seconds>]`: prints a client token for trying
 * Switchboard out, signed with AUTH_JWT_SECRET (from the environment or `.env`; the demo's secret
 * when unset), for AUTH_ISSUER and AUTH_AUDIENCE. `--staff` adds the staff scope (every customer's
 * data). Send it as `Authorization: Bearer <token>`.
 *
 *   npm run token -- cust-0003
 *   npm run token -- support-1 --staff --ttl 600
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadAuthConfig } from '../gateway/config/config.js';
import { mintToken } from '../gateway/plugins/auth/tokens.js';
import { DEMO_TOKEN_SECRET } from '../demo/launch.js';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { staff: { type: 'boolean' }, ttl: { type: 'string' } } });
  const subject = positionals[0];
  if (!subject || positionals.length > 1) throw new Error('Name one subject, the customer id the token acts for: npm run token -- cust-0003 [--staff] [--ttl 3600]');
  const ttlSeconds = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 30 * 86_400) throw new Error(`--ttl must be a number of seconds from 1 to 2592000, but got: ${JSON.stringify(values.ttl)}.`);
  const auth = loadAuthConfig({ AUTH_JWT_SECRET: DEMO_TOKEN_SECRET, ...process.env });
  console.log(await mintToken(auth, { subject, ttlSeconds, ...(values.staff ? { scope: auth.staffScope } : {}) }));
} catch (error) {
  console.error(`No token: ${(error as Error).message}`);
  process.exitCode = 1;
}
