/**
 * The resolvers of the declared joins (joins.ts). Every join on the same call (source, root field,
 * argument, where the items and their keys are) shares one DataLoader per request, so a level of a
 * query reaches each source as one call however many items and fields ask: two fields joined on
 * the same call (an invoice's lines and its total) cost one. A level is split only at the declared `batchSize`.
 * Nothing is kept across requests.
 *
 *   const resolvers = joinResolvers(readJoins(mesh.schema, mesh.rawSources));
 *   resolvers.Order.shipment(order, {}, context);   // one listShipments call for the whole level
 */
import DataLoader from 'dataloader';
import { asUpstreamError } from '../errors.js';
import { pathReader } from '../../lib/paths.js';
import type { SourceClients } from '../sources/source-clients.js';
import { tracedUnder, type ScopedContext } from '../upstream/index.js';
import { traceBatch } from '../tracing/spans.js';
import type { Join } from './joins.js';

/** What a join needs of a request's context. */
export interface JoinContext extends ScopedContext {
  sources: SourceClients;
  /** False only in the benchmarks' unbatched baseline. */
  batching?: boolean;
}

type Resolver = (parent: unknown, args: Record<string, unknown>, context: JoinContext) => unknown;

const perRequest = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

export function joinResolvers(joins: readonly Join[]): Record<string, Record<string, Resolver>> {
  const resolvers: Record<string, Record<string, Resolver>> = {};
  for (const join of joins) {
    const [typeName, fieldName] = join.at.split('.') as [string, string];
    const call = compileCall(join);
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

/**
 * Private: the call of a join, shared by every join with the same source, root field, argument and
 * paths: the request's loader for it is made on first use.
 */
function compileCall(join: Join): CompiledCall {
  const identity = [join.source, join.field, join.argument, join.items ?? '', join.match, join.many].join('\n');
  const itemsOf = join.items === undefined ? (answer: unknown) => answer : pathReader(join.items);
  const matchOf = pathReader(join.match);
  return {
    loader(context) {
      let loaders = perRequest.get(context);
      if (!loaders) perRequest.set(context, (loaders = new Map()));
      let loader = loaders.get(identity);
      if (!loader) {
        loader = new DataLoader<string, unknown>(async (keys) => {
          const trace = context.upstreamScope?.trace;
          const batch = trace && traceBatch(trace, { source: join.source, field: join.field, size: keys.length });
          let answer: unknown;
          try {
            answer = await context.sources[join.source]!.query(join.field, { [join.argument]: keys }, join.selectionSet, batch ? tracedUnder(context, batch.scope) : context);
          } catch (error) {
            batch?.end(error as Error);
            // The error of every key of the batch, located at each field that asked.
            throw asUpstreamError(join.source, error as Error);
          }
          batch?.end();
          const items = itemsOf(answer);
          return matchKeys(keys, Array.isArray(items) ? items : [], matchOf, join.many);
        }, { maxBatchSize: join.batchSize ?? Infinity, batch: context.batching ?? true });
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
