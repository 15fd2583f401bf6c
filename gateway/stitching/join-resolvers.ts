/**
 * The resolvers of the declared joins (joins.ts). Every join on the same call (source, root field,
 * argument, where the items and their keys are) shares one DataLoader per request, so a level of a
 * query reaches each source as one call however many items and fields ask: two fields joined on
 * the same call (an invoice's lines and its total) cost one. A level is split only at the declared `batchSize`.
 * Nothing else is kept across requests: a call whose items are of a type the entity cache keeps
 * (gateway/cache/entity-cache.ts) asks only for the keys it does not hold.
 *
 *   const resolvers = joinResolvers(readJoins(mesh.schema, mesh.rawSources));
 *   resolvers.Order.shipment(order, {}, context);   // one listShipments call for the whole level
 */
import DataLoader from 'dataloader';
import { asUpstreamError } from '../errors.js';
import { pathReader } from '../../lib/paths.js';
import type { SourceClients } from '../sources/source-clients.js';
import { withScope, type ScopedContext } from '../upstream/index.js';
import { traceBatch } from '../tracing/spans.js';
import type { EntityCache } from '../cache/entity-cache.js';
import type { Join } from './joins.js';

/** What a join needs of a request's context. */
export interface JoinContext extends ScopedContext {
  sources: SourceClients;
  /** False only in the benchmarks' unbatched baseline. */
  batching?: boolean;
  /** Where the items of kept types are kept between requests (gateway/cache/entity-cache.ts); none when the cache is off. */
  entityCache?: EntityCache;
}

type Resolver = (parent: unknown, args: Record<string, unknown>, context: JoinContext) => unknown;

const perRequest = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

export function joinResolvers(joins: readonly Join[]): Record<string, Record<string, Resolver>> {
  const resolvers: Record<string, Record<string, Resolver>> = {};
  // A call's items are of the type of a join that answers them whole (one without `result`), each
  // by its own key: not a `many` join's, whose key is another entity's (a customer's orders).
  const entityTypes = new Map<string, string>();
  for (const join of joins) if (join.result === undefined && !join.many && !entityTypes.has(callIdentity(join))) entityTypes.set(callIdentity(join), join.type);
  for (const join of joins) {
    const [typeName, fieldName] = join.at.split('.') as [string, string];
    const call = compileCall(join, entityTypes.get(callIdentity(join)));
    const keyOf = pathReader(join.key);
    const resultOf = join.result === undefined ? undefined : pathReader(join.result);
    const none = join.list ? [] : null;
    // The loader's own promise where it answers what the field needs (an item, null, or a `many` list):
    // a field of a level costs no promise of its own (W1 reads some 900 such fields a request).
    const direct = resultOf === undefined && (!join.list || join.many);
    (resolvers[typeName] ??= {})[fieldName] = (parent, args, context) => {
      const key = keyOf(join.root ? args : parent);
      if (key === undefined || key === null) return none;
      const found = call.loader(context).load(typeof key === 'string' ? key : String(key));
      if (direct) return found;
      return found.then(resultOf === undefined
        ? (item) => item ?? none
        : (item) => (item === null ? none : (resultOf(item) ?? none)));
    };
  }
  return resolvers;
}

/** One call a join makes, prepared once: its identity among the request's loaders, and its paths. */
interface CompiledCall {
  loader(context: JoinContext): DataLoader<string, unknown>;
}

/** The identity of a join's call: joins with the same one share a loader, so a level costs one call. */
function callIdentity(join: Join): string {
  return [join.source, join.field, join.argument, join.items ?? '', join.match, join.many].join('\n');
}

/**
 * Private: the call of a join, shared by every join with the same source, root field, argument and
 * paths: the request's loader for it is made on first use. Its items are kept in the entity cache as
 * `entityType` (by their key), when that type is kept.
 */
function compileCall(join: Join, entityType: string | undefined): CompiledCall {
  const identity = callIdentity(join);
  const itemsOf = join.items === undefined ? (answer: unknown) => answer : pathReader(join.items);
  const matchOf = pathReader(join.match);
  /**
   * Private: one call to the source for `keys`, traced as a batch, its items in the order of the keys;
   * `dataVersion`, the cached version of the entities it asks for (entity-cache.ts).
   */
  const ask = async (keys: readonly string[], context: JoinContext, dataVersion?: string): Promise<unknown[]> => {
    const trace = context.upstreamScope?.trace;
    const batch = trace && traceBatch(trace, { source: join.source, field: join.field, size: keys.length });
    let answer: unknown;
    try {
      answer = await context.sources[join.source]!.query(join.field, { [join.argument]: keys }, join.selectionSet, withScope(context, { trace: batch?.scope, dataVersion }));
    } catch (error) {
      batch?.end(error as Error);
      // The error of every key of the batch, located at each field that asked.
      throw asUpstreamError(join.source, error as Error);
    }
    batch?.end();
    const items = itemsOf(answer);
    return matchKeys(keys, Array.isArray(items) ? items : [], matchOf, join.many);
  };
  /**
   * Private: the keys the entity cache holds answered from it, the others asked in one call (and
   * kept); when that call fails, the held keys are still answered and only the others fail.
   */
  const askThroughCache = async (keys: readonly string[], context: JoinContext, cache: EntityCache, type: string): Promise<unknown[]> => {
    const variant = `${identity}\n${join.selectionSet}\n${context.upstreamScope?.upstreams.seenHeaders(join.source, context.upstreamScope.clientHeaders) ?? ''}`;
    const held = await cache.read(type, keys, variant);
    if (held.missing.length === 0) return held.values;
    let answered: unknown[];
    try {
      answered = await ask(held.missing, context, held.version);
    } catch (error) {
      return held.values.map((value) => (value === undefined ? error : value));
    }
    // Not waited for: the answer is the client's now; the store keeps it in the order it was asked.
    void held.keep(answered);
    let next = 0;
    return held.values.map((value) => (value === undefined ? answered[next++] : value));
  };
  return {
    loader(context) {
      let loaders = perRequest.get(context);
      if (!loaders) perRequest.set(context, (loaders = new Map()));
      let loader = loaders.get(identity);
      if (!loader) {
        const cache = entityType !== undefined && context.entityCache?.keeps(entityType) ? context.entityCache : undefined;
        loader = new DataLoader<string, unknown>(
          (keys) => (cache ? askThroughCache(keys, context, cache, entityType!) : ask(keys, context)),
          { maxBatchSize: join.batchSize ?? Infinity, batch: context.batching ?? true },
        );
        loaders.set(identity, loader);
      }
      return loader;
    },
  };
}

/** Private: the items in the order of `keys`: the first that matches (null for none), or all of them. */
function matchKeys(keys: readonly string[], items: unknown[], matchOf: (item: unknown) => unknown, many: boolean): unknown[] {
  const groups = new Map<string, unknown[]>();
  for (const item of items) {
    const key = matchOf(item);
    if (key === undefined || key === null) continue;
    const group = groups.get(String(key));
    if (group) group.push(item);
    else groups.set(String(key), [item]);
  }
  return keys.map((key) => (many ? (groups.get(key) ?? []) : (groups.get(key)?.[0] ?? null)));
}
