/**
 * Cold start: from spawning the gateway `npm start` runs (.mesh/start.mjs, already built) to the
 * first answer to W1, with the upstreams already up. Measured `runs` times on the server core; the median is quoted.
 *
 *   const ms = await measureColdStart(upstreamVariables, { cpu: 1, runs: 3 });
 */
import { spawn } from 'node:child_process';
import { GATEWAY_BUNDLE, gatewayNodeFlags } from '../gateway/compose/build-mesh.js';
import { DEMO_VARIABLES } from '../demo/launch.js';
import { freePort, median, ROOT } from './processes.js';
import { W1 } from './workloads.js';

export interface ColdStart {
  /** Milliseconds from spawn to the first W1 answered with data, per run. */
  runs: number[];
  medianMs: number;
}

export async function measureColdStart(upstreams: Record<string, string>, options: { cpu: number; runs: number }): Promise<ColdStart> {
  const runs: number[] = [];
  for (let run = 0; run < options.runs; run += 1) runs.push(await once(upstreams, options.cpu));
  return { runs, medianMs: median(runs) };
}

async function once(upstreams: Record<string, string>, cpu: number): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('taskset', ['-c', String(cpu), process.execPath, ...gatewayNodeFlags(), GATEWAY_BUNDLE], {
    cwd: ROOT,
    env: { ...process.env, ...DEMO_VARIABLES, ...upstreams, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`The gateway exited with code ${child.exitCode}.`);
      if (performance.now() - started > 30_000) throw new Error('The gateway did not answer W1 within 30 s.');
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: W1.query }),
        });
        const body = (await response.json()) as { data?: { products?: unknown[] } };
        if (response.ok && body.data?.products?.length === 100) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGKILL');
  }
}
