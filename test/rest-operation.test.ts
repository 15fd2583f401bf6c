/**
 * Plain REST reads built from the annotations Mesh's OpenAPI handler writes into the composition
 * (gateway/sources/rest/rest-operation.ts): the URL each call goes to, and which operations keep going through
 * the handler because the direct path would not give the same answer.
 */
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { planRestRead } from '../gateway/sources/rest/rest-operation.js';

const DIRECTIVES = `
  scalar ObjMap
  enum HTTPMethod { GET POST }
  directive @transport(subgraph: String, kind: String, location: String, queryStringOptions: ObjMap) on SCHEMA
  directive @httpOperation(subgraph: String, path: String, operationSpecificHeaders: [[String]], httpMethod: HTTPMethod,
    queryParamArgMap: ObjMap, queryStringOptionsByParam: ObjMap, requestBaseBody: ObjMap) on FIELD_DEFINITION
  directive @resolveRoot(subgraph: String) on FIELD_DEFINITION
  directive @enumValue(value: String) on ENUM_VALUE
`;

const catalog = (extra = '') => buildSchema(`${DIRECTIVES}
  schema @transport(subgraph: "catalog", kind: "rest", location: "{env.CATALOG_URL}") { query: Query }
  type Query {
    listProducts(first: Int, search: String, ids: [String]): [Product]
      @httpOperation(subgraph: "catalog", path: "/products", operationSpecificHeaders: [["accept", "application/json"]], httpMethod: GET,
        queryParamArgMap: {first: "first", search: "search", ids: "ids"}, queryStringOptionsByParam: {ids: {arrayFormat: "comma"}})
    getProduct(id: String!): Product
      @httpOperation(subgraph: "catalog", path: "/products/{args.id}", httpMethod: GET)
    tags(names: [String]): [String]
      @httpOperation(subgraph: "catalog", path: "/tags", httpMethod: GET, queryParamArgMap: {name: "names"})
    createProduct(name: String): Product
      @httpOperation(subgraph: "catalog", path: "/products", httpMethod: POST, requestBaseBody: {kind: "product"})
    ${extra}
  }
  type Product { id: String sku: String status: Status }
  enum Status { ACTIVE RETIRED }
`);

const env = { CATALOG_URL: 'http://catalog.test/v1/' };

describe('planRestRead', () => {
  it('builds the URL from the path, the query parameters and the base URL in the environment', () => {
    const plan = planRestRead(catalog(), 'listProducts', env)!;
    expect(plan.url({ ids: ['prod-1', 'prod 2/x'] })).toBe('http://catalog.test/v1/products?ids=prod-1,prod%202%2Fx');
    expect(plan.url({ first: 20, search: 'cup & saucer', ids: undefined })).toBe('http://catalog.test/v1/products?first=20&search=cup%20%26%20saucer');
    expect(plan.url({})).toBe('http://catalog.test/v1/products');
    expect(plan.headers).toEqual({ accept: 'application/json' });
  });

  it('puts path arguments in the path, encoded', () => {
    expect(planRestRead(catalog(), 'getProduct', env)!.url({ id: 'a/b?c' })).toBe('http://catalog.test/v1/products/a%2Fb%3Fc');
  });

  it('repeats a list parameter that has no array format', () => {
    expect(planRestRead(catalog(), 'tags', env)!.url({ names: ['x', 'y'] })).toBe('http://catalog.test/v1/tags?name=x&name=y');
  });

  it('shapes the answer as the field type says, as the handler does', () => {
    expect(planRestRead(catalog(), 'listProducts', env)!.shape({ id: 'p' })).toEqual([{ id: 'p' }]);
    expect(planRestRead(catalog(), 'getProduct', env)!.shape([{ id: 'p' }, { id: 'q' }])).toEqual({ id: 'p' });
    expect(planRestRead(catalog(), 'getProduct', env)!.shape({ id: 'p' })).toEqual({ id: 'p' });
  });

  it('leaves writes and operations with a body to the handler', () => {
    expect(planRestRead(catalog(), 'createProduct', env)).toBeUndefined();
  });

  it('leaves an answer type with a renamed field or enum value to the handler', () => {
    const withRenamedField = buildSchema(`${DIRECTIVES}
      schema @transport(kind: "rest", location: "{env.CATALOG_URL}") { query: Query }
      type Query { item: Item @httpOperation(path: "/item", httpMethod: GET) }
      type Item { first_name: String @resolveRoot(subgraph: "catalog") }`);
    expect(planRestRead(withRenamedField, 'item', env)).toBeUndefined();
    const withRenamedValue = buildSchema(`${DIRECTIVES}
      schema @transport(kind: "rest", location: "{env.CATALOG_URL}") { query: Query }
      type Query { item: Item @httpOperation(path: "/item", httpMethod: GET) }
      type Item { state: State }
      enum State { IN_STOCK @enumValue(value: "in-stock") }`);
    expect(planRestRead(withRenamedValue, 'item', env)).toBeUndefined();
  });

  it('leaves sources that are not REST to their handler', () => {
    const graphql = buildSchema('type Query { product: String }');
    expect(planRestRead(graphql, 'product', env)).toBeUndefined();
  });
});
