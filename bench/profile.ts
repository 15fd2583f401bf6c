/**
 * Where a server's time went, from V8 CPU profiles (`npm run bench -- --profile <dir>`), or what it
 * allocated, from heap profiles (`--allocations <dir>`, bench/allocation-sampler.mjs), as shares of
 * the samples or bytes: self time by kind (our code, packages, Node's internals, native and generated code, the
 * garbage collector, idle), by package or folder (`graphql`, `./gateway/sources`, `node:streams`), by
 * function (at its original file:line), and inclusive time of the project's own functions. The bundled
 * gateway's frames (.mesh/start.mjs) are named through the source map `npm run build` writes beside the
 * bundle; profile and map must come from the same build (the report warns when they seem not to).
 *
 *   npx tsx bench/profile.ts /tmp/prof/switchboard-0ms-W1-vars/*.cpuprofile [--top 30]
 *   npx tsx bench/profile.ts /tmp/alloc/switchboard-0ms-W1-vars/*.heapprofile   # bytes allocated, by the same rows
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../gateway/config/project.js';

interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}
/** A sampling heap profile (bench/allocation-sampler.mjs): a tree of frames with the bytes each allocated. */
interface HeapProfileNode {
  id: number;
  callFrame: CallFrame;
  selfSize: number;
  children: HeapProfileNode[];
}
/** What either kind of profile comes to: the frames, and the weight (samples or bytes) each frame holds itself. */
interface Weighed {
  nodes: ProfileNode[];
  weights: [id: number, weight: number][];
  unit: 'time' | 'bytes allocated';
}
/** A frame as the report names it: what kind of code, the package or folder it is in, the function. */
interface Place {
  kind: 'our code' | 'packages' | 'node internals' | 'native and generated' | `(${string})`;
  where: string;
  what: string;
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const files = args.filter((arg, index) => /\.(cpu|heap)profile$/.test(arg) && !(topIndex >= 0 && index === topIndex + 1));
/** The source map of each bundle a profile names, by its path; undefined for a file with none. */
const sourceMaps = new Map<string, SourceMap | undefined>();
/** The lines of each file read: bundles, and the sources their frames name. */
const fileLines = new Map<string, string[]>();
/** A bundle's named frames, and those of them the bundle names too where the profile says they start. */
const bundleFrames = { named: 0, found: 0 };

for (const file of files) {
  const profile = weighed(file);
  bundleFrames.named = bundleFrames.found = 0;
  const places = new Map(profile.nodes.map((node) => [node.id, placeOf(node.callFrame)]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  if (bundleFrames.found < 0.8 * bundleFrames.named) {
    console.warn(`Only ${bundleFrames.found} of the ${bundleFrames.named} named functions of the bundle are where the profile says: was it rebuilt since? Profile it again.`);
  }
  const byKind = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, weight: number) => map.set(key, (map.get(key) ?? 0) + weight);
  for (const [id, weight] of profile.weights) {
    bump(byKind, places.get(id)!.kind, weight);
    bump(byPackage, places.get(id)!.where, weight);
    bump(byFunction, places.get(id)!.what, weight);
    // Inclusive: each of our functions on the sample's stack counts once, recursive or not.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      if (places.get(at)!.kind === 'our code') seen.add(places.get(at)!.what);
    }
    for (const what of seen) bump(inclusive, what, weight);
  }
  const total = profile.weights.reduce((sum, [, weight]) => sum + weight, 0);
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * count) / total).toFixed(1).padStart(6)}%  ${key}`);
    }
  };
  const unit = profile.unit;
  console.log(`# ${file}: ${unit === 'time' ? `${total} samples` : `${(total / 2 ** 20).toFixed(0)} MB allocated`}`);
  print(`Self ${unit} by kind`, byKind);
  print(`Self ${unit} by package`, byPackage);
  print(`Self ${unit} by function`, byFunction);
  print(`Inclusive ${unit} of our functions`, inclusive);
}

/** Private: a CPU profile (one weight per sample) or a heap profile (each frame's bytes), as frames and weights. */
function weighed(file: string): Weighed {
  const read = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile | { head: HeapProfileNode };
  if (!('head' in read)) return { nodes: read.nodes, weights: read.samples.map((id) => [id, 1]), unit: 'time' };
  const nodes: ProfileNode[] = [];
  const weights: [number, number][] = [];
  const visit = (node: HeapProfileNode) => {
    nodes.push({ id: node.id, callFrame: node.callFrame, children: node.children.map((child) => child.id) });
    if (node.selfSize > 0) weights.push([node.id, node.selfSize]);
    node.children.forEach(visit);
  };
  visit(read.head);
  return { nodes, weights, unit: 'bytes allocated' };
}

/** Private: where a frame's code is, through the bundle's source map when it is the bundle's. */
function placeOf(frame: CallFrame): Place {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) {
    // V8's own rows, `(garbage collector)`, `(program)` (outside JavaScript), `(idle)`; its builtins and Node's C++
    // (script 0); and code with no file, made by new Function or eval: graphql-jit's compiled queries.
    if (/^\(.+\)$/.test(frame.functionName)) return { kind: name as `(${string})`, where: name, what: name };
    if (name.startsWith('RegExp: ')) return { kind: 'native and generated', where: '(regular expressions)', what: name };
    if (frame.scriptId === '0') return { kind: 'native and generated', where: '(native: V8 builtins, Node C++)', what: `${name} (native)` };
    return { kind: 'native and generated', where: '(generated: new Function, eval)', what: `${name} (generated)` };
  }
  const line = frame.lineNumber + 1;
  // Node's own modules, by module: node:internal/deps/undici/undici is node:undici (fetch), node:internal/streams/… node:streams.
  if (frame.url.startsWith('node:')) {
    return { kind: 'node internals', where: `node:${frame.url.slice(5).replace(/^internal\/(deps\/)?/, '').split('/')[0]}`, what: `${name} ${frame.url}:${line}` };
  }
  const path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
  const map = sourceMapOf(path);
  if (!map) return placeOfFile(name, relative(PROJECT_ROOT, path), line);
  checkBundle(frame, path);
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
  // esbuild's own helpers (__esm, __commonJS, __export's getters) map to no source.
  if (!entry.originalSource) return { kind: 'native and generated', where: '(bundle: esbuild\'s helpers)', what: `${name} ${relative(PROJECT_ROOT, path)}:${line}` };
  // Sources are relative to the map's folder, .mesh/, one below the root of the project that was bundled.
  const root = resolve(dirname(path), '..');
  const source = resolve(dirname(path), entry.originalSource);
  return placeOfFile(nameInSource(name, source, entry.originalLine! + 1), relative(root, source), entry.originalLine! + 1);
}

/** Private: a package's file by its package (`graphql`, `@whatwg-node/fetch`), the project's by its folder (`./gateway/sources`, `./lib`). */
function placeOfFile(name: string, path: string, line: number): Place {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (inModules) return { kind: 'packages', where: inModules[1]!, what: `${name} ${inModules[1]}/${inModules[2]}:${line}` };
  const folders = path.split('/');
  const folder = ['gateway', 'demo'].includes(folders[0]!) && folders.length > 2 ? folders.slice(0, 2).join('/') : folders[0]!;
  return { kind: 'our code', where: `./${folder}`, what: `${name} ${path}:${line}` };
}

/**
 * Private: the name a function has in its source, where esbuild renamed it apart from another module's
 * (`send2` for `send`): the name without its number when the source's line has that name and not the other.
 */
function nameInSource(name: string, file: string, line: number): string {
  const bare = /^([\w$]*[^\d\W])\d+$/.exec(name)?.[1];
  if (!bare || !existsSync(file)) return name;
  const text = linesOf(file)[line - 1] ?? '';
  const has = (word: string) => new RegExp(`(^|[^\\w$])${word.replace(/\$/g, '\\$')}($|[^\\w$])`).test(text);
  return has(bare) && !has(name) ? bare : name;
}

/** Private: the source map beside a bundle (`<file>.map`), read once; none for a file that is not a bundle. */
function sourceMapOf(path: string): SourceMap | undefined {
  if (!sourceMaps.has(path)) {
    const mapPath = `${path}.map`;
    if (!existsSync(mapPath) && path.includes('/.mesh/')) console.warn(`No source map beside ${path}: npm run build writes one; its frames are the bundle's lines.`);
    sourceMaps.set(path, existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8'))) : undefined);
  }
  return sourceMaps.get(path);
}

/**
 * Private: counts a named frame of a bundle as found when the bundle has its name just before where it
 * starts (`function readAnswer2(`, `send2=async(`). A profile of another build finds few: its positions
 * fall elsewhere in this bundle, and the map would name the wrong code.
 */
function checkBundle(frame: CallFrame, path: string): void {
  const name = frame.functionName.split('.').pop()!.replace(/^[gs]et /, '');
  if (!name || name.includes('/')) return;
  const before = (linesOf(path)[frame.lineNumber] ?? '').slice(Math.max(0, frame.columnNumber - name.length - 40), frame.columnNumber + 1);
  bundleFrames.named++;
  if (before.includes(name)) bundleFrames.found++;
}

/** Private: a file's lines, read once. */
function linesOf(file: string): string[] {
  if (!fileLines.has(file)) fileLines.set(file, readFileSync(file, 'utf8').split('\n'));
  return fileLines.get(file)!;
}
