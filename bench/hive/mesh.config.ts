/**
 * Mesh v1 composition (`mesh-compose -o supergraph.graphql`) of Switchboard's four demo upstreams,
 * for Hive Gateway. Stitched fields use the documented batched `@resolveTo` (keyField + keysArg,
 * valueKeyField where the upstream may leave keys out).
 *
 * Endpoints/credentials: catalog, payments and reviews keep `{env.X}` placeholders in the supergraph,
 * interpolated by the gateway at request time. The SOAP endpoint is baked in at compose time
 * (transport-soap does not interpolate it), from INVENTORY_URL.
 */
import { createRenameFieldTransform, defineConfig, loadGraphQLHTTPSubgraph } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';
import { loadInventorySubgraph } from './inventory-subgraph.ts';

const inventoryUrl = process.env.INVENTORY_URL ?? 'http://127.0.0.1:5103/inventory';

/**
 * STITCH=gateway composes Product.stock/reviews/rating and Review.author WITHOUT @resolveTo; gateway.config.ts then resolves them
 * with capped-resolvers.ts (in-context SDK + maxBatchSize). Default: the documented @resolveTo.
 */
function stitchedTypeDefs(sdl: string): string {
  if (process.env.STITCH !== 'gateway') return sdl;
  // Only the four fields that capped-resolvers.ts implements (the workloads' stitched fields).
  return sdl.replace(/(\b(?:stock|reviews|rating|author): [^\n]+\n\s*)@resolveTo\([^)]*\)/g, '$1');
}

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('catalog', {
        source: '../../sources/catalog/openapi.yaml',
        endpoint: '{env.CATALOG_URL}',
        operationHeaders: { 'x-api-key': '{env.CATALOG_API_KEY}' },
        ignoreErrorResponses: true,
      }),
    },
    {
      // OAuth2 client credentials: Mesh/Hive have no built-in client for it; gateway.config.ts adds
      // the bearer token with a small onFetch plugin (payments-oauth.ts).
      sourceHandler: loadOpenAPISubgraph('payments', {
        source: '../../sources/payments/openapi.yaml',
        endpoint: '{env.PAYMENTS_URL}',
        ignoreErrorResponses: true,
      }),
    },
    {
      sourceHandler: loadGraphQLHTTPSubgraph('reviews', {
        source: '../../sources/reviews/schema.graphql',
        endpoint: '{env.REVIEWS_URL}',
        operationHeaders: { authorization: 'Bearer {env.REVIEWS_TOKEN}' },
      }),
    },
    {
      sourceHandler: loadInventorySubgraph('inventory', {
        source: '../../sources/inventory/inventory.wsdl',
        endpoint: inventoryUrl,
      }),
      // Public field names as in our schema (StockLevel.total, warehouses { warehouse quantity }), so
      // clients need no aliases: aliases under a batched @resolveTo with `result` come back null (see README.md).
      transforms: [
        createRenameFieldTransform(({ typeName, fieldName }) =>
          typeName === 'inventory_StockLevel' || typeName === 'inventory_WarehouseStock'
            ? fieldName.charAt(0).toLowerCase() + fieldName.slice(1)
            : fieldName,
        ),
      ],
    },
  ],
  additionalTypeDefs: stitchedTypeDefs(/* GraphQL */ `
    extend type Product {
      "Stock in each warehouse and in all (inventory GetStockLevels, batched by sku)."
      stock: inventory_StockLevel
        @resolveTo(
          sourceName: "inventory"
          sourceTypeName: "Query"
          sourceFieldName: "GetStockLevels"
          keyField: "sku"
          keysArg: "GetStockLevelsRequest.Sku"
          result: "StockLevel"
          valueKeyField: "sku"
        )
      # Fixed sourceSelectionSet: with the client's subtree, Review.author's required { customerId }
      # is not added under a @resolveTo with \`result\`, and author resolves to null - see README.md
      "Reviews of the product (reviews productReviews, batched by id; the upstream answers in key order)."
      reviews: [Review!]!
        @resolveTo(
          sourceName: "reviews"
          sourceTypeName: "Query"
          sourceFieldName: "productReviews"
          keyField: "id"
          keysArg: "productIds"
          result: "reviews"
          sourceSelectionSet: "{ reviews { id productId customerId rating title body createdAt } }"
        )
      # No @resolveTo: a @resolveTo whose \`result\` is a scalar (averageRating) always resolves to null
      # (the batch delegation uses the field's own type, Float, as return type). Resolved in
      # gateway.config.ts with the in-context SDK instead (capped-resolvers.ts) - see README.md
      "The mean rating from 1 to 5, or null when the product has no review yet."
      rating: Float
    }
    extend type Customer {
      "The customer's orders (catalog listOrders by customerIds)."
      orders: [Order!]!
        @resolveTo(
          sourceName: "catalog"
          sourceTypeName: "Query"
          sourceFieldName: "listOrders"
          keyField: "id"
          keysArg: "customerIds"
          valueKeyField: "customerId"
        )
    }
    extend type Order {
      customer: Customer
        @resolveTo(
          sourceName: "catalog"
          sourceTypeName: "Query"
          sourceFieldName: "listCustomers"
          keyField: "customerId"
          keysArg: "ids"
          valueKeyField: "id"
        )
      "The payment of the order (payments listPayments by orderIds)."
      payment: Payment
        @resolveTo(
          sourceName: "payments"
          sourceTypeName: "Query"
          sourceFieldName: "listPayments"
          keyField: "id"
          keysArg: "orderIds"
          valueKeyField: "orderId"
        )
    }
    extend type OrderLine {
      product: Product
        @resolveTo(
          sourceName: "catalog"
          sourceTypeName: "Query"
          sourceFieldName: "listProducts"
          keyField: "productId"
          keysArg: "ids"
          valueKeyField: "id"
        )
    }
    extend type Review {
      "The customer who wrote the review (catalog listCustomers, batched by id)."
      author: Customer
        @resolveTo(
          sourceName: "catalog"
          sourceTypeName: "Query"
          sourceFieldName: "listCustomers"
          keyField: "customerId"
          keysArg: "ids"
          valueKeyField: "id"
        )
    }
  `),
});
