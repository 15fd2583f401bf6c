/**
 * What each `demo/<name>/server.ts` does: start one demo upstream on `PORT` (or its
 * default port) with credentials from the environment, print one line with its URL, and close it on
 * SIGINT/SIGTERM. A bad variable stops the start with one line naming it.
 *
 *   await runService('catalog', (port, credentials) => startCatalogService({ port, apiKey: credentials.catalogApiKey }));
 */
import { credentialsFromEnv, portFromEnv, type DemoCredentials, type DemoServiceName } from './config.js';
import type { ServiceHandle } from './http-service.js';

export async function runService(
  name: DemoServiceName,
  start: (port: number, credentials: DemoCredentials) => Promise<ServiceHandle>,
  /** Appended to the base URL in the printed line, for a service that answers on one path. */
  endpointPath = '',
): Promise<void> {
  try {
    const service = await start(portFromEnv(process.env, name), credentialsFromEnv(process.env));
    console.log(`${name} demo upstream listening on ${service.url}${endpointPath}`);
    const stop = () => void service.close().then(() => process.exit(0));
    process.once('SIGINT', stop).once('SIGTERM', stop);
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
