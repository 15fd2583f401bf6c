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
import { valueAt } from '../../lib/paths.js';
import type { SourceClients } from '../sources/source-clients.js';
import type { Join } from './joins.js';

/** What a join needs of a request's context. */
export interface JoinContext {
  sources: SourceClients;
  /** False only in the benchmarks' unbatched baseline. */
  batching?: boolean;
}

type Resolver = (parent: unknown, args: Record<string, unknown>, context: JoinContext) => Promise<unknown>;

const perRequest = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

export function joinResolvers(joins: readonly Join[]): Record<string, Record<string, Resolver>> {
  const resolvers: Record<string, Record<string, Resolver>> = {};
  for (const join of joins) {
    const [typeName, fieldName] = join.at.split('.') as [string, string];
    (resolvers[typeName] ??= {})[fieldName] = async (parent, args, context) => {
      const key = valueAt(join.root ? args : parent, join.key);
      const none = join.list ? [] : null;
      if (key === undefined || key === null) return none;
      const found = await loaderOf(join, context).load(String(key));
      if (join.result === undefined) return found ?? none;
      return found === null ? none : (valueAt(found, join.result) ?? none);
    };
  }
  return resolvers;
}

/** Private: the request's loader for the join's call, made on first use. */
function loaderOf(join: Join, context: JoinContext): DataLoader<string, unknown> {
  let loaders = perRequest.get(context);
  if (!loaders) perRequest.set(context, (loaders = new Map()));
  const identity = [join.source, join.field, join.argument, join.items ?? '', join.match, join.many].join('\n');
  let loader = loaders.get(identity);
  if (!loader) {
    loader = new DataLoader<string, unknown>(async (keys) => {
      let answer: unknown;
      try {
        answer = await context.sources[join.source]!.query(join.field, { [join.argument]: keys }, join.selectionSet, context);
      } catch (error) {
        // The error of every key of the batch, located at each field that asked.
        throw asUpstreamError(join.source, error as Error);
      }
      const items = join.items === undefined ? answer : valueAt(answer, join.items);
      return matchKeys(keys, Array.isArray(items) ? items : [], join);
    }, { maxBatchSize: join.batchSize ?? Infinity, batch: context.batching ?? true });
    loaders.set(identity, loader);
  }
  return loader;
}

/** Private: the items in the order of `keys`: the first that matches (null for none), or all of them. */
function matchKeys(keys: readonly string[], items: unknown[], join: Join): unknown[] {
  const groups = new Map<string, unknown[]>();
  for (const item of items) {
    const key = valueAt(item, join.match);
    if (key === undefined || key === null) continue;
    const group = groups.get(String(key));
    if (group) group.push(item);
    else groups.set(String(key), [item]);
  }
  return keys.map((key) => (join.many ? (groups.get(key) ?? []) : (groups.get(key)?.[0] ?? null)));
}
