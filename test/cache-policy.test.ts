// What a whole answer may be kept for, read from its document: the least freshness of the types it
// holds, and whether it reads personal data (a field an access rule guards), so that it is kept per
// viewer. The response cache keys and keeps answers by it.
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createCachePolicy, readCacheHints } from '../gateway/cache/cache-policy.js';

const schema = buildSchema(`
  type Query { products: [Product!]! product(id: ID!): Product customer(id: ID!): Customer search(text: String!): [Result!]! node(id: ID!): Node ping: String }
  type Mutation { touch: Product }
  type Subscription { changed: Product }
  interface Node { id: ID! }
  union Result = Product | Customer
  type Product implements Node { id: ID! name: String! stock: StockLevel }
  type StockLevel { sku: String! total: Int! }
  type Customer implements Node { id: ID! name: String! email: String orders: [Order!]! }
  type Order { id: ID! total: Float! }
`);
const policyOf = createCachePolicy(schema, {
  maxAgeSeconds: { Product: 300, StockLevel: 60, Customer: 600, Order: 30 },
  privateFields: { Customer: ['email', 'orders'] },
});

describe('the cache policy of a document', () => {
  it.each([
    ['{ products { name } }', { maxAgeSeconds: 300, scope: 'PUBLIC', types: ['Product'] }],
    ['{ products { name stock { total } } }', { maxAgeSeconds: 60, scope: 'PUBLIC', types: ['Product', 'StockLevel'] }],
    ['{ customer(id: "c1") { name } }', { maxAgeSeconds: 600, scope: 'PUBLIC', types: ['Customer'] }],
    ['{ customer(id: "c1") { name orders { total } } }', { maxAgeSeconds: 30, scope: 'PRIVATE', types: ['Customer', 'Order'] }],
    ['{ customer(id: "c1") { ...personal } } fragment personal on Customer { email }', { maxAgeSeconds: 600, scope: 'PRIVATE', types: ['Customer'] }],
    // An interface or a union: the least fresh of the types it may be.
    ['{ node(id: "p1") { id } }', { maxAgeSeconds: 300, scope: 'PUBLIC', types: ['Customer', 'Product'] }],
    ['{ search(text: "a") { ... on Product { name } } }', { maxAgeSeconds: 300, scope: 'PUBLIC', types: ['Customer', 'Product'] }],
  ])('%s', (document, policy) => {
    expect(policyOf(parse(document))).toEqual(policy);
  });

  it.each([
    ['mutation { touch { name } }'],
    ['subscription { changed { name } }'],
    ['{ __schema { queryType { name } } }'],
    ['{ products { name } __type(name: "Product") { name } }'],
    // An answer in parts.
    ['{ products { name ... @defer { stock { total } } } }'],
    // Nothing but leaves: nobody declared how fresh they are.
    ['{ ping }'],
  ])('keeps nothing of %s', (document) => {
    expect(policyOf(parse(document)).maxAgeSeconds).toBe(0);
  });

  it('counts a type nobody declared fresh as the default, 0 unless configured', () => {
    const undeclared = createCachePolicy(schema, { maxAgeSeconds: { Product: 300 }, privateFields: {} });
    expect(undeclared(parse('{ products { stock { total } } }'))).toEqual({ maxAgeSeconds: 0, scope: 'PUBLIC', types: ['Product', 'StockLevel'] });
    const withDefault = createCachePolicy(schema, { maxAgeSeconds: { Product: 300 }, defaultMaxAgeSeconds: 5, privateFields: {} });
    expect(withDefault(parse('{ products { stock { total } } }')).maxAgeSeconds).toBe(5);
  });

  it('reads the operation named, and remembers each document\'s policy', () => {
    const document = parse('query Public { products { name } } query Personal { customer(id: "c1") { email } }');
    expect([policyOf(document, 'Public').scope, policyOf(document, 'Personal').scope]).toEqual(['PUBLIC', 'PRIVATE']);
    expect(policyOf(document, 'Public')).toBe(policyOf(document, 'Public'));
    // No such operation: nothing is kept.
    expect(policyOf(document, 'Missing').maxAgeSeconds).toBe(0);
  });

  it('takes the composition\'s @cacheControl: a type\'s freshness and scope, a field\'s freshness for what it answers', () => {
    const hinted = buildSchema(`
      directive @cacheControl(maxAge: Int, scope: CacheScope) on FIELD_DEFINITION | OBJECT
      enum CacheScope { PUBLIC PRIVATE }
      type Query { products: [Product!]! wishlist: [Product!]! @cacheControl(scope: PRIVATE) deals: [Deal!]! }
      type Product { id: ID! name: String! reviews: [Review!]! @cacheControl(maxAge: 20) price: Float @cacheControl(maxAge: 5) }
      type Review { id: ID! body: String! }
      type Deal @cacheControl(maxAge: 10) { id: ID! note: Note }
      type Note @cacheControl(scope: PRIVATE) { text: String }
    `);
    const hints = readCacheHints(hinted);
    expect(hints).toEqual({
      types: { Deal: { maxAge: 10 }, Note: { scope: 'PRIVATE' } },
      fields: { 'Query.wishlist': { scope: 'PRIVATE' }, 'Product.reviews': { maxAge: 20 }, 'Product.price': { maxAge: 5 } },
    });
    const policy = createCachePolicy(hinted, { maxAgeSeconds: { Product: 300 }, privateFields: {}, hints });
    // Review declares no freshness; the field that answers it does.
    expect(policy(parse('{ products { reviews { body } } }'))).toEqual({ maxAgeSeconds: 20, scope: 'PUBLIC', types: ['Product', 'Review'] });
    expect(policy(parse('{ products { name price } }')).maxAgeSeconds).toBe(5);
    expect(policy(parse('{ wishlist { name } }')).scope).toBe('PRIVATE');
    expect(policy(parse('{ deals { id } }'))).toEqual({ maxAgeSeconds: 10, scope: 'PUBLIC', types: ['Deal'] });
    // A personal type anywhere makes the answer personal; Note has no freshness of its own.
    expect(policy(parse('{ deals { note { text } } }'))).toEqual({ maxAgeSeconds: 0, scope: 'PRIVATE', types: ['Deal', 'Note'] });
    expect(() => createCachePolicy(hinted, { maxAgeSeconds: { Deal: 60 }, privateFields: {}, hints }))
      .toThrow('Deal has a freshness in its source\'s manifest (cache) and in @cacheControl: keep the manifest\'s.');
  });
});
