// What `npm start` runs (.mesh/demo.mjs), with PORT=0: the gateway and the four demo upstreams on free
// ports, in production mode, with `env` over the test's own environment.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { DEMO_BUNDLE, gatewayNodeFlags } from '../../gateway/compose/build-mesh.js';

export interface DemoBundle {
  gatewayUrl: string;
  /** Each demo upstream's URL, by name. */
  demoUrls: Record<string, string>;
  /** When it was spawned (Date.now()). */
  spawnedAt: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Sends it a signal; `exited` tells how it ended. */
  kill(signal: NodeJS.Signals): void;
  /** Its exit code, once it has exited (null when a signal ended it). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startDemoBundle(env: NodeJS.ProcessEnv = {}): Promise<DemoBundle> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', NODE_ENV: 'production', ...env };
  // The demo starts its own upstreams: none of a test's.
  for (const name of ['CATALOG_URL', 'PAYMENTS_URL', 'INVENTORY_URL', 'REVIEWS_URL']) delete childEnv[name];
  const spawnedAt = Date.now();
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...gatewayNodeFlags(), DEMO_BUNDLE], { env: childEnv });
  const output: string[] = [];
  child.stderr.on('data', (chunk) => output.push(String(chunk)));
  const urls = await new Promise<{ gatewayUrl: string; demoUrls: Record<string, string> }>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += String(chunk);
      output.push(String(chunk));
      const ready = /ready in \d+ ms: (\S+)/.exec(text);
      const demo = [...text.matchAll(/demo upstream (\w+)\s+(\S+)/g)];
      if (ready && demo.length === 4) resolve({ gatewayUrl: ready[1]!, demoUrls: Object.fromEntries(demo.map((m) => [m[1]!, m[2]!])) });
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output.join('')}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    ...urls,
    spawnedAt,
    output: () => output.join(''),
    kill: (signal) => child.kill(signal),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
