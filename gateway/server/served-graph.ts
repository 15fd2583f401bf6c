/**
 * The graph the gateway serves, assembled once at start-up: the composition `npm run build` wrote to
 * .mesh/, the project's own code (gateway/stitching/graph-code.ts), what the composition declares
 * (`@join`, `@event`, access rules, `@cacheControl`), and the REST sources' operations as their
 * contracts wrote them. Whatever graphql-js would refuse, a rate limit on a field the schema lacks,
 * or a freshness given to a type it does not have stops the start in one line.
 *
 *   const mesh = await loadBuiltMesh();
 *   const graph = servedGraph(mesh, config, options.graph, restMedia);   // { schema, joins, rules, hints }
 */
import { isObjectType, type GraphQLSchema } from 'graphql';
import { getInContextSDK } from '@graphql-mesh/utils';
import { ConfigError, type GatewayConfig } from '../config/config.js';
import type { ServedGraph } from '../cache/start-caches.js';
import { readCacheHints } from '../cache/cache-policy.js';
import { toPublicSchema, type Resolvers } from '../compose/public-schema.js';
import { checkPublicSchema } from '../compose/check-public-schema.js';
import { eventResolvers, readEventFields } from '../events/event-subscriptions.js';
import { readAccessRules, withAccessRules } from '../plugins/auth/rules.js';
import { withContractConstraints } from '../plugins/use-contract-constraints.js';
import type { FieldRateLimit } from '../plugins/use-rate-limits.js';
import { checkLeafValues } from '../sources/leaf-checks.js';
import type { RestMedia } from '../sources/rest/openapi-media.js';
import { withRequiredBodies } from '../sources/rest/required-bodies.js';
import { withClientArguments } from '../sources/rest/client-arguments.js';
import { withBinaryAnswers } from '../sources/rest/binary-answers.js';
import { withUploads } from '../sources/rest/uploads.js';
import type { RawSource } from '../sources/source-clients.js';
import type { GraphCode } from '../stitching/graph-code.js';
import { joinResolvers } from '../stitching/join-resolvers.js';
import { readJoins } from '../stitching/joins.js';

export interface BuiltMesh {
  schema: GraphQLSchema;
  rawSources: RawSource[];
  destroy(): void;
}

/**
 * The schema the gateway serves, with the stitched graph's resolvers and the access rules;
 * a schema that graphql-js would refuse, or a rate limit on a field it lacks, stops the start in one line.
 */
export function servedGraph(mesh: BuiltMesh, config: GatewayConfig, code: GraphCode, restMedia: (source: string) => RestMedia | undefined): ServedGraph {
  const all: Resolvers = { ...code.resolvers };
  const joins = readJoins(mesh.schema, mesh.rawSources);
  const rules = readAccessRules(mesh.schema);
  const hints = readCacheHints(mesh.schema);
  const declared: [string, Resolvers][] = [
    ['@join', joinResolvers(joins)],
    ['@event', eventResolvers(readEventFields(mesh.schema, Object.values(config.webhooks.sources).map((hook) => hook.topic)))],
  ];
  for (const [directive, given] of declared) {
    for (const [typeName, fields] of Object.entries(given)) {
      const twice = Object.keys(fields).find((fieldName) => all[typeName]?.[fieldName] !== undefined);
      if (twice) throw new ConfigError(`${typeName}.${twice} is declared with ${directive} and has a resolver written or declared for it too: keep one.`);
      all[typeName] = { ...all[typeName], ...fields };
    }
  }
  const publicSchema = withAccessRules(toPublicSchema(mesh.schema, all, {
    meshResolvedPrefixes: config.added.map((source) => source.manifest.fieldPrefix),
  }), rules);
  // The REST sources' operations as their contracts wrote them (gateway/sources/rest/).
  const asWritten = withUploads(withBinaryAnswers(withClientArguments(withRequiredBodies(publicSchema, restMedia), (source) => config.sources[source]?.manifest)), restMedia);
  const schema = withContractConstraints(asWritten);
  checkPublicSchema(schema, config.added.map((source) => source.manifest));
  checkRateLimits(schema, config.rateLimits);
  checkCachedTypes(schema, config.entityCache.maxAgeMs);
  // The demo's sources answer through the stitched graph: their leaf values are completed here.
  checkLeafValues(schema);
  return { schema, joins, rules, hints };
}

/** Private: every type a manifest gives a freshness (`cache`) is an object type of the schema. */
function checkCachedTypes(schema: GraphQLSchema, maxAgeMs: Readonly<Record<string, number>>): void {
  for (const type of Object.keys(maxAgeMs)) {
    if (!isObjectType(schema.getType(type))) throw new ConfigError(`A source's manifest gives ${type} a freshness (cache), but ${type} is not an object type of the schema.`);
  }
}

/** Private: every rate limit names a field of the public schema, or the start stops saying which does not. */
function checkRateLimits(schema: GraphQLSchema, limits: readonly FieldRateLimit[]): void {
  for (const { type, field } of limits) {
    const owner = schema.getType(type);
    if (!isObjectType(owner) || !owner.getFields()[field]) {
      throw new ConfigError(`RATE_LIMITS names ${type}.${field}, which is not a field of the schema.`);
    }
  }
}

/** The mesh that `npm run build` wrote to .mesh/, with a clear line when it is missing. */
export async function loadBuiltMesh(): Promise<BuiltMesh> {
  let built: { getBuiltMesh(): Promise<unknown> };
  try {
    built = await import('../../.mesh/index.js' as string);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes('.mesh')) {
      throw new Error('The composed schema is not built yet: run `npm run build` (npm start does it for you).');
    }
    throw error;
  }
  return (await built.getBuiltMesh()) as BuiltMesh;
}

/**
 * What Mesh's own root resolvers of the added sources call, by source name
 * (`context.carrier.Query.carrier_getParcel`): Mesh's in-context SDK for those sources alone, made
 * once. The stitched graph reaches Switchboard's own sources through gateway/sources/source-clients.ts.
 */
export function addedSourceSdk(mesh: BuiltMesh, config: GatewayConfig): Record<string, unknown> {
  const added = new Set(config.added.map((source) => source.name));
  if (added.size === 0) return {};
  const rawSources = mesh.rawSources.filter((source) => added.has(source.name));
  return getInContextSDK(mesh.schema, rawSources as never, undefined as never, []) as Record<string, unknown>;
}
