/**
 * `placeOrder`: reserve the stock (inventory, SOAP) → charge (payments) → record the order (catalog)
 * → commit the reservation. When a step fails, the steps before it are undone (the charge refunded,
 * the stock released) and the client gets a typed error that names the step.
 *
 * Every id of an order is derived from the client's idempotency key (scoped to the customer), so
 * every call of the saga is safe to send again, and sent again it changes nothing:
 * - the reservation is `res-<hash>` (ReserveStock with the same id answers the same reservation),
 * - the charge carries `Idempotency-Key: charge-<hash>` (payments answers the first charge again),
 * - the order is `PUT /orders/ord-<hash>` (catalog answers the order already recorded).
 * This is what makes retries safe when an upstream did the work but its answer was lost (a timeout
 * after the charge): the retry gets the first answer, not a second charge. Undoing is by the same
 * ids, and closes them: a refund by order closes the order to new charges, a release closes the
 * reservation, a cancellation closes the order id, so a request that arrives late cannot redo them.
 *
 * The same key again answers the first call's outcome (the order, or its error), also while the
 * first call is still running; the same key with other lines is refused.
 *
 *   const desk = createOrderDesk({ upstreams, urls: { catalog, payments } });
 *   await desk.place({ idempotencyKey: 'k1', customerId: 'cust-0001', lines: [{ productId: 'prod-0001', quantity: 1 }] }, context);
 */
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { DemoServiceName as SourceName } from '../world/config.js';
import { createRetryQueue, type RetryQueue } from '../../gateway/upstream/retry-queue.js';
import { callScope, type CallOptions, type Upstreams } from '../../gateway/upstream/index.js';
import { asUpstreamError } from '../../gateway/errors.js';
import type { EntityRef, Invalidations } from '../../gateway/events/invalidation.js';
import { log } from '../../gateway/logging/log.js';
import { loadersFor, type Order, type Product, type SourcesContext } from './loaders.js';

export interface PlaceOrderInput {
  idempotencyKey: string;
  customerId: string;
  lines: { productId: string; quantity: number }[];
}

export interface OrderDesk {
  place(input: PlaceOrderInput, context: SourcesContext): Promise<Order>;
  /** Resolves once every undo and every commit has succeeded (they are retried until they do). */
  settled(): Promise<void>;
  close(): void;
}

export interface OrderDeskOptions {
  upstreams: Upstreams;
  /** Each source's URL, by name: the saga calls catalog and payments directly. */
  urls: Readonly<Record<string, string>>;
  /** How many outcomes are remembered by key; the oldest are forgotten first. */
  rememberedKeys?: number;
  /** Told of the stock each reservation and release changes, so no cache serves it from before. */
  invalidations?: Invalidations;
}

const MAX_LINES = 50;
const MAX_QUANTITY = 100;

export function createOrderDesk(options: OrderDeskOptions): OrderDesk {
  const outcomes = new Map<string, { fingerprint: string; order: Promise<Order> }>();
  const remembered = options.rememberedKeys ?? 100_000;
  const queue = createRetryQueue();

  return {
    place(input, context) {
      const lines = checkInput(input);
      const scope = createHash('sha256').update(`${input.customerId}\n${input.idempotencyKey}`).digest('hex').slice(0, 20);
      const fingerprint = JSON.stringify(lines);
      const known = outcomes.get(scope);
      if (known) {
        if (known.fingerprint !== fingerprint) {
          return Promise.reject(new GraphQLError('This idempotencyKey was used for another order; use a new key for a new order.', {
            extensions: { code: 'IDEMPOTENCY_KEY_REUSED' },
          }));
        }
        return known.order;
      }
      // The saga's calls carry the client headers their sources allow, as every upstream call does.
      const steps = createSteps(options, callScope(context));
      const order = runSaga(scope, { ...input, lines }, context, steps, queue);
      // Nobody else may be waiting on it: a rejection is the first caller's to see, not unhandled.
      order.catch(() => undefined);
      outcomes.set(scope, { fingerprint, order });
      if (outcomes.size > remembered) outcomes.delete(outcomes.keys().next().value!);
      return order;
    },
    settled: () => queue.idle(),
    close: () => queue.stop(),
  };
}

/** Private: the saga of one order. */
async function runSaga(scope: string, input: PlaceOrderInput, context: SourcesContext, steps: Steps, queue: RetryQueue): Promise<Order> {
  const ids = { order: `ord-${scope}`, reservation: `res-${scope}` };
  const loaders = loadersFor(context);
  const [customer, ...products] = await Promise.all([
    loaders.customers.load(input.customerId),
    ...input.lines.map((line) => loaders.products.load(line.productId)),
  ]).catch((error: unknown) => {
    throw asUpstreamError('catalog', error as Error);
  });
  if (!customer) throw badInput(`There is no customer ${input.customerId}.`, ['customerId']);
  const missing = input.lines.findIndex((_, index) => !products[index]);
  if (missing >= 0) throw badInput(`There is no product ${input.lines[missing]!.productId}.`, ['lines', missing, 'productId']);
  const priced = input.lines.map((line, index) => ({ ...line, product: products[index] as Product }));
  const currency = priced[0]!.product.currency;
  if (priced.some((line) => line.product.currency !== currency)) throw badInput('All products of an order must have one currency.', ['lines']);
  const amount = Math.round(priced.reduce((sum, line) => sum + line.quantity * line.product.price * 100, 0)) / 100;

  const undo: { name: string; task: () => Promise<unknown> }[] = [];
  const fail = async (step: string, error: unknown): Promise<never> => {
    // Undo in reverse order; each undo runs now and, if it fails, again later until it succeeds.
    const done = await Promise.all(undo.reverse().map(({ name, task }) => queue.run(name, task)));
    throw stepError(step, error, done.every(Boolean));
  };

  const stock = priced.map((line) => ({ sku: line.product.sku, quantity: line.quantity }));
  undo.push({ name: `release ${ids.reservation}`, task: () => steps.release(ids.reservation, stock, context) });
  await steps.reserve(ids.reservation, stock, context)
    .catch((error: unknown) => fail('reserve', error));
  undo.push({ name: `refund ${ids.order}`, task: () => steps.refund(ids.order, scope) });
  await steps.charge(ids.order, scope, amount, currency).catch((error: unknown) => fail('charge', error));
  undo.push({ name: `cancel ${ids.order}`, task: () => steps.cancel(ids.order) });
  const order = await steps.record(ids.order, input.customerId, currency, priced.map((line) => ({
    productId: line.productId,
    quantity: line.quantity,
    unitPrice: line.product.price,
  }))).catch((error: unknown) => fail('record', error));
  // The order stands; committing the stock is bookkeeping that must happen, not a reason to fail it.
  await queue.run(`commit ${ids.reservation}`, () => steps.commit(ids.reservation, context));
  loaders.orders.prime(order.id, order);
  return order;
}

type Steps = ReturnType<typeof createSteps>;

/** Private: each call of the saga, safe to send again. */
function createSteps({ upstreams, urls, invalidations }: OrderDeskOptions, scope: CallOptions) {
  // The order goes on when the caches cannot be told (Redis down): they keep what they hold for its freshness at most.
  const changed = (entities: EntityRef[]) => invalidations?.invalidate(entities)
    .catch((error: unknown) => log.warn(`what an order changed could not be dropped from the caches: ${(error as Error).message}`));
  const stockChanged = (lines: { sku: string }[]) => changed(lines.map((line) => ({ typename: 'StockLevel', id: line.sku, source: 'inventory' })));
  // A new or cancelled order: the order itself, and its customer's list of orders.
  const orderChanged = (orderId: string, customerId?: string) => changed([
    { typename: 'Order', id: orderId, source: 'catalog' },
    ...(customerId ? [{ typename: 'Customer', id: customerId, source: 'catalog' }] : []),
  ]);
  const json = async (source: SourceName, url: string, init: RequestInit & { idempotent?: boolean }) => {
    const { idempotent, ...rest } = init;
    const response = await upstreams.request(source, url, {
      ...rest,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...rest.headers },
    }, idempotent === undefined ? scope : { ...scope, idempotent });
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  const reservation = (field: string, args: Record<string, unknown>, context: SourcesContext) =>
    context.sources.inventory!.mutate(field, args, '{ reservationId status }', context).catch((error: unknown) => {
      throw asUpstreamError('inventory', error as Error);
    });
  return {
    // The stock a reservation or its release changes is dropped from every cache at once (the ERP's webhook says so too, later).
    reserve: (id: string, lines: { sku: string; quantity: number }[], context: SourcesContext) =>
      reservation('reserveStock', { reservationId: id, line: lines }, context).finally(() => stockChanged(lines)),
    release: (id: string, lines: { sku: string; quantity: number }[], context: SourcesContext) =>
      reservation('releaseReservation', { reservationId: id }, context).finally(() => stockChanged(lines)),
    commit: (id: string, context: SourcesContext) => reservation('commitReservation', { reservationId: id }, context),
    charge: (orderId: string, scope: string, amount: number, currency: string) => json('payments', `${urls.payments!}/payments`, {
      method: 'POST',
      headers: { 'idempotency-key': `charge-${scope}` },
      body: JSON.stringify({ orderId, amount, currency }),
    }),
    refund: (orderId: string, scope: string) => json('payments', `${urls.payments!}/refunds`, {
      method: 'POST',
      headers: { 'idempotency-key': `refund-${scope}` },
      body: JSON.stringify({ orderId }),
    }),
    record: (orderId: string, customerId: string, currency: string, lines: Order['lines']): Promise<Order> =>
      json('catalog', `${urls.catalog!}/orders/${encodeURIComponent(orderId)}`, {
        method: 'PUT',
        body: JSON.stringify({ customerId, currency, lines }),
      }).finally(() => orderChanged(orderId, customerId)),
    cancel: (orderId: string) => json('catalog', `${urls.catalog!}/orders/${encodeURIComponent(orderId)}/cancellation`, {
      method: 'POST',
      // Cancelling twice is cancelling once.
      idempotent: true,
    }).finally(() => orderChanged(orderId)),
  };
}

/** Private: the lines, checked and in a canonical order (the same order twice is the same order). */
function checkInput(input: PlaceOrderInput): PlaceOrderInput['lines'] {
  if (input.idempotencyKey.length < 1 || input.idempotencyKey.length > 255) {
    throw badInput('idempotencyKey must hold 1 to 255 characters.', ['idempotencyKey']);
  }
  if (input.lines.length < 1 || input.lines.length > MAX_LINES) {
    throw badInput(`An order takes 1 to ${MAX_LINES} lines, but got: ${input.lines.length}.`, ['lines']);
  }
  input.lines.forEach((line, index) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw badInput(`quantity must be from 1 to ${MAX_QUANTITY}, but got: ${line.quantity}.`, ['lines', index, 'quantity']);
    }
  });
  const ids = input.lines.map((line) => line.productId);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw badInput(`Product ${repeated} is on two lines; put its whole quantity on one.`, ['lines']);
  return [...input.lines].map(({ productId, quantity }) => ({ productId, quantity })).sort((a, b) => a.productId.localeCompare(b.productId));
}

function badInput(message: string, argument: (string | number)[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument: argument.join('.') } });
}

/**
 * Private: the error of a failed step: the upstream's typed error (its code and source), with the
 * step, and what happened to the steps before it. Not enough stock is the client's to act on.
 */
function stepError(step: string, error: unknown, undone: boolean): GraphQLError {
  const cause = error instanceof GraphQLError ? error : asUpstreamError(step === 'record' ? 'catalog' : step === 'charge' ? 'payments' : 'inventory', error as Error);
  const detail = (cause.extensions.faultDetail as { InventoryFault?: { Code?: string; Sku?: string } } | undefined)?.InventoryFault;
  const after = undone ? 'Nothing was charged and no stock is held.' : 'What was done before is being undone.';
  if (step === 'charge' && cause.extensions.upstreamStatus === 402) {
    return new GraphQLError(`The order was not placed: the payment was declined. ${after}`, {
      extensions: { code: 'PAYMENT_DECLINED', step, undone },
    });
  }
  if (detail?.Code === 'INSUFFICIENT_STOCK') {
    return new GraphQLError(`The order was not placed: there is not enough stock of ${detail.Sku}. ${after}`, {
      extensions: { code: 'OUT_OF_STOCK', sku: detail.Sku, step },
    });
  }
  return new GraphQLError(`The order was not placed: ${cause.message} ${after}`, { extensions: { ...cause.extensions, step, undone } });
}
