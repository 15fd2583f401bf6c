/**
 * A copy of the project in a temporary folder, for tests that change it as a user would (add a
 * source, rebuild, start the gateway) without touching the working tree. It shares node_modules.
 *
 *   const project = copyProject();
 *   project.run('npm', ['run', '-s', 'source:add', '--', 'carrier', contract]);
 *   const gateway = await project.start({ CARRIER_URL: url });
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copyProject as copyProjectFiles } from '../../gateway/compose/project-copy.js';

export interface ProjectCopy {
  root: string;
  /** Runs a command in the copy, to its end (or killed after `timeoutMs`, when its status is null). */
  run(command: string, args: string[], env?: Record<string, string>, timeoutMs?: number): { status: number | null; stdout: string; stderr: string };
  /** The same, without blocking this process's event loop: for commands that call servers this process runs. */
  runAsync(command: string, args: string[], env?: Record<string, string>, timeoutMs?: number): Promise<{ status: number | null; stdout: string; stderr: string }>;
  /** Starts the copy's bundled gateway and demo world (`node .mesh/demo.mjs`, as `npm start` does once built) on a free port. */
  start(env: Record<string, string>): Promise<RunningCopy>;
  remove(): void;
}

export interface RunningCopy {
  url: string;
  /** Everything it wrote, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

export function copyProject(): ProjectCopy {
  // The test operations too: the trusted documents are generated from them.
  const root = copyProjectFiles([join('test', 'operations')]);
  const running: ChildProcess[] = [];
  return {
    root,
    run(command, args, env = {}, timeoutMs = 240_000) {
      const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    runAsync(command, args, env = {}, timeoutMs = 240_000) {
      return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, timeout: timeoutMs });
        let stdout = '';
        let stderr = '';
        child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    },
    start(env) {
      const child = spawn(process.execPath, [join('.mesh', 'demo.mjs')], {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'development', PORT: '0', RATE_LIMITS: 'none', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.push(child);
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      const stop = () => new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`The copy's gateway did not start within 30 s:\n${output}`)), 30_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`The copy's gateway exited with ${code}:\n${output}`));
        });
        const onData = () => {
          const url = /Switchboard is ready in \d+ ms: (\S+)/.exec(output)?.[1];
          if (!url) return;
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          child.removeAllListeners('exit');
          resolve({ url, output: () => output, stop });
        };
        child.stdout!.on('data', onData);
      });
    },
    remove() {
      for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The SHA-256 of every file under `paths` (files or folders) of `root`, by path: what a command that
 * changes nothing must leave the same, compared to the byte.
 */
export function fileDigests(root: string, paths: string[]): Record<string, string> {
  const digests: Record<string, string> = {};
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else digests[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  };
  for (const path of paths) visit(join(root, path));
  return digests;
}
