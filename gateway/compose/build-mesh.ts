/**
 * Builds the composition (`mesh build` → .mesh/) when it is missing or older than what it is built
 * from, after checking that every source's pinned contract is where .meshrc.yaml says; and two
 * bundles, so that a start loads no TypeScript and no tsx: the gateway as production runs it
 * (.mesh/start.mjs: scripts/start.ts with the project's own modules and the built composition,
 * bundled by esbuild, with the project's graph code (package.json's `#graph`) and no demo service),
 * and the demo's launcher that `npm start` runs (.mesh/demo.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { parse } from 'yaml';
import { ConfigError } from '../config/config.js';
import { MANIFEST } from '../config/source-manifests.js';
import { writeRestContracts } from '../sources/rest/openapi-media.js';
import { PROJECT_ROOT } from '../config/project.js';
import { mapAfterAsciiOnly } from './bundle-source-map.js';

const ROOT = PROJECT_ROOT;
const BUILT = join('.mesh', 'index.ts');
/** What the composition is built from, besides the SDL files .meshrc.yaml lists (its additionalTypeDefs). */
const INPUTS = ['.meshrc.yaml', 'sources', 'lib', 'gateway/compose/directives.graphql', 'gateway/sources/soap', 'gateway/upstream'];
/** The bundled gateway, as production runs it; one folder below the root, where the built composition expects to be. */
export const GATEWAY_BUNDLE = join('.mesh', 'start.mjs');
/** The demo's launcher and the gateway, bundled apart (`npm start`): the gateway's bundle holds no demo service. */
export const DEMO_BUNDLE = join('.mesh', 'demo.mjs');

/**
 * The Node.js flags `npm start` runs the bundle with, read from package.json's start script, so that
 * the benchmarks measure the gateway as it runs. They trade some throughput for memory: V8 collects
 * sooner (`--heap-growing-percent=50`) and on the main thread only (`--single-threaded-gc`, a gateway
 * process having one core to itself), which took W1's peak RSS from 370 to 223 MB at 0.89× of the
 * aggregator, against 1.16× without them (bench/results.md).
 */
export function gatewayNodeFlags(root = PROJECT_ROOT): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.['start:gateway'] ?? '';
  const flags = /\bnode((?: --[\w-]+(?:=\S+)?)*) \.mesh\/start\.mjs\b/.exec(start);
  if (!flags) throw new Error(`package.json's start:gateway script must run \`node [flags] .mesh/start.mjs\`; it is: ${start}`);
  return flags[1]!.trim().split(/\s+/).filter(Boolean);
}
/** What the bundle is built from; with its packages inside it, an `npm install` or upgrade rebuilds it too. */
const BUNDLE_INPUTS = ['.meshrc.yaml', 'sources', 'gateway', 'lib', 'demo', 'scripts', 'test/operations', join('.mesh', 'index.ts'), 'package-lock.json', join('node_modules', '.package-lock.json')];

interface MeshrcSource {
  name: string;
  handler: Record<string, { source?: string }>;
}

/** Private: the SDL files .meshrc.yaml adds to the composition (the stitched graph's, wherever the project keeps it). */
function additionalTypeDefs(root: string): string[] {
  const meshrc = parse(readFileSync(join(root, '.meshrc.yaml'), 'utf8')) as { additionalTypeDefs?: string | string[] };
  return [meshrc.additionalTypeDefs ?? []].flat();
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
    // Every source comes with its manifest: where it answers, its credentials, its prefixes.
    if (!existsSync(join(root, 'sources', name, MANIFEST))) {
      throw new ConfigError(`${name}: .meshrc.yaml has this source but sources/${name}/${MANIFEST} is missing: add sources with npm run source:add, which writes both, or write the manifest (README, "Source manifests").`);
    }
    return { name, path };
  });
}

export function ensureMeshBuilt(options: { force?: boolean; root?: string } = {}): 'built' | 'fresh' {
  const root = options.root ?? ROOT;
  checkContracts(root);
  const built = join(root, BUILT);
  if (!options.force && existsSync(built) && newestInput(root, [...INPUTS, ...additionalTypeDefs(root)]) <= statSync(built).mtimeMs) return 'fresh';
  const result = spawnSync(join(root, 'node_modules', '.bin', 'mesh'), ['build'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new ConfigError(`The composition in .meshrc.yaml does not build: ${buildFailure(`${result.stderr}\n${result.stdout}`) ?? 'see `npx mesh build`'}`);
  }
  writeRestContracts(root);
  return 'built';
}

/**
 * Bundles the gateway (scripts/start.ts) and the demo's launcher (scripts/demo.ts), after
 * `ensureMeshBuilt`, when a bundle is missing or older than its inputs.
 */
export async function ensureGatewayBundled(options: { force?: boolean; root?: string } = {}): Promise<'built' | 'fresh'> {
  const root = options.root ?? ROOT;
  const bundles = [[GATEWAY_BUNDLE, 'start.ts'], [DEMO_BUNDLE, 'demo.ts']] as const;
  const newest = newestInput(root, BUNDLE_INPUTS);
  const stale = bundles.filter(([bundle]) => options.force || !existsSync(join(root, bundle)) || newest > statSync(join(root, bundle)).mtimeMs);
  if (stale.length === 0) return 'fresh';
  await Promise.all(stale.map(([bundle, entry]) => bundleOne(join(root, 'scripts', entry), join(root, bundle))));
  return 'built';
}

/**
 * Private: one entry point and everything it imports, packages included, as one ES module in ASCII,
 * and its source map beside it (`<bundle>.map`) for bench/profile.ts to name the code a CPU profile
 * samples. The bundle does not link the map: nothing reads it at a start, even with
 * --enable-source-maps (it has no sources' text either, only positions).
 */
async function bundleOne(entry: string, bundle: string): Promise<void> {
  const { outputFiles } = await build({
    entryPoints: [entry],
    outfile: bundle,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages are bundled too: loading one 6 MB file instead of some 2,000 modules takes cold start from about
    // 1.4 s to 0.6 s on the bench machine (bench/results.md). The price is memory: V8 keeps the source of the
    // whole file, used or not, where unbundled it keeps only the modules loaded; so whitespace goes (names stay,
    // for readable stack traces). Left out: GraphiQL's page (9 MB of assets, loaded on the first page view only),
    // and the tools only builds use, which find their own files on disk.
    packages: 'bundle',
    minifyWhitespace: true,
    minifySyntax: true,
    external: ['@graphql-yoga/render-graphiql', 'esbuild', 'sync-fetch'],
    // CommonJS packages inside an ES module bundle still expect require, __filename and __dirname.
    banner: {
      js: [
        "import { createRequire as __switchboardRequire } from 'node:module';",
        "import { fileURLToPath as __switchboardPath } from 'node:url';",
        'const require = __switchboardRequire(import.meta.url);',
        'const __filename = __switchboardPath(import.meta.url);',
        "const __dirname = __switchboardPath(new URL('.', import.meta.url));",
      ].join('\n'),
    },
    plugins: [graphqlAsModules, jitWithoutPathMemo, rateLimiterRemembersUnlimitedFields],
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'error',
  });
  const code = outputFiles.find((file) => file.path.endsWith('.mjs'))!.text;
  const map = outputFiles.find((file) => file.path.endsWith('.mjs.map'))!.text;
  writeFileSync(bundle, asciiOnly(code));
  writeFileSync(`${bundle}.map`, mapAfterAsciiOnly(map, code));
}

/**
 * `source` with every character outside ASCII written as a `\uXXXX` escape. esbuild escapes
 * them in strings but leaves them in regular expression literals (a degree sign in a coordinates
 * pattern, an é in a plural rule), and one such character makes V8 hold the whole 6 MB source as two
 * bytes a character: 12 MB of heap instead of 6. The escape means the same character in a regular
 * expression (a pair of them, one astral character, with the `u` flag too), a string and an
 * identifier; the bundle has no String.raw of such text.
 */
export function asciiOnly(source: string): string {
  return source.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Private: graphql-jit 0.8.7 memoizes `joinOriginPaths` with lodash.memoize, whose cache is a Map
 * for the life of the process keyed by arrays that every compilation makes anew: it never answers
 * from the cache, and keeps some 1.5 KB per compiled document forever (20,000 distinct documents
 * left 29 MB behind). The bundle calls the function itself.
 */
const jitWithoutPathMemo = replacedOnce(
  'graphql-jit-without-path-memo',
  /[\\/]graphql-jit[\\/]dist[\\/]execution\.js$/,
  'const joinOriginPaths = (0, import_lodash.default)(joinOriginPathsImpl);',
  'const joinOriginPaths = joinOriginPathsImpl;',
  'graphql-jit changed: it no longer memoizes joinOriginPaths as expected; check the leak and this plugin.',
);

/**
 * Private: @envelop/rate-limiter 10.2.1 looks up each field's limit through graphql-tools' memoize4,
 * which keeps `undefined` but never answers it from the cache: for every field without a limit (all
 * but a few) it matched the configured globs and read the field's directives again, on every request
 * (14% of what a product page allocated). The bundle has the lookup answer `null` there instead,
 * which the cache keeps and the library reads as no limit, as before.
 */
const rateLimiterRemembersUnlimitedFields = replacedOnce(
  'rate-limiter-remembers-unlimited-fields',
  /[\\/]@envelop[\\/]rate-limiter[\\/]esm[\\/]index\.js$/,
  'if (!rateLimitConfig) {\n            return undefined;\n        }',
  'if (!rateLimitConfig) {\n            return null;\n        }',
  '@envelop/rate-limiter changed: it no longer answers undefined for a field without a limit as expected; check its memoization and this plugin.',
);

/**
 * Private: an esbuild plugin that bundles the package file `filter` finds with `text` replaced by
 * `replacement`; the build fails with `changed` when the file holds `text` other than once.
 */
function replacedOnce(name: string, filter: RegExp, text: string, replacement: string, changed: string): Plugin {
  return {
    name,
    setup(build) {
      build.onLoad({ filter }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (source.split(text).length !== 2) throw new Error(`${changed} (${args.path})`);
        return { contents: source.replace(text, replacement), loader: 'js' };
      });
    },
  };
}

/**
 * Private: graphql-js is bundled from its ES modules (`index.mjs` beside each `index.js`), for every
 * importer. esbuild otherwise takes its CommonJS files, and wraps them anew at each of the 444 modules
 * that import it: an object with a getter per export, some 100,000 closures (12 MB of heap) and a call
 * through a getter at every use. Taking the same files for `require` keeps one graphql-js in the bundle.
 */
const graphqlAsModules: Plugin = {
  name: 'graphql-as-modules',
  setup(build) {
    build.onResolve({ filter: /^graphql(\/.*)?$/ }, async (args) => {
      if (args.pluginData === 'graphql-as-modules') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'graphql-as-modules' });
      if (resolved.errors.length) return { errors: resolved.errors };
      const asModule = resolved.path.replace(/\.js$/, '.mjs');
      return { path: existsSync(asModule) ? asModule : resolved.path };
    });
  },
};

/** Private: the latest modification time of any file under `inputs`. */
function newestInput(root: string, inputs: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of inputs) visit(join(root, input));
  return newest;
}

/**
 * Private: what `mesh build`'s output says about why it failed, without colours, times and levels:
 * the first error and the cause Mesh prints on the line after it (not the warnings about the config
 * file it prints on every build).
 */
function buildFailure(output: string): string | undefined {
  const lines = output.replace(/\x1b\[[0-9;:]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean);
  const at = lines.findIndex((line) => !/\bWARN\b/.test(line) && /\b(ERR|ERROR|Error)\b/.test(line));
  if (at < 0) return undefined;
  const message = lines[at]!.replace(/^\[[^\]]+\]\s+(ERR|ERROR)\s+(\[[^\]]*\]\s+)?/, '').trim();
  const cause = lines[at + 1];
  return cause && !cause.startsWith('[') && !cause.startsWith('at ') ? `${message}: ${cause}` : message;
}
