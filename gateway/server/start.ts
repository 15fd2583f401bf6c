/**
 * Starting the gateway once the composition is built: check the configuration and every source's
 * contract, build the public schema, warn about upstreams that do not answer, and serve. The demo's
 * launcher (demo/launch.ts) starts its upstreams first and then calls this.
 *
 *   const running = await startGateway(process.env, { graph });
 *   running.url;   // 'http://127.0.0.1:4000/graphql'
 */
import { loadConfig, type GatewayConfig } from '../config/config.js';
import { checkContracts } from '../compose/build-mesh.js';
import { sourceUrlVariable } from '../config/source-manifests.js';
import { serveGateway } from './http-server.js';
import { createGateway } from './server.js';
import type { GraphCode } from '../stitching/graph-code.js';

export interface RunningGateway {
  config: GatewayConfig;
  /** The GraphQL endpoint (HTTP, SSE and graphql-ws). */
  url: string;
  /** Where the gateway answers (`http://host:port`), webhooks included. */
  origin: string;
  /**
   * A graceful stop (SIGTERM): `/readyz` fails, subscriptions complete, requests in flight finish
   * within `SHUTDOWN_TIMEOUT_MS`, then everything closes. Whether none had to be cut.
   */
  shutdown(): Promise<{ finished: boolean }>;
  /** Stops at once. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** The project's own code for its stitched graph (package.json's `#graph`). */
  graph: GraphCode;
  /** Sources that need no warning when they do not answer yet (upstreams the caller has just started). */
  quiet?: readonly string[];
}

export async function startGateway(env: NodeJS.ProcessEnv, options: StartOptions): Promise<RunningGateway> {
  const config = loadConfig(env);
  // `npm start` builds the composition first (scripts/build.ts --if-stale); here only its inputs are checked.
  checkContracts();
  // Before the warnings about upstreams: a schema the gateway cannot serve is the one line to read.
  const gateway = await createGateway(config, { graph: options.graph });
  await warnAboutUnreachable(Object.values(config.sources)
    .filter(({ name }) => !options.quiet?.includes(name))
    .map(({ name, url }) => ({ name, url, variable: sourceUrlVariable(name) })));
  const served = await serveGateway(gateway, { port: config.port, host: config.host, metricsPort: config.metrics.port }).catch(async (error: unknown) => {
    await gateway.close();
    throw error;
  });
  return {
    config,
    url: served.url,
    origin: served.origin,
    async shutdown() {
      const outcome = await served.shutdown(config.shutdownTimeoutMs);
      await gateway.close();
      return outcome;
    },
    async close() {
      await served.close();
      await gateway.close();
    },
  };
}

/**
 * Private: one line for each configured upstream that does not answer at all. The gateway starts
 * anyway (an upstream may come up later, and a failing source costs only its own fields), but the
 * operator learns it now rather than from the first failing query.
 */
async function warnAboutUnreachable(sources: { name: string; url: string; variable: string }[]): Promise<void> {
  await Promise.all(sources.map(async ({ name, url, variable }) => {
    try {
      const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
      await response.body?.cancel();
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'no answer within 3 s' : 'connection failed';
      console.warn(`${name}: ${variable} does not answer (${reason}): start that upstream or point ${variable} at it; its fields fail until it answers.`);
    }
  }));
}

/**
 * SIGTERM and SIGINT stop `running` gracefully, then exit 0 (1 when the shutdown itself failed); a
 * second signal during it exits at once.
 */
export function shutDownOnSignals(running: Pick<RunningGateway, 'shutdown'>): void {
  const stop = (signal: NodeJS.Signals) => {
    console.log(`Switchboard is shutting down (${signal}): no new connections, finishing the requests in flight.`);
    const again = () => process.exit(1);
    process.once('SIGINT', again).once('SIGTERM', again);
    running.shutdown().then(({ finished }) => {
      console.log(finished ? 'Switchboard stopped: every request in flight was answered.' : 'Switchboard stopped: the requests still in flight after SHUTDOWN_TIMEOUT_MS were cut.');
      process.exit(0);
    }, (error: unknown) => {
      console.error(`Switchboard did not shut down cleanly: ${(error as Error).message}`);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}
