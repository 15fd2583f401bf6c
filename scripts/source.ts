/**
 * Bring your own API:
 *
 *   npm run source:add -- <name> <contract file> [--endpoint <url>] [--prefix <TypePrefix>] [--auth <kind>]… [--reads <operations>]… [--param <name>=<value>]…
 *   npm run source:add -- --update <name> <new contract file> [--accept-breaking]
 *   npm run source:remove -- <name>
 *
 * `add` pins the contract (and the local files it refers to) under sources/<name>/, adds the source
 * to .meshrc.yaml with prefixes so that its names cannot collide with anyone else's, rebuilds the
 * composition and the gateway, and prints the new root fields and the variables its credentials
 * (`--auth`, as many as the provider needs) are read from; an OpenAPI source's operations that
 * only read though they are not GET (`--reads`, gateway/sources/rest/reads.ts) are Query fields, and
 * the parameters the gateway sets on every call (`--param`) are no client arguments. It keeps nothing when the public
 * schema the gateway would serve is not valid. `--update` pins a provider's new version of a source's
 * contract (gateway/compose/repin-source.ts), rebuilds, and shows what it changes in the source's
 * schema and in the public one (gateway/compose/contract-changes.ts); it keeps nothing while the
 * public schema would break for known clients, unless `--accept-breaking`, which acknowledges each
 * such change in generated/acknowledged-changes.json. `remove` undoes an addition. Either one changes nothing when it
 * fails: it says which source and why in one line, and exits with 1.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSchema, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { parseDocument, YAMLSeq } from 'yaml';
import { defaultPrefixes, invalidSourceName, isAdded, MANIFEST, PREPARED, readAddedSources, readSourceManifests, sourceUrlVariable, type AddedSource, type SourceManifest } from '../gateway/config/source-manifests.js';
import { ensureGatewayBundled, ensureMeshBuilt } from '../gateway/compose/build-mesh.js';
import { checkBuiltSchema } from '../gateway/compose/check-public-schema.js';
import { ContractError, readContract, type Contract } from '../gateway/compose/contracts.js';
import { PROJECT_ROOT } from '../gateway/config/project.js';
import { AUTH_USAGE, AuthSpecError, credentialTemplate } from '../gateway/config/credential-templates.js';
import { isPlaceholderField } from '../gateway/compose/public-schema.js';
import { contractOperations, meshFieldNames, selectReads } from '../gateway/sources/rest/reads.js';
import { withRequiredBodies } from '../gateway/sources/rest/required-bodies.js';
import { withClientArguments } from '../gateway/sources/rest/client-arguments.js';
import { createRestMediaLookup } from '../gateway/sources/rest/openapi-media.js';
import { repinSource, writePins, type Repinned } from '../gateway/compose/repin-source.js';
import { contractChanges, viewBuild, type ContractChanges } from '../gateway/compose/contract-changes.js';
import { ACKNOWLEDGED_CHANGES, describeChange, knownClients, type SchemaChange } from '../gateway/compose/schema-changes.js';

class SourceError extends Error {}

const MESHRC = join(PROJECT_ROOT, '.meshrc.yaml');
const BUILT = join(PROJECT_ROOT, '.mesh');

async function main(args: string[]): Promise<void> {
  const [command, name, ...rest] = args;
  if (command === 'add' && name === '--update' && rest[0] && rest[1] && (rest.length === 2 || (rest.length === 3 && rest[2] === '--accept-breaking'))) {
    await update(rest[0], rest[1], rest.length === 3);
  } else if (command === 'add' && name && !name.startsWith('--') && rest[0] && !rest[0].startsWith('--')) {
    await add(name, rest[0], options(rest.slice(1)));
  } else if (command === 'remove' && name && rest.length === 0) {
    await remove(name);
  } else {
    throw new SourceError(`usage: npm run source:add -- <name> <contract file> [--endpoint <url>] [--prefix <TypePrefix>] [--auth <kind>]... (kinds: ${AUTH_USAGE}) [--reads <operationId, pattern or "POST /path">]... [--param <name>=<value>]..., npm run source:add -- --update <name> <new contract file> [--accept-breaking], or npm run source:remove -- <name>`);
  }
}

interface AddOptions {
  endpoint?: string;
  prefix?: string;
  auth: string[];
  reads: string[];
  param: string[];
}

/** Private: `--endpoint` and `--prefix`, each once; `--auth`, once per credential; `--reads` and `--param`, as many as needed. */
function options(args: string[]): AddOptions {
  const found: AddOptions = { auth: [], reads: [], param: [] };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    const value = args[i + 1];
    const once = flag === '--endpoint' || flag === '--prefix';
    const many = flag === '--auth' || flag === '--reads' || flag === '--param';
    if ((!once && !many) || value === undefined || value.startsWith('--') || (once && found[flag.slice(2) as 'endpoint' | 'prefix'] !== undefined)) {
      throw new SourceError(`${flag} is not an option here (options: --endpoint <url>, --prefix <TypePrefix>, each once, --auth <kind> per credential, --reads <operations> and --param <name>=<value> as often as needed, each with a value)`);
    }
    if (once) found[flag.slice(2) as 'endpoint' | 'prefix'] = value;
    else found[flag.slice(2) as 'auth' | 'reads' | 'param'].push(value);
  }
  return found;
}

async function add(name: string, contractPath: string, given: AddOptions): Promise<void> {
  const fail = (why: string): never => {
    throw new SourceError(`source:add ${name}: ${why}`);
  };
  const invalid = invalidSourceName(name);
  if (invalid) fail(invalid);
  const folder = join(PROJECT_ROOT, 'sources', name);
  const meshrcText = readFileSync(MESHRC, 'utf8');
  const meshrc = parseDocument(meshrcText);
  const entries = meshrc.get('sources') as YAMLSeq<{ get(key: string): unknown }>;
  if (existsSync(folder) || entries.items.some((item) => item.get('name') === name)) fail(`there is a source named ${name} already (npm run source:remove -- ${name} first)`);
  const contract = readGivenContract(contractPath, fail);
  if (given.endpoint !== undefined && !/^https?:\/\/[^\s{}]+$/.test(given.endpoint)) fail(`--endpoint must be an http(s) URL, but got: ${JSON.stringify(given.endpoint)}`);
  if (given.prefix !== undefined && !/^[A-Z][A-Za-z0-9]{0,29}$/.test(given.prefix)) fail(`--prefix must be a type name prefix such as Carrier (a capital letter, then letters and digits), but got: ${JSON.stringify(given.prefix)}`);
  const prefixes = given.prefix
    ? { typePrefix: given.prefix, fieldPrefix: `${given.prefix[0]!.toLowerCase()}${given.prefix.slice(1)}_` }
    : defaultPrefixes(name);
  let added: AddedSource[] = [];
  try {
    added = readAddedSources();
  } catch (error) {
    fail((error as Error).message);
  }
  const taken = added.find((source) => source.typePrefix === prefixes.typePrefix || source.fieldPrefix === prefixes.fieldPrefix);
  if (taken) fail(`the prefix ${prefixes.typePrefix} is ${taken.name}'s already: give another with --prefix`);
  const endpoint = given.endpoint?.replace(/\/+$/, '') ?? contract.endpoint;
  const auth = given.auth.map((spec) => {
    try {
      return credentialTemplate(name, spec);
    } catch (error) {
      if (error instanceof AuthSpecError) return fail(error.message);
      throw error;
    }
  });
  const parameters: Record<string, string> = {};
  for (const pair of given.param) {
    const at = pair.indexOf('=');
    if (at < 1) fail(`--param takes <name>=<value> (a parameter the gateway sets on every call, such as api-version=2024-01-01), but got: ${JSON.stringify(pair)}`);
    parameters[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (given.param.length && contract.kind !== 'openapi') fail(`--param is for OpenAPI sources: a ${contract.format} contract's arguments are its own`);
  if (given.reads.length && contract.kind !== 'openapi') fail(`--reads is for OpenAPI sources: a ${contract.format} contract says itself which operations read`);
  let reads: string[] = [];
  try {
    const operations = selectReads(contractOperations(contract.document), given.reads);
    const notGet = operations.filter((operation) => operation.method !== 'GET');
    if (notGet.length) reads = await withPinsIn(contract, (pinned) => meshFieldNames(join(pinned, contract.main), notGet));
  } catch (error) {
    fail((error as Error).message);
  }
  const manifest: AddedSource = {
    name, kind: contract.kind, contract: contract.main, ...(endpoint ? { endpoint } : {}), ...prefixes,
    credentials: auth.map((one) => one.credential), policy: {}, idempotentOperations: [], parameters,
  };

  entries.add(meshrc.createNode(meshrcEntry(manifest, reads)));
  await changeProject(`source:add ${name}`, meshrcText, () => {
    writePins(contract, folder);
    if (contract.kind === 'soap') writeFileSync(join(folder, 'source.ts'), soapModule(manifest));
    writeFileSync(join(folder, MANIFEST), `${JSON.stringify(manifestFile(manifest), null, 2)}\n`);
    writeFileSync(MESHRC, meshrc.toString({ lineWidth: 0 }));
  }, () => rmSync(folder, { recursive: true, force: true }), checkBuiltSchema);

  const pinnedFiles = contract.pins.filter((pin) => !pin.to.startsWith(`${PREPARED}/`)).length;
  const prepared = pinnedFiles < contract.pins.length ? `, the copies Mesh reads in sources/${name}/${PREPARED}/` : '';
  console.log(`Added ${name} (${contract.format}, ${pinnedFiles} file${pinnedFiles === 1 ? '' : 's'} pinned in sources/${name}/${prepared}).`);
  console.log(endpoint
    ? `Its upstream: ${endpoint} (set ${sourceUrlVariable(name)} to point it elsewhere).`
    : `Set ${sourceUrlVariable(name)} to its upstream's URL before starting the gateway: the contract names none.`);
  const variables = auth.flatMap((one) => one.variables);
  if (variables.length) console.log(`Its credentials (sources/${name}/${MANIFEST}) are read from: ${variables.join(', ')}; set them before starting the gateway.`);
  const fields = newRootFields(manifest.fieldPrefix);
  console.log(`New root fields (${fields.length}):`);
  for (const field of fields) console.log(`  ${field}`);
}

/** Private: the contract file a command was given; what is wrong with it fails the command in one line. */
function readGivenContract(contractPath: string, fail: (why: string) => never): Contract {
  try {
    return readContract(resolve(contractPath));
  } catch (error) {
    if (error instanceof ContractError) return fail(`${contractPath}: ${error.message}`);
    throw error;
  }
}

/** Private: `use` of the contract's files as they will be pinned, in a folder of their own that is gone afterwards. */
async function withPinsIn<T>(contract: Contract, use: (folder: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), 'switchboard-contract-'));
  try {
    writePins(contract, folder);
    return await use(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function update(name: string, contractPath: string, acceptBreaking: boolean): Promise<void> {
  const fail = (why: string): never => {
    throw new SourceError(`source:add --update ${name}: ${why}`);
  };
  let manifests: SourceManifest[] = [];
  try {
    manifests = readSourceManifests();
  } catch (error) {
    fail((error as Error).message);
  }
  const manifest = manifests.find((source) => source.name === name) ?? fail(`there is no source named ${name} (npm run source:add -- ${name} <contract file> adds one)`);
  const contract = readGivenContract(contractPath, fail);
  ensureMeshBuilt();
  const before = viewBuild(PROJECT_ROOT, name);
  const known = await knownClients();
  let pinned: Repinned | undefined;
  let changes: ContractChanges | undefined;
  await changeProject(`source:add --update ${name}`, readFileSync(MESHRC, 'utf8'), () => {
    try {
      pinned = repinSource(PROJECT_ROOT, manifest, contract);
    } catch (error) {
      if (error instanceof ContractError) throw new Error(`${contractPath}: ${error.message}`);
      throw error;
    }
  }, () => pinned?.restore(), async () => {
    checkBuiltSchema();
    changes = await contractChanges(name, before, viewBuild(PROJECT_ROOT, name), known);
    printChanges(changes);
    const breaking = changes.public.unacknowledged;
    if (breaking.length && !acceptBreaking) {
      throw new Error(`${breaking.length} breaking change(s) of the public schema that known clients would meet (above): make them safe for clients first (deprecate, then remove), or take them with --accept-breaking`);
    }
  });
  pinned!.discard();
  const accepted = changes!.public.unacknowledged;
  if (accepted.length) acknowledge(accepted, `accepted with source:add --update ${name} on ${new Date().toISOString().slice(0, 10)}`);
  console.log(`Updated ${name} to the ${contract.format} contract in ${contractPath} (pinned in sources/${name}/).`);
  if (accepted.length) console.log(`The ${accepted.length} breaking change(s) are acknowledged in ${ACKNOWLEDGED_CHANGES}: say there why clients are ready.`);
  if (changes!.public.changes.length) console.log('Review the new public schema with npm run generate (generated/schema.graphql).');
}

/** Private: what an update changes, the source's contract first, then the public schema. */
function printChanges({ source, contract, public: exposed }: ContractChanges): void {
  const list = (title: string, changes: SchemaChange[]) => {
    console.log(changes.length ? `${title} (${changes.length}):` : `${title}: none.`);
    for (const change of changes) console.log(`  ${describeChange(change)}`);
  };
  list(`Changes of ${source}'s contract`, contract);
  list('Changes of the public schema', exposed.changes);
}

/** Private: acknowledges breaking changes in the reviewed file, each with `reason`. */
function acknowledge(changes: SchemaChange[], reason: string): void {
  const path = join(PROJECT_ROOT, ACKNOWLEDGED_CHANGES);
  const listed = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { change: string; reason: string }[]) : [];
  writeFileSync(path, `${JSON.stringify([...listed, ...changes.map((change) => ({ change: change.message, reason }))], null, 2)}\n`);
}

async function remove(name: string): Promise<void> {
  const folder = join(PROJECT_ROOT, 'sources', name);
  if (!existsSync(join(folder, MANIFEST))) throw new SourceError(`source:remove ${name}: there is no source named ${name}`);
  if (!readSourceManifests().some((source) => source.name === name && isAdded(source))) {
    throw new SourceError(`source:remove ${name}: ${name} was not added with source:add (its manifest has no prefixes): take it out of .meshrc.yaml and the stitched graph by hand`);
  }
  const meshrcText = readFileSync(MESHRC, 'utf8');
  const meshrc = parseDocument(meshrcText);
  const entries = meshrc.get('sources') as YAMLSeq<{ get(key: string): unknown }>;
  entries.items = entries.items.filter((item) => item.get('name') !== name);
  const parked = join(PROJECT_ROOT, `.source-${name}.removed-${process.pid}`);
  await changeProject(`source:remove ${name}`, meshrcText, () => {
    renameSync(folder, parked);
    writeFileSync(MESHRC, meshrc.toString({ lineWidth: 0 }));
  }, () => {
    if (existsSync(parked)) renameSync(parked, folder);
  });
  rmSync(parked, { recursive: true, force: true });
  console.log(`Removed ${name}; the gateway is rebuilt without it.`);
}

/**
 * Private: makes a change to the project and rebuilds; when the build fails, or `check` refuses the
 * built composition, puts back .meshrc.yaml, the built composition and whatever `undo` restores, so
 * that nothing is half done.
 */
async function changeProject(what: string, meshrcText: string, change: () => void, undo: () => void, check?: () => void | Promise<void>): Promise<void> {
  const saved = `${BUILT}.before-${process.pid}`;
  rmSync(saved, { recursive: true, force: true });
  if (existsSync(BUILT)) cpSync(BUILT, saved, { recursive: true });
  try {
    change();
    ensureMeshBuilt({ force: true });
    await check?.();
    await ensureGatewayBundled({ force: true });
  } catch (error) {
    writeFileSync(MESHRC, meshrcText);
    undo();
    rmSync(BUILT, { recursive: true, force: true });
    if (existsSync(saved)) renameSync(saved, BUILT);
    throw new SourceError(`${what}: ${(error as Error).message.split('\n')[0]} (nothing was changed)`);
  }
  rmSync(saved, { recursive: true, force: true });
}

/** Private: the manifest as source:add writes it: no empty blocks. */
function manifestFile(manifest: AddedSource): Record<string, unknown> {
  const { credentials, policy, idempotentOperations, parameters, ...rest } = manifest;
  return { ...rest, ...(credentials.length ? { credentials } : {}), ...(parameters && Object.keys(parameters).length ? { parameters } : {}) };
}

/**
 * Private: the source in .meshrc.yaml: its handler over the pinned contract (with the root fields of
 * its reads that are not GET, which Mesh makes Query fields), and its prefixes.
 */
function meshrcEntry(source: AddedSource, reads: string[]): Record<string, unknown> {
  const contract = `./sources/${source.name}/${source.contract}`;
  const endpoint = `{env.${sourceUrlVariable(source.name)}}`;
  const selected = reads.length ? { selectQueryOrMutationField: reads.map((fieldName) => ({ type: 'Query', fieldName })) } : {};
  const handler = {
    openapi: { openapi: { source: contract, endpoint, ignoreErrorResponses: true, ...selected } },
    graphql: { graphql: { source: contract, endpoint } },
    soap: { graphql: { source: `./sources/${source.name}/source.ts` } },
  }[source.kind];
  return {
    name: source.name,
    handler,
    transforms: [
      { prefix: { mode: 'wrap', value: source.typePrefix, includeTypes: true } },
      { prefix: { mode: 'wrap', value: source.fieldPrefix, includeTypes: false, includeRootOperations: true } },
    ],
  };
}

/** Private: the module that serves a WSDL's operations as a schema (gateway/sources/soap/soap-schema.ts). */
function soapModule(source: AddedSource): string {
  return `// Written by npm run source:add: the ${source.name} SOAP service, as a schema built from its pinned WSDL.
import { soapSourceSchema } from '../../gateway/sources/soap/soap-source.js';

export const schema = soapSourceSchema(${JSON.stringify(source.name)}, ${JSON.stringify(source.contract)});
`;
}

/**
 * Private: the root fields the built composition has with the prefix, as `Query.carrier_parcel(id: ID!): CarrierParcel`,
 * with the arguments clients see: a required body required, and no argument the gateway fills.
 */
function newRootFields(prefix: string): string[] {
  const built = buildSchema(readFileSync(join(BUILT, 'schema.graphql'), 'utf8'), { assumeValidSDL: true });
  const manifests = readSourceManifests();
  const schema = withClientArguments(withRequiredBodies(built, createRestMediaLookup(PROJECT_ROOT)), (source) => manifests.find((manifest) => manifest.name === source));
  const describe = (root: GraphQLObjectType | null | undefined) => Object.values(root?.getFields() ?? {})
    .filter((field) => field.name.startsWith(prefix) && !isPlaceholderField(field.name, [prefix]))
    .map((field: GraphQLField<unknown, unknown>) => {
      const args = field.args.length ? `(${field.args.map((arg) => `${arg.name}: ${arg.type.toString()}`).join(', ')})` : '';
      return `${root!.name}.${field.name}${args}: ${field.type.toString()}`;
    });
  return [...describe(schema.getQueryType()), ...describe(schema.getMutationType()), ...describe(schema.getSubscriptionType())];
}

// Where operation usage is recorded (OPERATION_USAGE), for --update's check, as the gateway reads it.
if (existsSync('.env')) process.loadEnvFile('.env');
try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof SourceError ? error.message : `source: ${(error as Error).message}`);
  process.exit(1);
}
