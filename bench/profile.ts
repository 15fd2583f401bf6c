/**
 * Where a server's time went, from V8 CPU profiles (`npm run bench -- --profile <dir>`): self time
 * by package and by function, as shares of the samples.
 *
 *   npx tsx bench/profile.ts /tmp/prof/switchboard-0ms.cpuprofile [--top 30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const files = args.filter((arg, index) => arg.endsWith('.cpuprofile') && !(topIndex >= 0 && index === topIndex + 1));

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  for (const id of profile.samples) {
    // Inclusive: each function on the sample's stack counts once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      seen.add(`${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`);
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    const frame = byId.get(id)!.callFrame;
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    bump(byPackage, packageOf(frame.url, frame.functionName));
    bump(byFunction, `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`);
  }
  const total = profile.samples.length;
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * count) / total).toFixed(1).padStart(6)}%  ${key}`);
    }
  };
  console.log(`# ${file}: ${total} samples`);
  print('Self time by package', byPackage);
  print('Self time by function', byFunction);
  print('Inclusive time by function', inclusive);
}

/** Private: `node_modules/<package>`, `node:<internal>`, the project's own folder, or V8's bucket. */
function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`;
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const own = /\/work\/[^/]+\/([^/]+)\//.exec(url) ?? /file:\/\/.*?\/((?:gateway|resolvers|sources|bench|\.mesh)\/)/.exec(url);
  return own ? `./${own[1]}` : url;
}

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(gateway|resolvers|sources|bench|\.mesh)\//, '$1/');
}
