/**
 * VARIANT (STITCH=gateway): the four stitched fields as gateway `additionalResolvers` on the
 * in-context SDK, the documented fallback when `@resolveTo` is not enough. Same batched delegation as
 * `@resolveTo` (keys -> one upstream call), plus what `@resolveTo` cannot express: the upstreams'
 * batch caps (`dataLoaderOptions.maxBatchSize`), so W1 at first: 1000 works.
 * Used with a supergraph composed with STITCH=gateway (fields declared without @resolveTo); the
 * default variant uses only `Product.rating` from here.
 */
import { Kind, parse, type SelectionSetNode } from 'graphql';

const CATALOG_MAX_IDS = 250; // catalog openapi: ids maxItems 250
const INVENTORY_MAX_SKUS = 250; // inventory.wsdl: Sku maxOccurs 250
const REVIEWS_MAX_IDS = 500; // reviews SDL: at most 500 ids

type Ctx = Record<string, { Query: Record<string, (opts: Record<string, unknown>) => unknown> }>;

function selection(sdl: string): SelectionSetNode {
  return (parse(`{ ${sdl} }`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;
}
/** `{ <path> { <keyField> ...subtree } }` for the client's subtree. */
function wrap(path: string[], keyField: string) {
  return (subtree: SelectionSetNode | undefined): SelectionSetNode => {
    let inner: SelectionSetNode = {
      kind: Kind.SELECTION_SET,
      selections: [...selection(keyField).selections, ...(subtree?.selections ?? [])],
    };
    for (const name of [...path].reverse()) {
      inner = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name }, selectionSet: inner }] };
    }
    return inner;
  };
}
function byKey<T extends Record<string, unknown>>(rows: T[] | null | undefined, keys: readonly unknown[], keyOf: string) {
  const index = new Map((rows ?? []).filter(Boolean).map((row) => [row[keyOf], row]));
  return keys.map((key) => index.get(key) ?? null);
}

export const cappedResolvers = {
  Product: {
    stock: {
      selectionSet: '{ sku }',
      resolve: (root: { sku?: string }, _args: unknown, context: Ctx, info: unknown) =>
        context.inventory!.Query.GetStockLevels!({
          root, context, info,
          key: root.sku,
          argsFromKeys: (skus: string[]) => ({ GetStockLevelsRequest: { Sku: skus } }),
          selectionSet: wrap(['StockLevel'], 'sku'),
          valuesFromResults: (result: { StockLevel?: Record<string, unknown>[] }, keys: string[]) => byKey(result?.StockLevel, keys, 'sku'),
          dataLoaderOptions: { maxBatchSize: INVENTORY_MAX_SKUS },
        }),
    },
    reviews: {
      selectionSet: '{ id }',
      resolve: (root: { id?: string }, _args: unknown, context: Ctx, info: unknown) =>
        context.reviews!.Query.productReviews!({
          root, context, info,
          key: root.id,
          argsFromKeys: (productIds: string[]) => ({ productIds }),
          selectionSet: '{ productId reviews { id productId customerId rating title body createdAt } }',
          valuesFromResults: (results: Record<string, unknown>[], keys: string[]) =>
            byKey(results, keys, 'productId').map((r) => (r?.reviews as unknown[]) ?? []),
          dataLoaderOptions: { maxBatchSize: REVIEWS_MAX_IDS },
        }),
    },
    rating: {
      selectionSet: '{ id }',
      resolve: (root: { id?: string }, _args: unknown, context: Ctx, info: unknown) =>
        context.reviews!.Query.productReviews!({
          root, context, info,
          key: root.id,
          argsFromKeys: (productIds: string[]) => ({ productIds }),
          selectionSet: '{ productId averageRating }',
          valuesFromResults: (results: Record<string, unknown>[], keys: string[]) =>
            byKey(results, keys, 'productId').map((r) => r?.averageRating ?? null),
          dataLoaderOptions: { maxBatchSize: REVIEWS_MAX_IDS },
        }),
    },
  },
  Review: {
    author: {
      selectionSet: '{ customerId }',
      resolve: (root: { customerId?: string }, _args: unknown, context: Ctx, info: unknown) =>
        context.catalog!.Query.listCustomers!({
          root, context, info,
          key: root.customerId,
          argsFromKeys: (ids: string[]) => ({ ids }),
          selectionSet: wrap([], 'id'),
          valuesFromResults: (results: Record<string, unknown>[], keys: string[]) => byKey(results, keys, 'id'),
          dataLoaderOptions: { maxBatchSize: CATALOG_MAX_IDS },
        }),
    },
  },
};
