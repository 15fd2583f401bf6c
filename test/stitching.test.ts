// Each stitched field of the unified graph, with the exact data the demo world holds.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { customerById, ordersOf, paymentOfOrder, productById, ratingOf, reviewsOf, stockOf, world } from './helpers/expected.js';

const operation = (name: string) => readFileSync(new URL(`./operations/${name}.graphql`, import.meta.url), 'utf8');

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

describe('the unified graph', () => {
  it('answers the front-page query: products with stock, reviews and their authors', async () => {
    const { status, body } = await switchboard.query(operation('products-with-stock-and-reviews'));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      products: world.products.slice(0, 100).map((product) => ({
        id: product.id,
        name: product.name,
        stock: { total: stockOf(product.sku).total },
        reviews: reviewsOf(product.id).map((review) => ({
          rating: review.rating,
          author: { name: customerById.get(review.customerId)!.name },
        })),
      })),
    });
  });

  it('pages through products with first and after, and searches by name', async () => {
    const page = await switchboard.query(operation('product-page'), { first: 3, after: 'prod-0010' });
    expect(page.body).toEqual({
      data: { products: ['prod-0011', 'prod-0012', 'prod-0013'].map((id) => {
        const { name, price, currency } = productById.get(id)!;
        return { id, name, price, currency };
      }) },
    });
    const term = world.products[41]!.name.split(' ')[1]!.toUpperCase();
    const search = await switchboard.query('query($s: String) { products(first: 1000, search: $s) { id } }', { s: term });
    expect(search.body.data!.products).toEqual(
      world.products.filter((p) => p.name.toLowerCase().includes(term.toLowerCase())).map((p) => ({ id: p.id })),
    );
  });

  it('answers one product with every stitched field', async () => {
    const product = world.products.find((p) => reviewsOf(p.id).length >= 3)!;
    const { body } = await switchboard.query(operation('product-details'), { id: product.id });
    expect(body).toEqual({
      data: {
        product: {
          ...product,
          stock: stockOf(product.sku),
          rating: ratingOf(product.id),
          reviews: reviewsOf(product.id).map(({ id, rating, title, body: text, createdAt, customerId }) => {
            const author = customerById.get(customerId)!;
            return { id, rating, title, body: text, createdAt, author: { id: author.id, name: author.name, country: author.country } };
          }),
        },
      },
    });
  });

  it('answers a product without reviews with an empty list and a null rating', async () => {
    const product = world.products.find((p) => reviewsOf(p.id).length === 0)!;
    const { body } = await switchboard.query('query($id: ID!) { product(id: $id) { id reviews { id } rating } }', { id: product.id });
    expect(body).toEqual({ data: { product: { id: product.id, reviews: [], rating: null } } });
  });

  it('answers a customer with orders, their lines, products, stock and payments', async () => {
    const customer = world.customers[6]!;
    const { body } = await switchboard.query(operation('customer-orders'), { id: customer.id });
    expect(body).toEqual({
      data: {
        customer: {
          id: customer.id,
          name: customer.name,
          email: customer.email,
          orders: ordersOf(customer.id).map((order) => {
            const payment = paymentOfOrder.get(order.id)!;
            return {
              id: order.id,
              placedAt: order.placedAt,
              status: order.status,
              total: order.total,
              lines: order.lines.map((line) => ({
                quantity: line.quantity,
                unitPrice: line.unitPrice,
                product: { id: line.productId, name: productById.get(line.productId)!.name, stock: { total: stockOf(productById.get(line.productId)!.sku).total } },
              })),
              payment: { id: payment.id, amount: payment.amount, status: payment.status, method: payment.method },
            };
          }),
        },
      },
    });
  });

  it('answers an order with its customer, lines and payment', async () => {
    const order = world.orders[41]!;
    const payment = paymentOfOrder.get(order.id)!;
    const { body } = await switchboard.query(operation('order-details'), { id: order.id });
    expect(body).toEqual({
      data: {
        order: {
          id: order.id,
          placedAt: order.placedAt,
          status: order.status,
          currency: order.currency,
          total: order.total,
          customer: { id: order.customerId, name: customerById.get(order.customerId)!.name },
          lines: order.lines.map((line) => ({
            quantity: line.quantity,
            unitPrice: line.unitPrice,
            product: { id: line.productId, name: productById.get(line.productId)!.name },
          })),
          payment: { id: payment.id, amount: payment.amount, status: payment.status },
        },
      },
    });
  });

  it('answers unknown ids with null, not an error', async () => {
    const { body } = await switchboard.query('{ product(id: "nope") { id } customer(id: "nope") { id } order(id: "nope") { id } }');
    expect(body).toEqual({ data: { product: null, customer: null, order: null } });
  });

  it('refuses a page size out of range with a typed error', async () => {
    const { body } = await switchboard.query('{ products(first: 1000000) { id } }');
    expect(body).toEqual({
      data: null,
      errors: [{
        message: 'first must be between 1 and 1000, but got: 1000000.',
        locations: [{ line: 1, column: 3 }],
        path: ['products'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
      }],
    });
  });
});
