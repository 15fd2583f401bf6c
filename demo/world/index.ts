/**
 * The embedded demo world: the four demo upstreams over one seeded world, so that a product id in
 * `catalog` is the same product in `inventory`, `reviews` and the orders `payments` charged.
 *
 *   const demo = await startDemoWorld();                  // random ports
 *   demo.catalog.url;                                      // 'http://127.0.0.1:53117'
 *   demo.inventory.log.entries;                            // what the gateway asked the ERP
 *   await demo.close();
 */
import { startCatalogService } from '../catalog/app.js';
import { startInventoryService } from '../inventory/app.js';
import { startPaymentsService } from '../payments/app.js';
import { startReviewsService } from '../reviews/app.js';
import { DEMO_CREDENTIALS, type DemoCredentials, type DemoServiceName } from './config.js';
import type { ServiceHandle, ServingOptions } from './http-service.js';
import { createWorld, type World } from './seed.js';

export { DEMO_CREDENTIALS, DEMO_PORTS, type DemoCredentials, type DemoServiceName } from './config.js';
export type { ServiceHandle, ServingOptions } from './http-service.js';
export { RequestLog, type RequestLogEntry } from './request-log.js';
export { signWebhook } from './webhook-sender.js';

/** A running demo upstream. */
export type DemoService = ServiceHandle;

export const DEMO_SERVICE_NAMES: readonly DemoServiceName[] = ['catalog', 'payments', 'inventory', 'reviews'];

type Starter = (world: World, port: number, credentials: DemoCredentials, serving?: ServingOptions) => Promise<ServiceHandle>;

const STARTERS: Record<DemoServiceName, Starter> = {
  catalog: (world, port, credentials, serving) => startCatalogService({ world, port, serving, apiKey: credentials.catalogApiKey }),
  payments: (world, port, credentials, serving) => startPaymentsService({
    world,
    port,
    serving,
    clientId: credentials.paymentsClientId,
    clientSecret: credentials.paymentsClientSecret,
    tokenTtlSeconds: credentials.paymentsTokenTtlSeconds,
    webhookSecret: credentials.paymentsWebhookSecret,
  }),
  inventory: (world, port, credentials, serving) =>
    startInventoryService({
    world,
    port,
    serving,
    username: credentials.inventoryUsername,
    password: credentials.inventoryPassword,
    webhookSecret: credentials.inventoryWebhookSecret,
  }),
  reviews: (world, port, credentials, serving) => startReviewsService({ world, port, serving, token: credentials.reviewsToken }),
};

export interface DemoServicesOptions {
  /** One world shared by the services; a new `createWorld()` by default. */
  world?: World;
  credentials?: Partial<DemoCredentials>;
  /** Added delay and replay, for benchmarks; none by default. */
  serving?: ServingOptions;
}

/**
 * Starts some of the demo upstreams over one world; if one cannot start, closes the others and throws.
 *
 *   const demo = await startDemoServices(['catalog', 'reviews'], (name) => DEMO_PORTS[name]);
 *   demo.catalog?.url; // 'http://127.0.0.1:4101'
 */
export async function startDemoServices(
  names: readonly DemoServiceName[],
  portOf: (name: DemoServiceName) => number = () => 0,
  options: DemoServicesOptions = {},
): Promise<Partial<Record<DemoServiceName, DemoService>>> {
  const world = options.world ?? createWorld();
  const credentials = { ...DEMO_CREDENTIALS, ...options.credentials };
  const started = await Promise.allSettled(names.map((name) => STARTERS[name](world, portOf(name), credentials, options.serving)));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    // One port taken must not leave the others listening.
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
    throw failure.reason;
  }
  return Object.fromEntries(started.map((result, index) => [names[index], (result as PromiseFulfilledResult<ServiceHandle>).value]));
}

export interface DemoWorldOptions {
  /** Ports per service; 0 (the default) picks a free one. */
  ports?: Partial<Record<DemoServiceName, number>>;
  credentials?: Partial<DemoCredentials>;
  /** Added delay and replay, for tests and benchmarks; none by default. */
  serving?: ServingOptions;
}

export interface DemoWorld extends Record<DemoServiceName, ServiceHandle> {
  world: World;
  close(): Promise<void>;
}

/** Starts the four demo upstreams over one world. */
export async function startDemoWorld(options: DemoWorldOptions = {}): Promise<DemoWorld> {
  const world = createWorld();
  const services = await startDemoServices(DEMO_SERVICE_NAMES, (name) => options.ports?.[name] ?? 0, {
    world,
    credentials: options.credentials,
    serving: options.serving,
  }) as Record<DemoServiceName, ServiceHandle>;
  return {
    world,
    ...services,
    async close() {
      await Promise.all(Object.values(services).map((service) => service.close()));
    },
  };
}
