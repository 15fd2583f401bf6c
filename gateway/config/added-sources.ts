/**
 * The sources an integration engineer brought (`npm run source:add`), beside the four the demo world
 * ships with. Each lives in `sources/<name>/`: its pinned contract and a manifest, `source.json`,
 * which says what kind of contract it is, where its upstream answers by default, and the prefixes
 * that keep its names apart from everyone else's in the unified schema. The gateway reads the
 * manifests at start; `.meshrc.yaml` holds the same source for the composition.
 *
 *   readAddedSources();   // [{ name: 'carrier', kind: 'openapi', contract: 'openapi.yaml', endpoint: 'https://…', … }]
 *   sourceUrlVariable('carrier');   // 'CARRIER_URL'
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, SOURCE_NAMES } from './config.js';

/** The folder, in an OpenAPI source's, of the copies of its contract that Mesh's handler reads (gateway/compose/contracts.ts). */
export const PREPARED = 'prepared';
import { PROJECT_ROOT } from './project.js';

export type ContractKind = 'openapi' | 'graphql' | 'soap';

export interface AddedSource {
  /** Lower-case letters and digits, starting with a letter: it names the source's variables too. */
  name: string;
  kind: ContractKind;
  /** The contract the source's handler reads: a file in `sources/<name>/`, or the copy of it in `prepared/`. */
  contract: string;
  /** Where the upstream answers unless `<NAME>_URL` says otherwise. */
  endpoint?: string;
  /** Before each of the source's type names in the unified schema (`Carrier` → `CarrierShipment`). */
  typePrefix: string;
  /** Before each of the source's root fields (`carrier_` → `carrier_shipment`). */
  fieldPrefix: string;
}

export const MANIFEST = 'source.json';
const NAME = /^[a-z][a-z0-9]{0,29}$/;
const KINDS: readonly ContractKind[] = ['openapi', 'graphql', 'soap'];
/** What each request's GraphQL context holds besides the added sources, which Mesh's resolvers find there by name. */
const RESERVED = ['sources', 'batching', 'orders', 'events', 'viewer', 'request', 'params', 'headers', 'pubsub', 'cache', 'logger', 'fetch', 'req', 'res', 'upstreamscope', 'connectionparams', 'waituntil'];

/** Why `name` cannot name a new source, or undefined when it can. */
export function invalidSourceName(name: string): string | undefined {
  if (!NAME.test(name)) return 'a source name is 1 to 30 lower-case letters and digits, starting with a letter';
  if ((SOURCE_NAMES as readonly string[]).includes(name) || name === 'world') return `${name} is one of Switchboard's own sources`;
  if (RESERVED.includes(name)) return `${name} is a name the gateway keeps for itself (each request's context has it)`;
  return undefined;
}

/** The variable that points a source at its upstream. */
export function sourceUrlVariable(name: string): string {
  return `${name.toUpperCase()}_URL`;
}

/** The default prefixes of a source's names: `carrier` → types `Carrier…`, root fields `carrier_…`. */
export function defaultPrefixes(name: string): Pick<AddedSource, 'typePrefix' | 'fieldPrefix'> {
  return { typePrefix: name[0]!.toUpperCase() + name.slice(1), fieldPrefix: `${name}_` };
}

/** Every added source's manifest, in name order; a manifest that does not read stops the start with one line. */
export function readAddedSources(root = PROJECT_ROOT): AddedSource[] {
  const folder = join(root, 'sources');
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && existsSync(join(folder, entry.name, MANIFEST)))
    .map((entry) => readManifest(join(folder, entry.name, MANIFEST), entry.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Private: one manifest, checked field by field. */
function readManifest(path: string, folder: string): AddedSource {
  const fail = (why: string): never => {
    throw new ConfigError(`${folder}: sources/${folder}/${MANIFEST} ${why}; add the source again with npm run source:add.`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail(`is not JSON (${(error as Error).message})`);
  }
  const manifest = (raw ?? {}) as Record<string, unknown>;
  const text = (key: string, pattern?: RegExp) => {
    const value = manifest[key];
    if (typeof value !== 'string' || (pattern && !pattern.test(value))) fail(`has no valid "${key}"`);
    return value as string;
  };
  if (manifest.name !== folder) fail(`names another source (${JSON.stringify(manifest.name)})`);
  const kind = text('kind') as ContractKind;
  if (!KINDS.includes(kind)) fail(`has an unknown "kind" (${kind})`);
  const contract = text('contract', new RegExp(`^(${PREPARED}/)?[\\w.-]+$`));
  if (!existsSync(join(path, '..', contract))) fail(`names a contract that is not there (${contract})`);
  const endpoint = manifest.endpoint === undefined ? undefined : text('endpoint', /^https?:\/\/\S+$/);
  return {
    name: folder,
    kind,
    contract,
    ...(endpoint ? { endpoint } : {}),
    typePrefix: text('typePrefix', /^[A-Z][A-Za-z0-9]*$/),
    fieldPrefix: text('fieldPrefix', /^[a-z][A-Za-z0-9]*_$/),
  };
}
