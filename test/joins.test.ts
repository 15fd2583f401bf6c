// Reading the stitched graph's @join declarations against the sources' own schemas: what each call
// asks (every field of the answer, a wrapper's included), and a declaration that names what a source
// does not have stops the start with one line naming the field. (The demo's joins, declared in
// demo/graph/schema.graphql, are served and counted end to end in stitching.test.ts and batching.test.ts.)
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readJoins } from '../gateway/stitching/joins.js';

const billing = {
  name: 'billing',
  schema: buildSchema(`
    type Query { getInvoices(orderIds: [String!]!): GetInvoicesResponse, invoice(id: String!): Invoice }
    type GetInvoicesResponse { invoices: InvoiceList }
    type InvoiceList { invoice: [Invoice!]! }
    type Invoice { number: String! orderId: String! total: Float lines(first: Int!): [Line!] customer: Party }
    type Line { sku: String }
    type Party { id: String! invoices: [Invoice!] }
  `),
};

const composed = (declaration: string) => buildSchema(`
  directive @join(source: String!, field: String!, argument: String!, key: String!, match: String!, items: String, many: Boolean = false, result: String, batchSize: Int) on FIELD_DEFINITION
  type Query { order(id: ID!): Order }
  type Order { id: ID! invoices: [Invoice!]! ${declaration} }
  type Invoice { number: String! }
`);

describe('@join', () => {
  it('reads a one-to-many join whose items sit inside the source\'s response wrapper, and asks every field of the answer once', () => {
    const [join] = readJoins(composed('@join(source: "billing", field: "getInvoices", argument: "orderIds", key: "id", match: "orderId", items: "invoices.invoice", many: true, batchSize: 50)'), [billing]);
    expect(join).toEqual({
      at: 'Order.invoices', root: false, source: 'billing', field: 'getInvoices', argument: 'orderIds', key: 'id', match: 'orderId',
      items: 'invoices.invoice', many: true, list: true, batchSize: 50, type: 'Invoice',
      // A field with a required argument is left out; a cycle back to Invoice stops.
      selectionSet: '{ invoices { invoice { number orderId total customer { id } } } }',
    });
  });

  it.each([
    ['source: "ledger", field: "getInvoices", argument: "orderIds", key: "id", match: "orderId"', 'Order.invoices: @join names the source "ledger", which the composition does not have (it has billing).'],
    ['source: "billing", field: "listInvoices", argument: "orderIds", key: "id", match: "orderId"', 'Order.invoices: @join names billing\'s root field "listInvoices", which billing does not have (its own names, before any prefix: getInvoices, invoice).'],
    ['source: "billing", field: "getInvoices", argument: "ids", key: "id", match: "orderId"', 'Order.invoices: @join names the argument "ids", which billing\'s getInvoices does not take.'],
    ['source: "billing", field: "invoice", argument: "id", key: "id", match: "number"', 'Order.invoices: @join names the argument id of invoice, which takes one value, not a list of keys.'],
    ['source: "billing", field: "getInvoices", argument: "orderIds", key: "id", match: "orderId", batchSize: 0', 'Order.invoices: @join needs batchSize, a whole number from 1.'],
    ['source: "billing", field: "getInvoices", argument: "orderIds", key: "", match: "orderId"', 'Order.invoices: @join needs key, a string.'],
  ])('refuses @join(%s) in one line', (declaration, message) => {
    expect(() => readJoins(composed(`@join(${declaration})`), [billing])).toThrow(message);
  });
});
