/**
 * The shop platform's order writes (`PUT /orders/{id}`, `POST /orders/{id}/cancellation` in
 * openapi.yaml). The client chooses the order's id, which makes recording it idempotent: the same
 * id and body again answer the order already recorded. A cancelled id stays closed, so that a record
 * that arrives late (a retry, a request delayed in the network) cannot bring the order back.
 *
 *   const writes = createOrderWrites(world, indexes);
 *   routes.push(...writes.routes);
 *   writes.recorded(); // what the API recorded and cancelled, for GET /_admin/state
 */
import type { CustomerRecord, OrderRecord, ProductRecord } from '../world/seed.js';
import { ok, problem, readBody, type JsonRoute } from '../world/json-api.js';
import { addToGroup } from '../world/lookup.js';

export interface OrderIndexes {
  products: Map<string, ProductRecord>;
  customers: Map<string, CustomerRecord>;
  orders: Map<string, OrderRecord>;
  ordersByCustomer: Map<string, OrderRecord[]>;
}

interface OrderInput {
  customerId: string;
  currency: string;
  lines: { productId: string; quantity: number; unitPrice: number }[];
}

export function createOrderWrites(indexes: OrderIndexes) {
  // The body each API-recorded id was recorded with, to tell a repeat from a conflicting reuse.
  const bodies = new Map<string, string>();
  const cancelled = new Set<string>();
  const routes: JsonRoute[] = [
    {
      method: 'PUT', path: '/orders/{id}', operation: 'recordOrder',
      async handle({ req, params }) {
        const id = params.id!;
        const input = readOrderInput(await readBody(req), indexes);
        const fingerprint = JSON.stringify(input);
        if (cancelled.has(id)) throw problem(409, 'order_cancelled', `Order ${id} was cancelled; it cannot be recorded again.`);
        const existing = indexes.orders.get(id);
        if (existing) {
          if (bodies.get(id) !== fingerprint) throw problem(409, 'order_exists', `Order ${id} exists with other content.`);
          return ok(existing);
        }
        const order: OrderRecord = {
          id,
          customerId: input.customerId,
          placedAt: new Date().toISOString(),
          status: 'PLACED',
          currency: input.currency,
          total: Math.round(input.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) * 100) / 100,
          lines: input.lines,
        };
        bodies.set(id, fingerprint);
        indexes.orders.set(id, order);
        addToGroup(indexes.ordersByCustomer, order.customerId, order);
        return { status: 201, body: order };
      },
    },
    {
      method: 'POST', path: '/orders/{id}/cancellation', operation: 'cancelOrder',
      handle({ params }) {
        const id = params.id!;
        cancelled.add(id);
        const order = indexes.orders.get(id);
        if (order) order.status = 'CANCELLED';
        return { status: 204, body: undefined };
      },
    },
  ];
  return {
    routes,
    /** The orders the API recorded, and the ids it cancelled. */
    recorded() {
      return {
        orders: [...bodies.keys()].map((id) => indexes.orders.get(id)!),
        cancelledIds: [...cancelled],
      };
    },
  };
}

/** Private: the body of `PUT /orders/{id}`, checked against the contract and the catalog. */
function readOrderInput(text: string, indexes: OrderIndexes): OrderInput {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw problem(400, 'bad_request', 'The body must be a JSON OrderInput.');
  }
  const input = body as Partial<OrderInput> | null;
  if (typeof input?.customerId !== 'string' || !indexes.customers.has(input.customerId)) {
    throw problem(400, 'bad_request', `\`customerId\` must name a customer, but got: ${JSON.stringify(input?.customerId)}.`);
  }
  if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency)) {
    throw problem(400, 'bad_request', `\`currency\` must be an ISO 4217 code, but got: ${JSON.stringify(input.currency)}.`);
  }
  if (!Array.isArray(input.lines) || input.lines.length === 0) throw problem(400, 'bad_request', '`lines` must hold at least one line.');
  const lines = input.lines.map((line, index) => {
    const { productId, quantity, unitPrice } = (line ?? {}) as Partial<OrderInput['lines'][number]>;
    if (typeof productId !== 'string' || !indexes.products.has(productId)) {
      throw problem(400, 'bad_request', `\`lines[${index}].productId\` must name a product, but got: ${JSON.stringify(productId)}.`);
    }
    if (!Number.isInteger(quantity) || quantity! < 1) throw problem(400, 'bad_request', `\`lines[${index}].quantity\` must be a positive integer.`);
    if (typeof unitPrice !== 'number' || unitPrice < 0) throw problem(400, 'bad_request', `\`lines[${index}].unitPrice\` must be a price.`);
    return { productId, quantity: quantity!, unitPrice };
  });
  return { customerId: input.customerId, currency: input.currency, lines };
}
