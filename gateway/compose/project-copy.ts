/**
 * A copy of the project in a temporary folder, sharing its node_modules: where a change can be built
 * and looked at without touching the working tree (`npm run sources:drift` builds each provider's
 * live contract there; the tests change copies as users change the project).
 *
 *   const copy = copyProject();          // '/tmp/switchboard-copy-XXXX'
 *   …; rmSync(copy, { recursive: true, force: true });
 */
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project.js';

/** What the gateway needs to build and run; tests and benchmarks stay behind. */
const PROJECT_FILES = ['.meshrc.yaml', 'package.json', 'tsconfig.json', 'gateway', 'sources', 'demo', 'lib', 'scripts', 'generated'];

/** Copies the project's files (and `extra` paths under it) into a new temporary folder, and returns the folder. */
export function copyProject(extra: readonly string[] = [], root = PROJECT_ROOT): string {
  const copy = mkdtempSync(join(tmpdir(), 'switchboard-copy-'));
  for (const entry of [...PROJECT_FILES, ...extra]) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}
