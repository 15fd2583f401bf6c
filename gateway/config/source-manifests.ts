/**
 * Every source the gateway serves, the demo's and those an integration engineer brought
 * (`npm run source:add`), is a folder `sources/<name>/`: its pinned contract and a manifest,
 * `source.json`, which declares what the gateway needs to serve it: what kind of contract it is,
 * where its upstream answers by default, the credentials it is called with
 * (gateway/config/credentials.ts), its upstream policy's defaults, and, for a source whose root
 * fields are public, the prefixes that keep its names apart from everyone else's in the unified
 * schema. The gateway reads the manifests at start; `.meshrc.yaml` holds the same sources for the
 * composition.
 *
 *   readSourceManifests();   // [{ name: 'carrier', kind: 'openapi', contract: 'openapi.yaml', endpoint: 'https://…', … }]
 *   sourceUrlVariable('carrier');   // 'CARRIER_URL'
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, POLICY_SETTINGS, type UpstreamPolicySettings } from './config.js';
import { checkDeclaredCredentials, type DeclaredCredential } from './credentials.js';
import { checkDeclaredWebhook, type WebhookDeclaration } from './webhooks.js';

/** The folder, in an OpenAPI source's, of the copies of its contract that Mesh's handler reads (gateway/compose/contracts.ts). */
export const PREPARED = 'prepared';
import { PROJECT_ROOT } from './project.js';

export type ContractKind = 'openapi' | 'graphql' | 'soap';

export interface SourceManifest {
  /** Lower-case letters and digits, starting with a letter: it names the source's variables too. */
  name: string;
  kind: ContractKind;
  /** The contract the source's handler reads: a file in `sources/<name>/`, or the copy of it in `prepared/`. */
  contract: string;
  /** Where the upstream answers unless `<NAME>_URL` says otherwise. */
  endpoint?: string;
  /** What each call to the source carries, values from the environment (`{env.NAME}`). */
  credentials: DeclaredCredential[];
  /** The source's upstream policy where `<NAME>_<SETTING>` is unset (a provider's quota, say). */
  policy: Partial<UpstreamPolicySettings>;
  /**
   * A SOAP source's operations that change data but are safe to send again (the caller names what
   * they create, say), so retried like reads. A WSDL cannot say it; the provider's documentation does.
   */
  idempotentOperations: string[];
  /**
   * Parameters the gateway sets on every call to a REST source, by the contract's name (an Azure
   * `api-version`, a tenant): no client argument (gateway/sources/rest/client-arguments.ts).
   */
  parameters?: Record<string, string>;
  /** The webhooks the source sends (gateway/config/webhooks.ts), if any. */
  webhook?: WebhookDeclaration;
  /**
   * How long what the source answers stays fresh, in seconds, by public type (`{ "StockLevel": 60 }`):
   * the entity cache keeps those items that long, unless a webhook says one changed (gateway/cache/).
   */
  cache?: Record<string, number>;
  /**
   * Where the provider publishes its live contract, for `npm run sources:drift`: a path under the
   * source's URL (`/openapi.json`, `?wsdl`) or a URL; `false` when it publishes none. Unset, a SOAP
   * service's is at `?wsdl` and a GraphQL API's is read by introspection (gateway/compose/live-contracts.ts).
   */
  liveContract?: string | false;
}

/**
 * A source added with `source:add`: its root fields are public, under its prefixes. (A source that
 * only the stitched graph reads, as the demo's are, is composed in `.meshrc.yaml` by hand and has none.)
 */
export interface AddedSource extends SourceManifest {
  /** Before each of the source's type names in the unified schema (`Carrier` → `CarrierShipment`). */
  typePrefix: string;
  /** Before each of the source's root fields (`carrier_` → `carrier_shipment`). */
  fieldPrefix: string;
}

/** Whether a source's root fields are public, under the prefixes `source:add` gave it. */
export function isAdded(manifest: SourceManifest): manifest is AddedSource {
  return 'fieldPrefix' in manifest;
}

export const MANIFEST = 'source.json';
const NAME = /^[a-z][a-z0-9]{0,29}$/;
const KINDS: readonly ContractKind[] = ['openapi', 'graphql', 'soap'];
/** What each request's GraphQL context holds besides the added sources, which Mesh's resolvers find there by name. */
const RESERVED = ['sources', 'batching', 'orders', 'events', 'viewer', 'request', 'params', 'headers', 'pubsub', 'cache', 'logger', 'fetch', 'req', 'res', 'upstreamscope', 'connectionparams', 'waituntil', 'entitycache'];

/** Why `name` cannot name a new source, or undefined when it can. */
export function invalidSourceName(name: string): string | undefined {
  if (!NAME.test(name)) return 'a source name is 1 to 30 lower-case letters and digits, starting with a letter';
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

/** The sources added with `source:add`, in name order. */
export function readAddedSources(root = PROJECT_ROOT): AddedSource[] {
  return readSourceManifests(root).filter(isAdded);
}

/** Every source's manifest, in name order; a manifest that does not read stops the start with one line. */
export function readSourceManifests(root = PROJECT_ROOT): SourceManifest[] {
  const folder = join(root, 'sources');
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && existsSync(join(folder, entry.name, MANIFEST)))
    .map((entry) => readManifest(join(folder, entry.name, MANIFEST), entry.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Private: one manifest, checked field by field. */
function readManifest(path: string, folder: string): SourceManifest {
  const fail = (why: string): never => {
    throw new ConfigError(`${folder}: sources/${folder}/${MANIFEST} ${why}; fix it (README, "Source manifests"), or add the source again with npm run source:add.`);
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
  const known = ['name', 'kind', 'contract', 'endpoint', 'typePrefix', 'fieldPrefix', 'credentials', 'policy', 'idempotentOperations', 'parameters', 'webhook', 'cache', 'liveContract'];
  const unknown = Object.keys(manifest).find((key) => !known.includes(key));
  if (unknown !== undefined) fail(`has "${unknown}", which a manifest does not take (it takes ${known.join(', ')})`);
  const read: SourceManifest = {
    name: folder,
    kind,
    contract,
    ...(endpoint ? { endpoint } : {}),
    credentials: checkDeclaredCredentials(manifest.credentials, fail),
    policy: readPolicyDefaults(manifest.policy, fail),
    idempotentOperations: readNames(manifest.idempotentOperations, 'idempotentOperations', fail),
    ...(manifest.parameters === undefined ? {} : { parameters: readParameters(manifest.parameters, fail) }),
    ...(manifest.cache === undefined ? {} : { cache: readCache(manifest.cache, fail) }),
    ...(manifest.liveContract === undefined ? {} : { liveContract: readLiveContract(manifest.liveContract, fail) }),
  };
  const webhook = checkDeclaredWebhook(manifest.webhook, fail);
  if (webhook) read.webhook = webhook;
  if (manifest.typePrefix === undefined && manifest.fieldPrefix === undefined) return read;
  const added: AddedSource = { ...read, typePrefix: text('typePrefix', /^[A-Z][A-Za-z0-9]*$/), fieldPrefix: text('fieldPrefix', /^[a-z][A-Za-z0-9]*_$/) };
  return added;
}

/** Private: a list of names (operations), empty when left out. */
function readNames(raw: unknown, key: string, fail: (why: string) => never): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(item))) fail(`has a "${key}" that is not a list of names`);
  return raw as string[];
}

/** Private: a manifest's "parameters": values by parameter name, each a string. */
function readParameters(raw: unknown, fail: (why: string) => never): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('has "parameters" that is not an object of parameter names and values');
  for (const [name, value] of Object.entries(raw as object)) {
    if (!name.trim() || typeof value !== 'string') fail(`has parameters.${name} that is not a string value`);
  }
  return raw as Record<string, string>;
}

/** Private: a manifest's "cache": seconds of freshness by public type name, each from 1 to a day. */
function readCache(raw: unknown, fail: (why: string) => never): Record<string, number> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('has a "cache" that is not an object of type names and seconds');
  for (const [type, seconds] of Object.entries(raw as object)) {
    if (!/^[A-Z_a-z]\w*$/.test(type)) fail(`has cache.${type}, which is not a type name`);
    if (!Number.isInteger(seconds) || (seconds as number) < 1 || (seconds as number) > 86_400) fail(`has cache.${type} that is not a whole number of seconds from 1 to 86400`);
  }
  return raw as Record<string, number>;
}

/** Private: a manifest's "liveContract": a path under the source's URL, a URL, or false. */
function readLiveContract(raw: unknown, fail: (why: string) => never): string | false {
  if (raw === false || (typeof raw === 'string' && /^(https?:\/\/[^\s{}]+|[/?][^\s{}]*)$/.test(raw))) return raw;
  return fail('has a "liveContract" that is neither a path under the source\'s URL ("/openapi.json", "?wsdl"), an http(s) URL, nor false');
}

/** Private: a manifest's "policy": settings of the upstream policy by name, each a whole number. */
function readPolicyDefaults(raw: unknown, fail: (why: string) => never): Partial<UpstreamPolicySettings> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('has a "policy" that is not an object');
  for (const [key, value] of Object.entries(raw as object)) {
    if (!(POLICY_SETTINGS as readonly string[]).includes(key)) fail(`has policy.${key}, which is none of ${POLICY_SETTINGS.join(', ')}`);
    if (!Number.isInteger(value) || (value as number) < 0) fail(`has policy.${key} that is not a whole number`);
  }
  return raw as Partial<UpstreamPolicySettings>;
}
