/**
 * The processes a benchmark runs, and what it reads off them: each one is a child pinned to a CPU
 * core that prints one JSON line when it is ready; its CPU time and memory come from /proc.
 *
 *   const upstreams = await startPinned('bench/upstreams.ts', ['0'], { cpu: 0 });
 *   upstreams.ready; // { CATALOG_URL: 'http://127.0.0.1:41233', ... }
 *   const before = cpuSeconds(upstreams.pid);
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

export interface Pinned<T> {
  pid: number;
  child: ChildProcess;
  /** The JSON line the process printed when it was ready. */
  ready: T;
  /** Milliseconds from the spawn to that line. */
  startMs: number;
  stop(): Promise<void>;
}

export interface PinnedOptions {
  cpu: number;
  env?: Record<string, string>;
  timeoutMs?: number;
  nodeOptions?: string[];
  /**
   * For a program that prints no JSON line: `ready` is `{ url: readyUrl }` once a GraphQL POST to
   * `readyUrl` is answered with 200. `script` and `args` are then the program and its arguments.
   */
  readyUrl?: string;
}

/**
 * Starts `node --import tsx <script> ...args` on core `cpu` and waits for its first JSON line.
 * A process that exits or prints nothing within `timeoutMs` fails the start with its stderr.
 */
export function startPinned<T>(script: string, args: string[], options: PinnedOptions): Promise<Pinned<T>> {
  const started = performance.now();
  const program = options.readyUrl ? [script, ...args] : [process.execPath, ...(options.nodeOptions ?? []), '--import', 'tsx', script, ...args];
  const child = spawn('taskset', ['-c', String(options.cpu), ...program], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`did not print its JSON line within ${options.timeoutMs ?? 60_000} ms`), options.timeoutMs ?? 60_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${script} ${why}.\n${stderr.trim()}`));
    };
    child.once('exit', (code) => fail(`exited with code ${code}`));
    const ready = (value: T) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        pid: child.pid!,
        child,
        ready: value,
        startMs: performance.now() - started,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        }),
      });
    };
    if (options.readyUrl) {
      child.stdout!.resume();
      const url = options.readyUrl;
      const poll = () => {
        if (child.exitCode !== null) return;
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })
          .then((response) => (response.ok ? ready({ url } as T) : setTimeout(poll, 100)))
          .catch(() => setTimeout(poll, 100));
      };
      poll();
      return;
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.trim().startsWith('{'));
      if (line) ready(JSON.parse(line) as T);
    });
  });
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** User plus system CPU time the process has used, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Waits until the process has stopped working: its CPU time grows by at most one clock tick in
 * `everyMs` (a server still answering requests queued by the previous load, say). Gives up after `maxMs`.
 */
export async function settled(pid: number, everyMs = 300, maxMs = 60_000): Promise<void> {
  const deadline = performance.now() + maxMs;
  let before = cpuSeconds(pid);
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    const now = cpuSeconds(pid);
    if (now - before <= 1 / CLOCK_TICKS_PER_SECOND) return;
    before = now;
  }
}

/** The process's resident memory now, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Samples `rssMb(pid)` every `everyMs` until `stop()`, which returns the samples. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number[] } {
  const samples = [rssMb(pid)];
  const timer = setInterval(() => {
    try {
      samples.push(rssMb(pid));
    } catch {
      // The process is gone: the run reports what it saw.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

/** Pins this process (the load generator) to core `cpu`. */
export function pinSelf(cpu: number): void {
  spawnSync('taskset', ['-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
