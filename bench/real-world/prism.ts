/** Prism serving one document on a free loopback port, its answers generated with a fixed seed. */
import { spawn } from 'node:child_process';
import { corpusTool } from './tools.js';
import { createServer, type AddressInfo } from 'node:net';

const prism = () => corpusTool('@stoplight/prism-cli/dist/index.js');

export interface Mock { url: string; log(): string; stop(): Promise<void> }

export class MockError extends Error {}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrism(file: string): Promise<Mock> {
  const port = await freePort();
  const child = spawn(process.execPath, [prism(), 'mock', '-d', '--seed', '1', '-h', '127.0.0.1', '-p', String(port), file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new MockError(`Prism cannot load the document: ${lastLine(log)}`);
    try {
      await fetch(`${url}/__bench_ready`, { signal: AbortSignal.timeout(2000) });
      return { url, log: () => log, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  await stop();
  throw new MockError(`Prism did not answer within 60 s: ${lastLine(log)}`);
}

export function lastLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean);
  return ([...lines].reverse().find((line) => /error|fatal|violation|✖/i.test(line)) ?? lines.at(-1) ?? '(no output)').slice(0, 300);
}
