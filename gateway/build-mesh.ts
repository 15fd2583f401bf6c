/**
 * Builds the composition (`mesh build` → .mesh/) when it is missing or older than what it is built
 * from, after checking that every source's pinned contract is where .meshrc.yaml says.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './config.js';

const ROOT = resolve(import.meta.dirname, '..');
const BUILT = join(ROOT, '.mesh', 'index.ts');
const INPUTS = ['.meshrc.yaml', 'sources', 'resolvers', 'gateway/soap', 'gateway/upstream'];

interface MeshrcSource {
  name: string;
  handler: Record<string, { source?: string }>;
}

/** Every source's contract file, as `{ name, path }`; throws one line naming a missing one. */
export function checkContracts(root = ROOT): { name: string; path: string }[] {
  const meshrc = parse(readFileSync(join(root, '.meshrc.yaml'), 'utf8')) as { sources: MeshrcSource[] };
  return meshrc.sources.map(({ name, handler }) => {
    const contract = Object.values(handler)[0]?.source;
    if (!contract) throw new ConfigError(`${name}: .meshrc.yaml gives this source no local contract (handler.source).`);
    const path = join(root, contract);
    if (!existsSync(path)) {
      throw new ConfigError(`${name}: the contract file ${contract} is missing: restore it, or fix the source's path in .meshrc.yaml.`);
    }
    return { name, path };
  });
}

export function ensureMeshBuilt(options: { force?: boolean; root?: string } = {}): 'built' | 'fresh' {
  const root = options.root ?? ROOT;
  checkContracts(root);
  if (!options.force && existsSync(BUILT) && newestInput(root) <= statSync(BUILT).mtimeMs) return 'fresh';
  const result = spawnSync(join(root, 'node_modules', '.bin', 'mesh'), ['build'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    const reason = `${result.stderr}\n${result.stdout}`.split('\n').find((line) => /error/i.test(line))?.trim();
    throw new ConfigError(`The composition in .meshrc.yaml does not build: ${reason ?? 'see `npx mesh build`'}`);
  }
  return 'built';
}

/** Private: the latest modification time of any file the build reads. */
function newestInput(root: string): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of INPUTS) visit(join(root, input));
  return newest;
}
