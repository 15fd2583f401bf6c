/**
 * Every query shape compiled once (gateway/plugins/use-compiled-operations.ts): documents that differ
 * only in the values written into them, or in their operation name, share one compiled query and
 * each still gets its own values, and validation of the values as the client wrote them.
 */
import { buildSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeOf } from '../gateway/plugins/literal-arguments.js';
import { productById } from './helpers/expected.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

describe('shapeOf', () => {
  const sdl = buildSchema(`
    type Query { products(first: Int = 20, after: String, search: String): [Product!]! product(id: ID!): Product }
    type Product { id: String! name: String! }
    type Subscription { stockChanged(skus: [String!]): Product }
  `);
  const schema = () => sdl;

  it('takes literal arguments out into variables, and drops the operation name', () => {
    const shape = shapeOf(schema(), parse('query Page7 { products(first: 5, after: "prod-0007") { id name @include(if: true) } }'))!;
    expect(shape.text).toBe('query ($literal0: Int, $literal1: String) {\n  products(first: $literal0, after: $literal1) {\n    id\n    name @include(if: true)\n  }\n}');
    expect(shape.values).toEqual({ literal0: 5, literal1: 'prod-0007' });
  });

  it("keeps the client's variables and nulls, and names no variable after one of the client's", () => {
    const shape = shapeOf(schema(), parse('query($literal0: String) { products(after: $literal0, search: null, first: 2) { id } }'))!;
    expect(shape.text).toBe('query ($literal0: String, $_literal0: Int) {\n  products(after: $literal0, search: null, first: $_literal0) {\n    id\n  }\n}');
    expect(shape.values).toEqual({ _literal0: 2 });
  });

  it('gives documents that differ only in values, layout or name one shape', () => {
    const a = shapeOf(schema(), parse('{ product(id: "prod-0001") { id } }'))!;
    const b = shapeOf(schema(), parse('query Other {\n  product( id: "prod-0999" ) { id }\n}'))!;
    expect(b.text).toBe(a.text);
  });

  it('has no shape for a document of several operations, or a subscription', () => {
    expect(shapeOf(schema(), parse('query A { product(id: "1") { id } } query B { product(id: "2") { id } }'))).toBeUndefined();
    expect(shapeOf(schema(), parse('subscription { stockChanged(skus: ["SKU-0001"]) { id } }'))).toBeUndefined();
  });
});

describe('documents of one shape', () => {
  it('answers each with its own values', async () => {
    const ids = ['prod-0001', 'prod-0420', 'prod-0999'];
    const answers = await Promise.all(ids.map((id, n) => switchboard.query(`query Product${n} { product(id: "${id}") { id name } }`)));
    expect(answers.map((answer) => answer.body)).toEqual(ids.map((id) => ({ data: { product: { id, name: productById.get(id)!.name } } })));
  });

  it('still refuses a value of the wrong type as the client wrote it', async () => {
    const { status, body } = await switchboard.query('{ products(first: "ten") { id } }');
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [{
        message: 'Int cannot represent non-integer value: "ten"',
        locations: [{ line: 1, column: 19 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }],
    });
  });

  it('runs a document of two operations by its operation name, and keeps a literal directive argument', async () => {
    const response = await fetch(switchboard.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${switchboard.staffToken}` },
      body: JSON.stringify({
        query: 'query A { product(id: "prod-0001") { id } } query B { product(id: "prod-0002") { id name @include(if: false) } }',
        operationName: 'B',
      }),
    });
    expect(await response.json()).toEqual({ data: { product: { id: 'prod-0002' } } });
  });
});
