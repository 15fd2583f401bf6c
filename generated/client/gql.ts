/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CustomerOrders($id: ID! = \"cust-0007\") {\n  customer(id: $id) {\n    id\n    name\n    email\n    orders {\n      id\n      placedAt\n      status\n      total\n      lines {\n        quantity\n        unitPrice\n        product {\n          id\n          name\n          stock {\n            total\n          }\n        }\n      }\n      payment {\n        id\n        amount\n        status\n        method\n      }\n    }\n  }\n}": typeof types.CustomerOrdersDocument,
    "query OrderDetails($id: ID! = \"ord-00042\") {\n  order(id: $id) {\n    id\n    placedAt\n    status\n    currency\n    total\n    customer {\n      id\n      name\n    }\n    lines {\n      quantity\n      unitPrice\n      product {\n        id\n        name\n      }\n    }\n    payment {\n      id\n      amount\n      status\n    }\n  }\n}": typeof types.OrderDetailsDocument,
    "query ProductDetails($id: ID! = \"prod-0042\") {\n  product(id: $id) {\n    id\n    sku\n    name\n    description\n    category\n    price\n    currency\n    stock {\n      total\n      warehouses {\n        warehouse\n        quantity\n      }\n    }\n    rating\n    reviews {\n      id\n      rating\n      title\n      body\n      createdAt\n      author {\n        id\n        name\n        country\n      }\n    }\n  }\n}": typeof types.ProductDetailsDocument,
    "query ProductPage($first: Int = 20, $after: String, $search: String) {\n  products(first: $first, after: $after, search: $search) {\n    id\n    name\n    price\n    currency\n  }\n}": typeof types.ProductPageDocument,
    "query ProductWithReviewsLater($id: ID! = \"prod-0012\") {\n  product(id: $id) {\n    id\n    name\n    price\n    currency\n    stock {\n      total\n    }\n    ... @defer(label: \"reviews\") {\n      rating\n      reviews {\n        title\n        rating\n        author {\n          name\n        }\n      }\n    }\n  }\n}": typeof types.ProductWithReviewsLaterDocument,
    "query ProductsWithStockAndReviews {\n  products(first: 100) {\n    id\n    name\n    stock {\n      total\n    }\n    reviews {\n      rating\n      author {\n        name\n      }\n    }\n  }\n}": typeof types.ProductsWithStockAndReviewsDocument,
};
const documents: Documents = {
    "query CustomerOrders($id: ID! = \"cust-0007\") {\n  customer(id: $id) {\n    id\n    name\n    email\n    orders {\n      id\n      placedAt\n      status\n      total\n      lines {\n        quantity\n        unitPrice\n        product {\n          id\n          name\n          stock {\n            total\n          }\n        }\n      }\n      payment {\n        id\n        amount\n        status\n        method\n      }\n    }\n  }\n}": types.CustomerOrdersDocument,
    "query OrderDetails($id: ID! = \"ord-00042\") {\n  order(id: $id) {\n    id\n    placedAt\n    status\n    currency\n    total\n    customer {\n      id\n      name\n    }\n    lines {\n      quantity\n      unitPrice\n      product {\n        id\n        name\n      }\n    }\n    payment {\n      id\n      amount\n      status\n    }\n  }\n}": types.OrderDetailsDocument,
    "query ProductDetails($id: ID! = \"prod-0042\") {\n  product(id: $id) {\n    id\n    sku\n    name\n    description\n    category\n    price\n    currency\n    stock {\n      total\n      warehouses {\n        warehouse\n        quantity\n      }\n    }\n    rating\n    reviews {\n      id\n      rating\n      title\n      body\n      createdAt\n      author {\n        id\n        name\n        country\n      }\n    }\n  }\n}": types.ProductDetailsDocument,
    "query ProductPage($first: Int = 20, $after: String, $search: String) {\n  products(first: $first, after: $after, search: $search) {\n    id\n    name\n    price\n    currency\n  }\n}": types.ProductPageDocument,
    "query ProductWithReviewsLater($id: ID! = \"prod-0012\") {\n  product(id: $id) {\n    id\n    name\n    price\n    currency\n    stock {\n      total\n    }\n    ... @defer(label: \"reviews\") {\n      rating\n      reviews {\n        title\n        rating\n        author {\n          name\n        }\n      }\n    }\n  }\n}": types.ProductWithReviewsLaterDocument,
    "query ProductsWithStockAndReviews {\n  products(first: 100) {\n    id\n    name\n    stock {\n      total\n    }\n    reviews {\n      rating\n      author {\n        name\n      }\n    }\n  }\n}": types.ProductsWithStockAndReviewsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CustomerOrders($id: ID! = \"cust-0007\") {\n  customer(id: $id) {\n    id\n    name\n    email\n    orders {\n      id\n      placedAt\n      status\n      total\n      lines {\n        quantity\n        unitPrice\n        product {\n          id\n          name\n          stock {\n            total\n          }\n        }\n      }\n      payment {\n        id\n        amount\n        status\n        method\n      }\n    }\n  }\n}"): (typeof documents)["query CustomerOrders($id: ID! = \"cust-0007\") {\n  customer(id: $id) {\n    id\n    name\n    email\n    orders {\n      id\n      placedAt\n      status\n      total\n      lines {\n        quantity\n        unitPrice\n        product {\n          id\n          name\n          stock {\n            total\n          }\n        }\n      }\n      payment {\n        id\n        amount\n        status\n        method\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderDetails($id: ID! = \"ord-00042\") {\n  order(id: $id) {\n    id\n    placedAt\n    status\n    currency\n    total\n    customer {\n      id\n      name\n    }\n    lines {\n      quantity\n      unitPrice\n      product {\n        id\n        name\n      }\n    }\n    payment {\n      id\n      amount\n      status\n    }\n  }\n}"): (typeof documents)["query OrderDetails($id: ID! = \"ord-00042\") {\n  order(id: $id) {\n    id\n    placedAt\n    status\n    currency\n    total\n    customer {\n      id\n      name\n    }\n    lines {\n      quantity\n      unitPrice\n      product {\n        id\n        name\n      }\n    }\n    payment {\n      id\n      amount\n      status\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductDetails($id: ID! = \"prod-0042\") {\n  product(id: $id) {\n    id\n    sku\n    name\n    description\n    category\n    price\n    currency\n    stock {\n      total\n      warehouses {\n        warehouse\n        quantity\n      }\n    }\n    rating\n    reviews {\n      id\n      rating\n      title\n      body\n      createdAt\n      author {\n        id\n        name\n        country\n      }\n    }\n  }\n}"): (typeof documents)["query ProductDetails($id: ID! = \"prod-0042\") {\n  product(id: $id) {\n    id\n    sku\n    name\n    description\n    category\n    price\n    currency\n    stock {\n      total\n      warehouses {\n        warehouse\n        quantity\n      }\n    }\n    rating\n    reviews {\n      id\n      rating\n      title\n      body\n      createdAt\n      author {\n        id\n        name\n        country\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductPage($first: Int = 20, $after: String, $search: String) {\n  products(first: $first, after: $after, search: $search) {\n    id\n    name\n    price\n    currency\n  }\n}"): (typeof documents)["query ProductPage($first: Int = 20, $after: String, $search: String) {\n  products(first: $first, after: $after, search: $search) {\n    id\n    name\n    price\n    currency\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductWithReviewsLater($id: ID! = \"prod-0012\") {\n  product(id: $id) {\n    id\n    name\n    price\n    currency\n    stock {\n      total\n    }\n    ... @defer(label: \"reviews\") {\n      rating\n      reviews {\n        title\n        rating\n        author {\n          name\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ProductWithReviewsLater($id: ID! = \"prod-0012\") {\n  product(id: $id) {\n    id\n    name\n    price\n    currency\n    stock {\n      total\n    }\n    ... @defer(label: \"reviews\") {\n      rating\n      reviews {\n        title\n        rating\n        author {\n          name\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductsWithStockAndReviews {\n  products(first: 100) {\n    id\n    name\n    stock {\n      total\n    }\n    reviews {\n      rating\n      author {\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query ProductsWithStockAndReviews {\n  products(first: 100) {\n    id\n    name\n    stock {\n      total\n    }\n    reviews {\n      rating\n      author {\n        name\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;