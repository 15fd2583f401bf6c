/**
 * Whether the gateway can serve its public schema at all. graphql-js checks a schema at the first
 * request and, when it is not valid, answers that request and every later one with an error: a
 * contract that a handler turned into a type without fields would take every client down, the
 * demo's `products` and `{ __typename }` included. So the gateway checks the schema before it
 * starts, and `npm run source:add` before it keeps a source, and both say in one line the first bad
 * type, why, and which source it came from (issue 17).
 *
 *   checkPublicSchema(schema, config.added.map((source) => source.manifest));
 *   // throws ConfigError: The public schema is not valid: learning: type LearningCourseID must define one or more fields.
 *
 * graphql-js keeps the result of the check on the schema, so the first request does not pay for it again.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validateSchema, type GraphQLSchema } from 'graphql';
import { readAddedSources, type AddedSource } from '../config/source-manifests.js';
import { ConfigError } from '../config/config.js';
import { PROJECT_ROOT } from '../config/project.js';
import { toPublicSchema } from './public-schema.js';

/** Names the source a type of the public schema came from, when it can tell. */
export type TypeOrigin = (typeName: string) => string | undefined;

/** Throws a ConfigError of one line when `schema` is not valid (see publicSchemaProblem). */
export function checkPublicSchema(schema: GraphQLSchema, added: readonly Pick<AddedSource, 'name' | 'typePrefix'>[], root = PROJECT_ROOT): void {
  const problem = publicSchemaProblem(schema, (type) => typeOrigin(type, added, root));
  if (problem) throw new ConfigError(`The public schema is not valid: ${problem}`);
}

/**
 * Checks the public schema of the composition built in `root`/.mesh, with the added sources whose
 * manifests are in `root`/sources: what `npm run source:add` asks before it keeps a source. It is the
 * schema the gateway would serve: toPublicSchema over the built composition (the resolvers the
 * gateway attaches do not change which types and fields there are).
 */
export function checkBuiltSchema(root = PROJECT_ROOT): void {
  const added = readAddedSources(root);
  const built = buildSchema(readFileSync(join(root, '.mesh', 'schema.graphql'), 'utf8'), { assumeValidSDL: true });
  checkPublicSchema(toPublicSchema(built, {}, { meshResolvedPrefixes: added.map((source) => source.fieldPrefix) }), added, root);
}

/**
 * The first thing graphql-js finds wrong with `schema`, as one line that starts with the source of
 * the type it names: `learning: type LearningCourseID must define one or more fields.`; undefined
 * when the schema is valid.
 */
export function publicSchemaProblem(schema: GraphQLSchema, origin: TypeOrigin): string | undefined {
  const [first] = validateSchema(schema);
  if (!first) return undefined;
  const message = first.message.split('\n')[0]!;
  const words = message.match(/[_A-Za-z][_0-9A-Za-z]*/g) ?? [];
  // Every source adds to the root types: a type the message names beside them says more.
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map((root) => root?.name));
  const named = words.filter((word) => schema.getType(word) !== undefined);
  const type = named.find((word) => !roots.has(word)) ?? named[0];
  const source = (type && origin(type)) ?? 'the composition';
  // "Type X must …" reads as the end of a sentence after "learning: "; a type's own name keeps its case.
  const reason = words[0] === type ? message : `${message[0]!.toLowerCase()}${message.slice(1)}`;
  return `${source}: ${reason}`;
}

/**
 * Private: the one source that defines `typeName` in the built composition (Mesh writes each source's
 * schema, its prefixes applied, to .mesh/sources/<name>/schema.graphql), else the added source whose
 * type prefix it starts with (the longest), else undefined (the stitched graph's own types).
 */
function typeOrigin(typeName: string, added: readonly Pick<AddedSource, 'name' | 'typePrefix'>[], root: string): string | undefined {
  const folder = join(root, '.mesh', 'sources');
  const defining = (existsSync(folder) ? readdirSync(folder) : []).filter((name) => definedTypes(join(folder, name, 'schema.graphql')).has(typeName));
  if (defining.length === 1) return defining[0];
  const byPrefix = added.filter((source) => typeName.startsWith(source.typePrefix)).sort((a, b) => b.typePrefix.length - a.typePrefix.length);
  return byPrefix[0]?.name;
}

/** Private: the names of the types an SDL file defines; none when it is missing or does not parse. */
function definedTypes(path: string): Set<string> {
  if (!existsSync(path)) return new Set();
  try {
    return new Set(parse(readFileSync(path, 'utf8')).definitions.flatMap((definition) => ('name' in definition && definition.name ? [definition.name.value] : [])));
  } catch {
    return new Set();
  }
}
